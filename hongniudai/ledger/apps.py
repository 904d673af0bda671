from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "hongniudai.ledger"
    label = "ledger"
    verbose_name = "集体经济组织账套"
