from django.urls import include, path

from . import views, views_onboard, views_roles

app_name = "users"

# The list and what is not one account's: /accounts/users/...
list_patterns = [
    path("", views.user_list, name="user_list"),
    path("new/", views_onboard.user_create, name="user_create"),
    path("nodes/", views.node_options, name="node_options"),
    path("rules/", views_roles.town_rules, name="town_rules"),
]

# One account (its id in every path, where the URL walker of tests/test_url_scoping.py sees it).
user_patterns = [
    path("<int:pk>/", views.user_detail, name="user_detail"),
    path("<int:pk>/edit/", views_roles.user_edit, name="user_edit"),
    path("<int:pk>/roles/new/", views_roles.role_grant, name="role_grant"),
    path("<int:pk>/reset/", views_onboard.user_reset, name="user_reset"),
    path("<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("roles/<int:pk>/end/", views_roles.role_end, name="role_end"),
]

urlpatterns = [
    path("", include(list_patterns)),
    path("", include(user_patterns)),
    path("", include("hongniudai.users.urls_people")),
]
