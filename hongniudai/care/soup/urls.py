from django.urls import path

from . import views

app_name = "soup"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("mine/", views.my_visits, name="my_visits"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/add/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("towns/<int:pk>/settings/", views.settings_edit, name="settings"),
    path("recipients/", views.recipient_list, name="recipient_list"),
    path("recipients/add/", views.recipient_create, name="recipient_create"),
    path("recipients/<int:pk>/approve/", views.recipient_approve, name="recipient_approve"),
    path("recipients/<int:pk>/remove/", views.recipient_remove, name="recipient_remove"),
    path("villages/<int:pk>/", views.review, name="review"),
    path("villages/<int:pk>/propose/", views.propose, name="propose"),
    path("villages/<int:pk>/approve/", views.approve_all, name="approve_all"),
    path("villages/<int:pk>/round/", views.round_create, name="round_create"),
    path("hamlets/<int:pk>/volunteer/", views.hamlet_volunteer, name="hamlet_volunteer"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("visits/<int:pk>/", views.visit_check, name="visit_check"),
    path("visits/<int:pk>/assign/", views.visit_assign, name="visit_assign"),
]
