from django.urls import path

from . import views

app_name = "production"
urlpatterns = [
    path("", views.planting_list, name="planting_list"),
    path("plantings/add/", views.planting_create, name="planting_create"),
    path("plantings/<int:pk>/", views.planting_detail, name="planting_detail"),
    path("plantings/<int:pk>/harvests/add/", views.harvest_create, name="harvest_create"),
    path("work/", views.work_list, name="work_list"),
    path("work/add/", views.work_create, name="work_create"),
    path("work/worker-options/", views.worker_options, name="worker_options"),
    path("work/<int:pk>/", views.work_detail, name="work_detail"),
    path("wages/", views.wages, name="wages"),
    path("wages/pay/", views.payment_create, name="payment_create"),
    path("wages/payments/<int:pk>/", views.payment_detail, name="payment_detail"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/add/", views.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/deliveries/add/", views.delivery_create, name="delivery_create"),
    path("deliveries/<int:pk>/receipts/add/", views.receipt_create, name="receipt_create"),
    path("processing/", views.processing_list, name="processing_list"),
    path("processing/add/", views.processing_create, name="processing_create"),
    path("sales/", views.sale_list, name="sale_list"),
    path("sales/add/", views.sale_create, name="sale_create"),
    path("sales/<int:pk>/", views.sale_detail, name="sale_detail"),
    path("income/", views.income, name="income"),
]
