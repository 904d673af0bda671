from django.urls import path

from . import views, views_vouchers

app_name = "ledger"
urlpatterns = [
    path("", views.books_list, name="books_list"),
    path("books/<int:pk>/", views.books_detail, name="books_detail"),
    path("books/<int:pk>/accounts/add/", views.account_add, name="account_add"),
    path("books/<int:pk>/periods/", views.period_list, name="period_list"),
    path("books/<int:pk>/periods/close/", views.period_close, name="period_close"),
    path("books/<int:pk>/periods/reopen/", views.period_reopen, name="period_reopen"),
    path("books/<int:pk>/year-end/", views.year_end_close, name="year_end_close"),
    path("books/<int:pk>/vouchers/add/", views_vouchers.voucher_create, name="voucher_create"),
    path("vouchers/", views_vouchers.voucher_list, name="voucher_list"),
    path("vouchers/<int:pk>/", views_vouchers.voucher_detail, name="voucher_detail"),
    path("vouchers/<int:pk>/edit/", views_vouchers.voucher_edit, name="voucher_edit"),
    path("vouchers/<int:pk>/delete/", views_vouchers.voucher_delete, name="voucher_delete"),
    path("vouchers/<int:pk>/post/", views_vouchers.voucher_post, name="voucher_post"),
    path("vouchers/<int:pk>/reverse/", views_vouchers.voucher_reverse, name="voucher_reverse"),
    path("vouchers/<int:pk>/attachments/add/", views_vouchers.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views_vouchers.attachment_download, name="attachment_download"),
]
