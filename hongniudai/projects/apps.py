from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "hongniudai.projects"
    label = "projects"
    verbose_name = "项目服务"
