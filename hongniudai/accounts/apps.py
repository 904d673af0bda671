from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class AccountsConfig(AppConfig):
    name = "hongniudai.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        # What `caching` keeps of a user across requests is not read again once their row or
        # their role assignments change, whoever writes them, nor the towns' account settings once
        # one changes; nor anything after `migrate` or `flush`.
        from . import caching
        from .models import RoleAssignment, TownAccountSettings, User

        post_save.connect(caching.forget_user_row, sender=User, dispatch_uid="hnd-forget-user")
        post_delete.connect(caching.forget_user_row, sender=User, dispatch_uid="hnd-forget-user-deleted")
        post_save.connect(caching.forget_assignment, sender=RoleAssignment, dispatch_uid="hnd-forget-roles")
        post_delete.connect(caching.forget_assignment, sender=RoleAssignment, dispatch_uid="hnd-forget-roles-deleted")
        post_save.connect(caching.forget_town_settings, sender=TownAccountSettings, dispatch_uid="hnd-forget-towns")
        post_delete.connect(
            caching.forget_town_settings, sender=TownAccountSettings, dispatch_uid="hnd-forget-towns-deleted"
        )
        post_migrate.connect(caching.forget_everything, sender=self, dispatch_uid="hnd-forget-everything")
