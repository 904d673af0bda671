from django.urls import path

from . import views

app_name = "patrols"
urlpatterns = [
    path("", views.team_list, name="team_list"),
    path("teams/add/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/add/", views.member_add, name="member_add"),
    path("teams/<int:pk>/rota/", views.rota_generate, name="rota_generate"),
    path("members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("shifts/", views.shift_list, name="shift_list"),
    path("shifts/<int:pk>/", views.shift_detail, name="shift_detail"),
    path("shifts/<int:pk>/start/", views.shift_start, name="shift_start"),
    path("shifts/<int:pk>/end/", views.shift_end, name="shift_end"),
    path("shifts/<int:pk>/log/", views.shift_log, name="shift_log"),
    path("shifts/<int:pk>/incident/", views.shift_incident, name="shift_incident"),
    path("logs/", views.log_list, name="log_list"),
    path("measures/", views.measures, name="measures"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/add/", views.campaign_create, name="campaign_create"),
    path("campaigns/reports/", views.report_list, name="report_list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/board/", views.campaign_board, name="campaign_board"),
    path("campaigns/<int:pk>/today/", views.campaign_today, name="campaign_today"),
    path("campaigns/<int:pk>/duties/add/", views.duty_create, name="duty_create"),
    path("campaigns/<int:pk>/points/add/", views.point_create, name="point_create"),
]
