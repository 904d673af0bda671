from django.apps import AppConfig


class OrgLifeConfig(AppConfig):
    name = "hongniudai.orglife"
    label = "orglife"
    verbose_name = "组织生活"
