"""The audit actions of user accounts (`hongniudai.audit.actions`); signing in and out are the platform's."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

USER_CREATED = declare("user_created", _("新建用户"))
ROLE_ASSIGNED = declare("role_assigned", _("分配角色"))
PASSWORD_CHANGED = declare("password_changed", _("修改密码"))
SESSIONS_ENDED = declare("sessions_ended", _("退出其他设备"))
TOKEN_REVOKED = declare("token_revoked", _("作废API令牌"))
TOKENS_REVOKED = declare("tokens_revoked", _("作废全部API令牌"))
USER_DEACTIVATED = declare("user_deactivated", _("停用用户"))
USER_REACTIVATED = declare("user_reactivated", _("重新启用用户"))
USER_UPDATED = declare("user_updated", _("修改用户"))
ROLE_ENDED = declare("role_ended", _("终止角色"))
PASSWORD_RESET = declare("password_reset", _("重置密码"))
INVITATION_ACCEPTED = declare("invitation_accepted", _("通过邀请链接设置密码"))
TOWN_ACCOUNT_RULES = declare("town_account_rules", _("修改镇账号设置"))
