from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "hongniudai.enterprises"
    label = "enterprises"
    verbose_name = "企业党建"

    def ready(self) -> None:
        from . import contributions  # models are ready only now

        contributions.register()
