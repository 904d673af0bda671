"""The audit actions of night patrols and seasonal campaigns (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

TEAM_SET_UP = declare("patrol_team_set_up", _("成立巡逻队"))
TEAM_UPDATED = declare("patrol_team_updated", _("修改巡逻队"))
MEMBER_ADDED = declare("patrol_member_added", _("增加巡逻队员"))
MEMBER_LEFT = declare("patrol_member_left", _("巡逻队员离队"))
ROTA_GENERATED = declare("patrol_rota_generated", _("生成巡逻排班"))
SHIFT_STARTED = declare("patrol_shift_started", _("开始巡逻"))
SHIFT_ENDED = declare("patrol_shift_ended", _("结束巡逻"))
SHIFT_MISSED = declare("patrol_shift_missed", _("巡逻缺勤"))
LOG_UPDATED = declare("patrol_log_updated", _("修改巡逻日志"))
INCIDENT_RAISED = declare("patrol_incident_raised", _("巡逻发现上报为事项"))
CAMPAIGN_SET_UP = declare("campaign_set_up", _("部署专项巡查"))
CAMPAIGN_UPDATED = declare("campaign_updated", _("修改专项巡查"))
DUTY_ASSIGNED = declare("campaign_duty_assigned", _("安排专项巡查值班"))
POINT_ADDED = declare("campaign_point_added", _("登记重点点位"))
REPORT_MADE = declare("campaign_report_made", _("专项巡查每日上报"))
