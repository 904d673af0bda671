from django.urls import path

from hongniudai.common.views import placeholder

app_name = "party"
urlpatterns = [
    path("", placeholder, name="org_tree"),
    path("orgs/", placeholder, name="org_list"),
    path("members/", placeholder, name="member_list"),
    path("centre-households/", placeholder, name="centre_list"),
]
