from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "hongniudai.governance"
    label = "governance"
    verbose_name = "溯源治理"
