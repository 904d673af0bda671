from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "hongniudai.production"
    label = "production"
    verbose_name = "生产经营"
