"""The audit actions of projects and service teams (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

PROJECT_REGISTERED = declare("project_registered", _("登记项目"))
PROJECT_UPDATED = declare("project_updated", _("修改项目"))
MILESTONE_ADDED = declare("project_milestone_added", _("新增项目节点"))
MILESTONE_UPDATED = declare("project_milestone_updated", _("修改项目节点"))
TEAM_SET_UP = declare("project_team_set_up", _("设立包联服务专班"))
TEAM_UPDATED = declare("project_team_updated", _("修改包联服务专班"))
TEAM_MEMBER_ADDED = declare("project_team_member_added", _("专班增加成员"))
TEAM_MEMBER_REMOVED = declare("project_team_member_removed", _("专班移除成员"))
LIAISON_SET = declare("project_liaison_set", _("登记包联"))
LIAISON_ENDED = declare("project_liaison_ended", _("结束包联"))
BLOCKER_RAISED = declare("project_blocker_raised", _("提出堵点难点问题"))
BLOCKER_STEP = declare("project_blocker_step", _("登记堵点办理情况"))
BLOCKER_ESCALATED = declare("project_blocker_escalated", _("上报堵点难点问题"))
BLOCKER_RESOLVED = declare("project_blocker_resolved", _("堵点问题已解决"))
BLOCKER_SIGNED_OFF = declare("project_blocker_signed_off", _("堵点问题销号"))
BLOCKER_OVERDUE = declare("project_blocker_overdue", _("堵点问题逾期"))
VISIT_RECORDED = declare("project_visit_recorded", _("登记进解促走访"))
VISIT_CHECKED_IN = declare("project_visit_checked_in", _("走访签到"))
FOLLOW_UP_DONE = declare("project_follow_up_done", _("完成走访跟进事项"))
CALENDAR_TOKEN_ISSUED = declare("project_calendar_token_issued", _("生成专班走访日历地址"))
CALENDAR_TOKEN_REVOKED = declare("project_calendar_token_revoked", _("停用专班走访日历地址"))
