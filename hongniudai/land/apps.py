from django.apps import AppConfig


class LandConfig(AppConfig):
    name = "hongniudai.land"
    label = "land"
    verbose_name = "土地流转"
