"""The audit actions of vanguard posts and party activities (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

POST_CREATED = declare("vanguard_post_created", _("设立党员先锋岗"))
POST_UPDATED = declare("vanguard_post_updated", _("修改党员先锋岗"))
POST_ENDED = declare("vanguard_post_ended", _("撤销党员先锋岗"))
POST_DELETED = declare("vanguard_post_deleted", _("删除党员先锋岗"))

ACTIVITY_RECORDED = declare("activity_recorded", _("登记党建活动"))
ACTIVITY_UPDATED = declare("activity_updated", _("修改党建活动"))
ACTIVITY_DELETED = declare("activity_deleted", _("删除党建活动"))
