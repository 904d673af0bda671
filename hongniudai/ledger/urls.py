from django.urls import path

from . import views, views_reports, views_vouchers

app_name = "ledger"
urlpatterns = [
    path("", views.books_list, name="books_list"),
    path("books/pick/", views.books_pick, name="books_pick"),
    path("books/<int:pk>/", views.books_detail, name="books_detail"),
    path("books/<int:pk>/accounts/add/", views.account_add, name="account_add"),
    path("books/<int:pk>/periods/", views.period_list, name="period_list"),
    path("books/<int:pk>/periods/close/", views.period_close, name="period_close"),
    path("books/<int:pk>/periods/reopen/", views.period_reopen, name="period_reopen"),
    path("books/<int:pk>/year-end/", views.year_end_close, name="year_end_close"),
    path("books/<int:pk>/vouchers/add/", views_vouchers.voucher_create, name="voucher_create"),
    path("books/<int:pk>/accounts/options/", views_vouchers.account_options, name="account_options"),
    path("vouchers/", views_vouchers.voucher_list, name="voucher_list"),
    path("vouchers/<int:pk>/", views_vouchers.voucher_detail, name="voucher_detail"),
    path("vouchers/<int:pk>/edit/", views_vouchers.voucher_edit, name="voucher_edit"),
    path("vouchers/<int:pk>/delete/", views_vouchers.voucher_delete, name="voucher_delete"),
    path("vouchers/<int:pk>/post/", views_vouchers.voucher_post, name="voucher_post"),
    path("vouchers/<int:pk>/reverse/", views_vouchers.voucher_reverse, name="voucher_reverse"),
    path("vouchers/<int:pk>/attachments/add/", views_vouchers.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views_vouchers.attachment_download, name="attachment_download"),
    # Reports (科目余额表, 明细账, 序时账, 资产负债表, 收益及收益分配表): ?from=YYYY-MM&to=YYYY-MM, ?export=xlsx.
    path("books/<int:pk>/trial-balance/", views_reports.trial_balance_page, name="trial_balance"),
    path("books/<int:pk>/journal/", views_reports.journal_page, name="journal"),
    path("books/<int:pk>/balance-sheet/", views_reports.balance_sheet_page, name="balance_sheet"),
    path("books/<int:pk>/income-statement/", views_reports.income_statement_page, name="income_statement"),
    path("accounts/<int:pk>/ledger/", views_reports.account_ledger_page, name="account_ledger"),
]
