from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "hongniudai.places"
    label = "places"
    verbose_name = "地区与人口"
