from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "hongniudai.enterprises"
    label = "enterprises"
    verbose_name = "企业党建"
