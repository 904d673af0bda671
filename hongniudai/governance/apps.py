from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "hongniudai.governance"
    label = "governance"
    verbose_name = "溯源治理"

    def ready(self) -> None:
        from . import rollups  # noqa: F401  (registers the matter rollup's rebuild)
