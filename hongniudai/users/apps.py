from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "hongniudai.users"
    label = "users"
    verbose_name = "用户与角色"
