from django.urls import path

from . import views

app_name = "benefits"
urlpatterns = [
    path("", views.village_year, name="village_year"),
    path("households/<int:pk>/", views.household_year, name="household_year"),
    path("households/<int:pk>/statement/<int:year>/", views.household_statement, name="household_statement"),
]
