from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "hongniudai.volunteers"
    label = "volunteers"
    verbose_name = "志愿服务"

    def ready(self) -> None:
        from . import rollups  # noqa: F401  (registers the volunteers' year rollup's rebuild)
