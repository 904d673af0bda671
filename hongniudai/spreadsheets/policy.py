"""Who may import, whose jobs one sees, who confirms a job."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hongniudai.accounts.models import Role, User
from hongniudai.accounts.scope import Capability, roles_of, scope_for

from .models import ImportJob


def can_import(user: User) -> bool:
    """Whether `user` may import anything anywhere (the import pages and templates)."""
    return not scope_for(user, Capability.IMPORT).is_empty


def require_import(user: User) -> None:
    """Refuse (403) a user who may import nothing."""
    if not can_import(user):
        raise PermissionDenied(_("您没有导入数据的权限。"))


def sees_others_jobs(user: User) -> bool:
    """Town admins (and superusers) also see the jobs of others inside their scope."""
    return bool(user.is_superuser) or Role.TOWN_ADMIN in roles_of(user)


def may_confirm(user: User, job: ImportJob) -> bool:
    """Only the uploader confirms the import of a job (others in scope only watch it)."""
    return job.user_id == user.pk
