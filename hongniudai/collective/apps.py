from django.apps import AppConfig


class CollectiveConfig(AppConfig):
    name = "hongniudai.collective"
    label = "collective"
    verbose_name = "村集体经济"

    def ready(self) -> None:
        from . import rollups  # noqa: F401 - registers the organisations' figures with common.rollups
