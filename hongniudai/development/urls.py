from django.urls import path

from . import views

app_name = "development"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("cases/add/", views.case_create, name="case_create"),
    path("cases/resident-options/", views.resident_options, name="resident_options"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/steps/", views.case_step, name="case_step"),
    path("due/", views.due_list, name="due_list"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/local/add/", views.rule_create, name="rule_create"),
    path("rules/local/<int:pk>/", views.rule_edit, name="rule_edit"),
]
