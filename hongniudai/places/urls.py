from django.urls import path

from hongniudai.common.views import placeholder

app_name = "places"
urlpatterns = [
    path("", placeholder, name="tree"),
    path("areas/", placeholder, name="area_list"),
    path("households/", placeholder, name="household_list"),
    path("residents/", placeholder, name="resident_list"),
]
