from django.urls import path

from . import views

app_name = "orglife"
urlpatterns = [
    path("", views.compliance, name="compliance"),
    path("missing/", views.missing_list, name="missing_list"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/add/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/add/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
]
