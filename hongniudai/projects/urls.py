from django.urls import path

from . import views, views_blockers

app_name = "projects"
urlpatterns = [
    path("", views.home, name="home"),
    path("list/", views.project_list, name="project_list"),
    path("add/", views.project_create, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/milestones/add/", views.milestone_create, name="milestone_create"),
    path("<int:pk>/blockers/add/", views_blockers.blocker_create, name="blocker_create"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/add/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/add/", views.member_add, name="member_add"),
    path("teams/<int:pk>/calendar/", views_blockers.calendar_token, name="calendar_token"),
    path("feed/<str:token>.ics", views_blockers.calendar_feed, name="calendar_feed"),
    path("liaisons/", views.liaison_list, name="liaison_list"),
    path("liaisons/add/", views.liaison_create, name="liaison_create"),
    path("liaisons/<int:pk>/end/", views.liaison_end, name="liaison_end"),
    path("blockers/", views_blockers.blocker_list, name="blocker_list"),
    path("blockers/board/", views_blockers.blocker_board, name="blocker_board"),
    path("blockers/<int:pk>/", views_blockers.blocker_detail, name="blocker_detail"),
    path("blockers/<int:pk>/step/", views_blockers.blocker_step, name="blocker_step"),
    path("blockers/<int:pk>/resolve/", views_blockers.blocker_resolve, name="blocker_resolve"),
    path("blockers/<int:pk>/sign-off/", views_blockers.blocker_sign_off, name="blocker_sign_off"),
    path("blockers/<int:pk>/escalate/", views_blockers.blocker_escalate, name="blocker_escalate"),
    path("visits/", views_blockers.visit_list, name="visit_list"),
    path("visits/add/", views_blockers.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views_blockers.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/check-in/", views_blockers.visit_check_in, name="visit_check_in"),
    path("follow-ups/<int:pk>/done/", views_blockers.follow_up_done, name="follow_up_done"),
    path("measures/", views_blockers.measures, name="measures"),
]
