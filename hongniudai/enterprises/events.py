"""The audit actions of enterprise party work (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

ENTERPRISE_CREATED = declare("enterprise_created", _("新增企业"))
ENTERPRISE_UPDATED = declare("enterprise_updated", _("修改企业信息"))
ENTERPRISE_DELETED = declare("enterprise_deleted", _("删除企业"))
EMPLOYMENT_ADDED = declare("employment_added", _("登记在企业工作的党员"))
EMPLOYMENT_REMOVED = declare("employment_removed", _("移除在企业工作的党员"))
INSTRUCTOR_CREATED = declare("instructor_created", _("新增党建指导员"))
INSTRUCTOR_UPDATED = declare("instructor_updated", _("修改党建指导员"))
INSTRUCTOR_ASSIGNED = declare("instructor_assigned", _("派驻党建指导员"))
INSTRUCTOR_ASSIGNMENT_ENDED = declare("instructor_assignment_ended", _("结束指导员派驻"))
INSTRUCTOR_ROLE_REMOVED = declare("instructor_role_removed", _("撤销指导员对党支部的权限"))
GUIDANCE_VISIT_RECORDED = declare("guidance_visit_recorded", _("登记指导记录"))
FOLLOW_UP_ADDED = declare("follow_up_added", _("添加整改事项"))
FOLLOW_UP_CLOSED = declare("follow_up_closed", _("办结整改事项"))
