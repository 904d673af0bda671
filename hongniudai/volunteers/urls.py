from django.urls import path

from . import views, views_tasks

app_name = "volunteers"
urlpatterns = [
    path("", views.volunteer_list, name="volunteer_list"),
    path("add/", views.volunteer_create, name="volunteer_create"),
    path("pick/", views.volunteer_pick, name="volunteer_pick"),
    path("<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("<int:pk>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("<int:pk>/deactivate/", views.volunteer_deactivate, name="volunteer_deactivate"),
    path("<int:pk>/account/", views.volunteer_account, name="volunteer_account"),
    path("<int:pk>/feed/", views.volunteer_feed, name="volunteer_feed"),
    path("<int:pk>/feed/revoke/", views.volunteer_feed_revoke, name="volunteer_feed_revoke"),
    path("<int:pk>/certificate/", views.volunteer_certificate, name="volunteer_certificate"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/add/", views.team_create, name="team_create"),
    path("teams/pick/", views.team_pick, name="team_pick"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("tasks/", views_tasks.task_list, name="task_list"),
    path("tasks/add/", views_tasks.task_create, name="task_create"),
    path("tasks/<int:pk>/", views_tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/participants/", views_tasks.task_participant, name="task_participant"),
    path("participations/<int:pk>/confirm/", views_tasks.participation_confirm, name="participation_confirm"),
    path("participations/<int:pk>/decline/", views_tasks.participation_decline, name="participation_decline"),
    path("participations/<int:pk>/complete/", views_tasks.participation_complete, name="participation_complete"),
    path("participations/<int:pk>/hours/", views_tasks.participation_hours, name="participation_hours"),
    path("hours/", views_tasks.hours_queue, name="hours_queue"),
    path("hours/<int:pk>/confirm/", views_tasks.hours_confirm, name="hours_confirm"),
    path("hours/<int:pk>/reject/", views_tasks.hours_reject, name="hours_reject"),
    path("ranking/", views.ranking, name="ranking"),
    path("my/", views.my_tasks, name="my_tasks"),
    path("my/certificate/", views.my_certificate, name="my_certificate"),
    path("feed/<str:token>.ics", views.calendar_feed, name="feed"),
]
