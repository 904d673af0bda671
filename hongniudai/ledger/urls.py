from django.urls import path

from . import views_reports

app_name = "ledger"
urlpatterns = [
    # Reports (科目余额表, 明细账, 序时账, 资产负债表, 收益及收益分配表): ?from=YYYY-MM&to=YYYY-MM, ?export=xlsx.
    path("books/<int:pk>/trial-balance/", views_reports.trial_balance_page, name="trial_balance"),
    path("books/<int:pk>/journal/", views_reports.journal_page, name="journal"),
    path("books/<int:pk>/balance-sheet/", views_reports.balance_sheet_page, name="balance_sheet"),
    path("books/<int:pk>/income-statement/", views_reports.income_statement_page, name="income_statement"),
    path("accounts/<int:pk>/ledger/", views_reports.account_ledger_page, name="account_ledger"),
]
