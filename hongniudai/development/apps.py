from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "hongniudai.development"
    label = "development"
    verbose_name = "发展党员"
