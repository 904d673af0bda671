from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    name = "hongniudai.spreadsheets"
    label = "spreadsheets"
    verbose_name = "导入导出"
