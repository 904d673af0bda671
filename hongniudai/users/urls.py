from django.urls import include, path

from . import views

app_name = "users"

# The accounts an administrator manages, under /accounts/users/.
urlpatterns = [
    path("", views.user_list, name="user_list"),
    path("<int:pk>/", views.user_detail, name="user_detail"),
    path("<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("", include("hongniudai.users.urls_people")),
]
