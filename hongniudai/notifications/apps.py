from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "hongniudai.notifications"
    label = "notifications"
    verbose_name = "通知"
