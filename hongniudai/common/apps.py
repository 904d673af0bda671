from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "hongniudai.common"
    label = "common"
    verbose_name = "公共"
