from django.apps import AppConfig


class VanguardConfig(AppConfig):
    name = "hongniudai.vanguard"
    label = "vanguard"
    verbose_name = "先锋岗与活动"
