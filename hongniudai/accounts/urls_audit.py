from django.urls import path

from . import views_audit as views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("history/<str:target_type>/<str:target_id>/", views.history, name="history"),
]
