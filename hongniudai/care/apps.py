from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "hongniudai.care"
    label = "care"
    verbose_name = "便民服务"
