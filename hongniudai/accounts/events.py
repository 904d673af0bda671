"""The audit actions of user accounts (`hongniudai.audit.actions`); signing in and out are the platform's."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

PASSWORD_CHANGED = declare("password_changed", _("修改密码"))
SESSIONS_ENDED = declare("sessions_ended", _("退出其他设备"))
TOKEN_REVOKED = declare("token_revoked", _("作废API令牌"))
TOKENS_REVOKED = declare("tokens_revoked", _("作废全部API令牌"))
