"""The audit actions of the collective economy's organisations, decisions, members and shares
(`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

DECISION_CREATED = declare("collective_decision_created", _("登记四议两公开事项"))
STEP_RECORDED = declare("collective_step_recorded", _("记录四议两公开环节"))
ORG_REGISTERED = declare("collective_org_registered", _("登记集体经济组织"))
COOPERATIVE_FOUNDED = declare("collective_cooperative_founded", _("组建合作社"))
MEMBER_CONFIRMED = declare("collective_member_confirmed", _("确认集体经济组织成员"))
MEMBERSHIP_ENDED = declare("collective_membership_ended", _("成员退出集体经济组织"))
SHARES_RECORDED = declare("collective_shares_recorded", _("股权登记"))
