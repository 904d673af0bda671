from django.urls import path

from . import views

app_name = "cameras"
urlpatterns = [
    path("", views.camera_list, name="camera_list"),
    path("add/", views.camera_create, name="camera_create"),
    path("<int:pk>/", views.camera_detail, name="camera_detail"),
    path("<int:pk>/edit/", views.camera_edit, name="camera_edit"),
    path("<int:pk>/reveal/", views.camera_reveal, name="camera_reveal"),
    path("coverage/", views.coverage, name="coverage"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("pending/", views.pending_list, name="pending_list"),
    path("pending/<int:pk>/", views.pending_detail, name="pending_detail"),
    path("pending/<int:pk>/snapshot/", views.pending_snapshot, name="pending_snapshot"),
    path("pending/<int:pk>/confirm/", views.pending_confirm, name="pending_confirm"),
    path("pending/<int:pk>/dismiss/", views.pending_dismiss, name="pending_dismiss"),
    path("kinds/", views.kind_list, name="kind_list"),
    path("kinds/add/", views.kind_create, name="kind_create"),
    path("kinds/<int:pk>/edit/", views.kind_edit, name="kind_edit"),
    path("keys/", views.key_list, name="key_list"),
    path("keys/<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
]
