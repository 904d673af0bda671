"""The audit actions of user accounts (`hongniudai.audit.actions`); signing in and out are the platform's."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

USER_CREATED = declare("user_created", _("新建用户"))
ROLE_ASSIGNED = declare("role_assigned", _("分配角色"))
