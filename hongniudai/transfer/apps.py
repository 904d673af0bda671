from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "hongniudai.transfer"
    label = "transfer"
    verbose_name = "导入导出"
