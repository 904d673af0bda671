from django.urls import URLPattern

app_name = "development"
urlpatterns: list[URLPattern] = []
