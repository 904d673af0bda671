from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hongniudai.accounts"
    label = "accounts"
    verbose_name = "用户与权限"
