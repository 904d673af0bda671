"""The resident behind an account and the exported list, under /accounts/users/ (`users:`)."""

from django.urls import path

from . import views_people

urlpatterns = [
    path("export.xlsx", views_people.user_export, name="user_export"),
    path("<int:pk>/resident/", views_people.user_resident, name="user_resident"),
]
