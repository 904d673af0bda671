"""Named audit actions: one per kind of change, as Zulip's audit log types are.

Each package declares the changes it records in its own `events.py`:

    from hongniudai.audit.actions import declare

    MATTER_REPORTED = declare("matter_reported", _("上报事项"))

and passes the constant to `audit.services.record` (or `record_create`/`record_update`/
`record_delete`). The code is what the audit row stores (at most 40 characters, unique across the
platform); the label is what the audit pages show. `AuditConfig.ready` imports every installed
package's `events` module, so every action is known before the first page is served.

The actions of the platform itself (signing in, exports, imports, API tokens) are declared here.
`create`, `update` and `delete` are the generic codes rows written before actions were named
carry; they are still shown, never written.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAX_CODE_LENGTH = 40


class Action(str):
    """An action's code (it is the string the audit row stores) with its label."""

    label: str | Promise

    def __new__(cls, code: str, label: str | Promise) -> Action:
        action = super().__new__(cls, code)
        action.label = label
        return action

    @property
    def code(self) -> str:
        return str.__str__(self)


_ACTIONS: dict[str, Action] = {}


def declare(code: str, label: str | Promise) -> Action:
    """Register the action `code`; declaring one code twice with another label is a programming error."""
    if not code or len(code) > MAX_CODE_LENGTH or not code.replace("_", "").isalnum() or code != code.lower():
        raise ValueError(f"audit action code must be lower_snake_case, 1..{MAX_CODE_LENGTH} characters: {code!r}")
    known = _ACTIONS.get(code)
    if known is not None and str(known.label) != str(label):
        raise ValueError(f"audit action {code!r} declared twice")
    action = Action(code, label)
    _ACTIONS[code] = action
    return action


def label_of(code: str) -> str:
    """The Chinese label of the action stored as `code` (the code itself if it is unknown)."""
    action = _ACTIONS.get(code)
    return str(action.label) if action is not None else code


def choices() -> list[tuple[str, str]]:
    """(code, label) of every declared action, by label, for the audit page's filter."""
    return sorted(((a.code, str(a.label)) for a in _ACTIONS.values()), key=lambda pair: pair[1])


# ---- the platform's own actions ----------------------------------------------------------------
LOGIN = declare("login", _("登录"))
LOGIN_FAILED = declare("login_failed", _("登录失败"))
LOGOUT = declare("logout", _("退出"))
REVEAL_ID = declare("reveal_id", _("查看完整身份证号"))
IMPORT = declare("import", _("导入"))
EXPORT = declare("export", _("导出"))
TOKEN = declare("token", _("签发API令牌"))

# ---- codes of rows written before actions were named (shown, never written) --------------------
LEGACY_CREATE = declare("create", _("新增"))
LEGACY_UPDATE = declare("update", _("修改"))
LEGACY_DELETE = declare("delete", _("删除"))
