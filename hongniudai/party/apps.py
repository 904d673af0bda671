from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "hongniudai.party"
    label = "party"
    verbose_name = "党组织"

    def ready(self) -> None:
        from . import contributions  # models are ready only now

        contributions.register()
