"""The audit actions of the volunteers (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

VOLUNTEER_REGISTERED = declare("volunteer_registered", _("登记志愿者"))
VOLUNTEER_UPDATED = declare("volunteer_updated", _("修改志愿者"))
VOLUNTEER_DEACTIVATED = declare("volunteer_deactivated", _("志愿者退出"))
VOLUNTEER_ACCOUNT_LINKED = declare("volunteer_account_linked", _("关联志愿者登录账号"))
VOLUNTEER_FEED_ISSUED = declare("volunteer_feed_issued", _("生成志愿者日历订阅地址"))
VOLUNTEER_FEED_REVOKED = declare("volunteer_feed_revoked", _("停用志愿者日历订阅地址"))
TEAM_CREATED = declare("volunteer_team_created", _("成立志愿服务队"))
TEAM_UPDATED = declare("volunteer_team_updated", _("修改志愿服务队"))
TASK_SCHEDULED = declare("volunteer_task_scheduled", _("发布志愿任务"))
PARTICIPATION_REQUESTED = declare("volunteer_participation_requested", _("志愿任务报名"))
PARTICIPATION_CONFIRMED = declare("volunteer_participation_confirmed", _("确认志愿任务参与"))
PARTICIPATION_DECLINED = declare("volunteer_participation_declined", _("谢绝志愿任务参与"))
PARTICIPATION_COMPLETED = declare("volunteer_participation_completed", _("志愿任务完成"))
HOURS_LOGGED = declare("volunteer_hours_logged", _("登记服务时长"))
HOURS_CONFIRMED = declare("volunteer_hours_confirmed", _("确认服务时长"))
HOURS_REJECTED = declare("volunteer_hours_rejected", _("退回服务时长"))
