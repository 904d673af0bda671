from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hongniudai.audit"
    label = "audit"
    verbose_name = "审计"
