from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="enterprise_list"),
    path("pick/", views.enterprise_pick, name="enterprise_pick"),
    path("pick/counterparty/", views.counterparty_pick, name="counterparty_pick"),
    path("add/", views.enterprise_create, name="enterprise_create"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("<int:pk>/delete/", views.enterprise_delete, name="enterprise_delete"),
    path("<int:pk>/members/add/", views.employment_add, name="employment_add"),
    path("employments/<int:pk>/remove/", views.employment_remove, name="employment_remove"),
    path("coverage/", views.coverage, name="coverage"),
    path("instructors/", views.instructor_list, name="instructor_list"),
    path("instructors/add/", views.instructor_create, name="instructor_create"),
    path("instructors/<int:pk>/", views.instructor_detail, name="instructor_detail"),
    path("instructors/<int:pk>/edit/", views.instructor_edit, name="instructor_edit"),
    path("instructors/<int:pk>/assign/", views.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/add/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/follow-ups/add/", views.follow_up_add, name="follow_up_add"),
    path("follow-ups/<int:pk>/close/", views.follow_up_close, name="follow_up_close"),
    path("my-guidance/", views.my_guidance, name="my_guidance"),
]
