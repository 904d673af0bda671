from django.urls import path

from . import views

app_name = "collective"
urlpatterns = [
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/add/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/steps/add/", views.decision_step, name="decision_step"),
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/pick/", views.org_pick, name="org_pick"),
    path("orgs/add/", views.org_create, name="org_create"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("orgs/<int:pk>/cooperatives/add/", views.cooperative_create, name="cooperative_create"),
    path("orgs/<int:pk>/members/", views.member_list, name="member_list"),
    path("orgs/<int:pk>/members/add/", views.member_create, name="member_create"),
    path("orgs/<int:pk>/household-options/", views.household_options, name="household_options"),
    path("orgs/<int:pk>/shares/", views.share_register, name="share_register"),
    path("orgs/<int:pk>/shares/add/", views.share_create, name="share_create"),
    path("members/<int:pk>/end/", views.member_end, name="member_end"),
]
