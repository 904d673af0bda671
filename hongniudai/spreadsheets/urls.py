from django.urls import path

from . import views

app_name = "spreadsheets"
urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("new/", views.import_new, name="import_new"),
    path("templates/<str:kind>.xlsx", views.template_download, name="template_download"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/errors.xlsx", views.import_errors, name="import_errors"),
    path("<int:pk>/handover.xlsx", views.import_handover, name="import_handover"),
]
