from django.urls import path

from . import views

app_name = "land"
urlpatterns = [
    path("parcels/", views.parcel_list, name="parcel_list"),
    path("parcels/add/", views.parcel_create, name="parcel_create"),
    path("parcels/<int:pk>/", views.parcel_detail, name="parcel_detail"),
    path("parcels/<int:pk>/edit/", views.parcel_edit, name="parcel_edit"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/add/", views.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/document/", views.contract_document, name="contract_document"),
    path("contracts/<int:pk>/parcels/add/", views.contract_add_parcel, name="contract_add_parcel"),
    path("contracts/<int:pk>/end/", views.contract_end, name="contract_end"),
    path("contracts/<int:pk>/receive/", views.contract_receive, name="contract_receive"),
    path("instalments/<int:pk>/pay/", views.instalment_pay, name="instalment_pay"),
    path("internal-accounts/", views.internal_accounts, name="internal_accounts"),
]
