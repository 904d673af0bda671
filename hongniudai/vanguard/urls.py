from django.urls import URLPattern

app_name = "vanguard"
urlpatterns: list[URLPattern] = []
