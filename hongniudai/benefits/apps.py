from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "hongniudai.benefits"
    label = "benefits"
    verbose_name = "利益联结"

    def ready(self) -> None:
        from . import contributions  # models are ready only now

        contributions.register()
