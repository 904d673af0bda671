from django.urls import path

from . import views

app_name = "returnees"
urlpatterns = [
    path("", views.returnee_list, name="returnee_list"),
    path("add/", views.returnee_create, name="returnee_create"),
    path("pick/", views.returnee_pick, name="returnee_pick"),
    path("resident-options/", views.resident_options, name="resident_options"),
    path("measures/", views.measures, name="measures"),
    path("<int:pk>/", views.returnee_detail, name="returnee_detail"),
    path("<int:pk>/edit/", views.returnee_edit, name="returnee_edit"),
    path("<int:pk>/support/", views.returnee_support_create, name="returnee_support_create"),
    path("businesses/", views.business_list, name="business_list"),
    path("businesses/add/", views.business_create, name="business_create"),
    path("businesses/<int:pk>/", views.business_detail, name="business_detail"),
    path("businesses/<int:pk>/edit/", views.business_edit, name="business_edit"),
    path("businesses/<int:pk>/employ/", views.employment_create, name="employment_create"),
    path("businesses/<int:pk>/support/", views.business_support_create, name="business_support_create"),
    path("employments/<int:pk>/end/", views.employment_end, name="employment_end"),
    path("employments/<int:pk>/wages/", views.wage_create, name="wage_create"),
]
