from django.apps import AppConfig


class ReturneesConfig(AppConfig):
    name = "hongniudai.returnees"
    label = "returnees"
    verbose_name = "归雁工程"
