from django.urls import path

from . import views

app_name = "vanguard"
urlpatterns = [
    path("posts/", views.post_list, name="post_list"),
    path("posts/add/", views.post_create, name="post_create"),
    path("posts/member-options/", views.member_options, name="member_options"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/end/", views.post_end, name="post_end"),
    path("posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/add/", views.activity_create, name="activity_create"),
    path("activities/participant-options/", views.participant_options, name="participant_options"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
]
