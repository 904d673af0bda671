from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AuditConfig(AppConfig):
    name = "hongniudai.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self) -> None:
        # Every package's `events.py` declares its audit actions (`audit.actions`).
        autodiscover_modules("events")
