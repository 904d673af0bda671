from django.apps import AppConfig


class CollectiveConfig(AppConfig):
    name = "hongniudai.collective"
    label = "collective"
    verbose_name = "村集体经济"
