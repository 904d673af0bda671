from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "hongniudai.watch"
    label = "watch"
    verbose_name = "平安守护"
