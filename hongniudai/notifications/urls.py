from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("read/", views.read, name="read"),
    path("badge/", views.badge, name="badge"),
]
