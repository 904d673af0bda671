from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hongniudai.api"
    label = "api"
    verbose_name = "接口"
