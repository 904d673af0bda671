"""The audit actions of party organisations, members and centre households (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

ORG_CREATED = declare("party_org_created", _("新增党组织"))
ORG_UPDATED = declare("party_org_updated", _("修改党组织"))
ORG_DELETED = declare("party_org_deleted", _("删除党组织"))

MEMBER_CREATED = declare("member_created", _("新增党员"))
MEMBER_UPDATED = declare("member_updated", _("修改党员档案"))
MEMBER_GROUPED = declare("member_grouped", _("编入党小组"))
MEMBER_DELETED = declare("member_deleted", _("删除党员档案"))

CENTRE_SET = declare("centre_household_set", _("设定党员中心户"))
CENTRE_CHANGED = declare("centre_household_changed", _("更改党员中心户"))
CENTRE_REMOVED = declare("centre_household_removed", _("撤销党员中心户"))
