"""The audit actions of places (`hongniudai.audit.actions`): the area tree, households, residents and
the registrations the town reviews. Revealing an ID number is the platform's `REVEAL_ID`."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

AREA_CREATED = declare("area_created", _("新增地区"))
AREA_UPDATED = declare("area_updated", _("修改地区"))
AREA_DELETED = declare("area_deleted", _("删除地区"))

HOUSEHOLD_CREATED = declare("household_created", _("登记住户"))
HOUSEHOLD_UPDATED = declare("household_updated", _("修改住户"))
HOUSEHOLD_DELETED = declare("household_deleted", _("删除住户"))

RESIDENT_CREATED = declare("resident_created", _("登记居民"))
RESIDENT_UPDATED = declare("resident_updated", _("修改居民"))
RESIDENT_DELETED = declare("resident_deleted", _("删除居民"))
RESIDENT_MOVED = declare("resident_moved", _("居民迁移"))

REVIEW_REQUESTED = declare("registration_review_requested", _("提交登记审核申请"))
REVIEW_APPROVED = declare("registration_review_approved", _("同意登记审核申请"))
REVIEW_REJECTED = declare("registration_review_rejected", _("驳回登记审核申请"))

ACCOUNT_LINKED = declare("resident_account_linked", _("关联居民与账号"))
ACCOUNT_UNLINKED = declare("resident_account_unlinked", _("解除居民与账号的关联"))
