"""The measures pages and the administrator's maintenance pages (added to `urls.py`)."""

from django.urls import path

from . import views_admin, views_measures

urlpatterns = [
    path("measures/", views_measures.measures, name="measures"),
    path("measures/drill/", views_measures.measures_drill, name="measures_drill"),
    path("admin/calendar/", views_admin.admin_calendar, name="admin_calendar"),
    path("admin/rules/", views_admin.admin_rules, name="admin_rules"),
    path("admin/categories/", views_admin.admin_categories, name="admin_categories"),
    path("admin/categories/new/", views_admin.admin_category_new, name="admin_category_new"),
    path("admin/categories/<int:pk>/", views_admin.admin_category_edit, name="admin_category_edit"),
    path(
        "admin/categories/<int:pk>/attributes/new/",
        views_admin.admin_attribute_new,
        name="admin_attribute_new",
    ),
    path("admin/attributes/<int:pk>/", views_admin.admin_attribute_edit, name="admin_attribute_edit"),
    path("admin/attributes/<int:pk>/delete/", views_admin.admin_attribute_delete, name="admin_attribute_delete"),
    path("admin/open311-keys/", views_admin.admin_open311_keys, name="admin_open311_keys"),
    path(
        "admin/open311-keys/<int:pk>/revoke/",
        views_admin.admin_open311_key_revoke,
        name="admin_open311_key_revoke",
    ),
]
