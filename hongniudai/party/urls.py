from django.urls import path

from . import views

app_name = "party"
urlpatterns = [
    path("", views.org_tree, name="org_tree"),
    path("tree/<int:pk>/children/", views.org_tree_children, name="org_tree_children"),
    path("pick/", views.org_pick, name="org_pick"),
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/add/", views.org_create, name="org_create"),
    path("orgs/<int:parent_pk>/add/", views.org_create, name="org_create"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("orgs/<int:pk>/edit/", views.org_edit, name="org_edit"),
    path("orgs/<int:pk>/delete/", views.org_delete, name="org_delete"),
    path("members/", views.member_list, name="member_list"),
    path("members/add/", views.member_create, name="member_create"),
    path("members/resident-options/", views.resident_options, name="resident_options"),
    path("members/group-options/", views.group_options, name="group_options"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/delete/", views.member_delete, name="member_delete"),
    path("centre-households/", views.centre_list, name="centre_list"),
    path("centre-households/hamlet/<int:hamlet_id>/", views.centre_edit, name="centre_edit"),
    path("centre-households/<int:pk>/delete/", views.centre_delete, name="centre_delete"),
]
