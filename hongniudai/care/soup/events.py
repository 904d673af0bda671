"""The audit actions of the soup rounds (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

RULE_SAVED = declare("soup_rule_saved", _("修改送汤对象条件"))
SETTINGS_SAVED = declare("soup_settings_saved", _("修改爱心汤设置"))
RECIPIENT_PROPOSED = declare("soup_recipient_proposed", _("提出送汤对象"))
RECIPIENT_APPROVED = declare("soup_recipient_approved", _("确认送汤对象"))
RECIPIENT_REMOVED = declare("soup_recipient_removed", _("移除送汤对象"))
HAMLET_VOLUNTEER_SET = declare("soup_hamlet_volunteer_set", _("指定湾组送汤志愿者"))
ROUND_CREATED = declare("soup_round_created", _("生成送汤批次"))
VISIT_ASSIGNED = declare("soup_visit_assigned", _("改派送汤志愿者"))
VISIT_CHECKED = declare("soup_visit_checked", _("登记送汤结果"))
