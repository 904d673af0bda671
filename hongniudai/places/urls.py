from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("tree/<int:pk>/children/", views.tree_children, name="tree_children"),
    path("pick/", views.area_pick, name="area_pick"),
    path("households/pick/", views.household_pick, name="household_pick"),
    path("residents/pick/", views.resident_pick, name="resident_pick"),
    path("areas/", views.area_list, name="area_list"),
    path("areas/new/", views.area_create, name="area_create"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("areas/<int:pk>/edit/", views.area_edit, name="area_edit"),
    path("areas/<int:pk>/delete/", views.area_delete, name="area_delete"),
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/delete/", views.household_delete, name="household_delete"),
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/new/", views.resident_create, name="resident_create"),
    path("residents/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("residents/<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("residents/<int:pk>/delete/", views.resident_delete, name="resident_delete"),
    path("residents/<int:pk>/reveal-id/", views.resident_reveal_id, name="resident_reveal_id"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/approve/", views.review_approve, name="review_approve"),
    path("reviews/<int:pk>/reject/", views.review_reject, name="review_reject"),
]
