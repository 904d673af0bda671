from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "hongniudai.distribution"
    label = "distribution"
    verbose_name = "收益分配"
