"""The audit actions of source governance (`hongniudai.audit.actions`): one per kind of change."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

# ---- a matter on the ladder ----------------------------------------------------------------
MATTER_REPORTED = declare("matter_reported", _("上报事项"))
MATTER_ACCEPTED = declare("matter_accepted", _("受理事项"))
MATTER_ESCALATED = declare("matter_escalated", _("上交事项"))
MATTER_AUTO_ESCALATED = declare("matter_auto_escalated", _("超时自动上交事项"))
MATTER_HANDED_DOWN = declare("matter_handed_down", _("交办事项"))
MATTER_RESOLVED = declare("matter_resolved", _("办结事项"))
MATTER_FOLLOWED_UP = declare("matter_followed_up", _("回访事项"))
MATTER_REOPENED = declare("matter_reopened", _("重新办理事项"))

# ---- mediation -----------------------------------------------------------------------------
MATTER_INVITED = declare("matter_invited", _("邀请参与调处"))
MEDIATION_RECORDED = declare("mediation_recorded", _("记录走访调处"))
AGREEMENT_SIGNED = declare("agreement_signed", _("登记调解协议"))
AGREEMENT_UPDATED = declare("agreement_updated", _("修改调解协议"))
ATTACHMENT_ADDED = declare("attachment_added", _("上传事项附件"))

# ---- settings and rules --------------------------------------------------------------------
CALENDAR_DAY_SET = declare("calendar_day_set", _("调整工作日"))
CALENDAR_DAY_CLEARED = declare("calendar_day_cleared", _("恢复法定工作日安排"))
DEADLINE_RULE_SAVED = declare("deadline_rule_saved", _("保存时限规则"))
CATEGORY_CREATED = declare("matter_category_created", _("新增事项类别"))
CATEGORY_UPDATED = declare("matter_category_updated", _("修改事项类别"))
CATEGORY_ATTRIBUTE_SAVED = declare("category_attribute_saved", _("保存类别附加问题"))
CATEGORY_ATTRIBUTE_DELETED = declare("category_attribute_deleted", _("删除类别附加问题"))

# ---- Open311 keys --------------------------------------------------------------------------
OPEN311_KEY_ISSUED = declare("open311_key_issued", _("签发 Open311 密钥"))
OPEN311_KEY_REVOKED = declare("open311_key_revoked", _("停用 Open311 密钥"))
