from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "hongniudai.ledger"
    label = "ledger"
    verbose_name = "集体经济组织账套"

    def ready(self) -> None:
        from . import rollups  # noqa: F401 - registers the balances' rebuild with common.rollups
