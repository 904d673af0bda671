"""The audit actions of organisational life (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

MEETING_RECORDED = declare("meeting_recorded", _("登记会议"))
MEETING_UPDATED = declare("meeting_updated", _("修改会议记录"))
MEETING_DELETED = declare("meeting_deleted", _("删除会议记录"))
MEETING_RULE_CREATED = declare("meeting_rule_created", _("新增组织生活地方规则"))
MEETING_RULE_UPDATED = declare("meeting_rule_updated", _("修改组织生活地方规则"))
MEETING_RULE_DELETED = declare("meeting_rule_deleted", _("删除组织生活地方规则"))
