from django.urls import path

from . import views, views_orgs

app_name = "stations"
urlpatterns = [
    path("", views.station_list, name="station_list"),
    path("add/", views.station_create, name="station_create"),
    path("pick/", views.station_pick, name="station_pick"),
    path("<int:pk>/", views.station_detail, name="station_detail"),
    path("<int:pk>/edit/", views.station_edit, name="station_edit"),
    path("<int:pk>/staff/", views.staff_add, name="staff_add"),
    path("staff/<int:pk>/remove/", views.staff_remove, name="staff_remove"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/pick/", views.item_pick, name="item_pick"),
    path("catalogue/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("catalogue/<int:pk>/limit/", views.item_limit, name="item_limit"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/add/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/step/", views.request_step, name="request_step"),
    path("requests/<int:pk>/complete/", views.request_complete, name="request_complete"),
    path("requests/<int:pk>/rate/", views.request_rate, name="request_rate"),
    path("requests/<int:pk>/to-matter/", views.request_to_matter, name="request_to_matter"),
    path("measures/", views.measures, name="measures"),
    path("orgs/", views_orgs.org_list, name="org_list"),
    path("orgs/add/", views_orgs.org_create, name="org_create"),
    path("orgs/pick/", views_orgs.org_pick, name="org_pick"),
    path("orgs/<int:pk>/", views_orgs.org_detail, name="org_detail"),
    path("orgs/<int:pk>/edit/", views_orgs.org_edit, name="org_edit"),
    path("activities/", views_orgs.activity_list, name="activity_list"),
    path("activities/add/", views_orgs.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views_orgs.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views_orgs.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/photos/", views_orgs.activity_photo_add, name="activity_photo_add"),
    path("photos/<int:pk>/", views_orgs.photo_download, name="photo_download"),
]
