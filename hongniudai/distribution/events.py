"""The audit actions of the distribution of a year's surplus (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

PLAN_CREATED = declare("distribution_plan_created", _("新建收益分配方案"))
PLAN_UPDATED = declare("distribution_plan_updated", _("修改收益分配方案"))
PLAN_DELETED = declare("distribution_plan_deleted", _("删除收益分配方案"))
PLAN_APPROVED = declare("distribution_plan_approved", _("批准收益分配方案"))
ITEM_ADDED = declare("distribution_item_added", _("新增分配项目"))
ITEM_UPDATED = declare("distribution_item_updated", _("修改分配项目"))
ITEM_DELETED = declare("distribution_item_deleted", _("删除分配项目"))
PAYOUT_RECORDED = declare("distribution_payout_recorded", _("登记分红发放"))
