"""The audit actions of member development (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

DEVELOPMENT_CASE_OPENED = declare("development_case_opened", _("建立发展党员档案"))
DEVELOPMENT_STEP_RECORDED = declare("development_step_recorded", _("登记发展环节"))
DEVELOPMENT_RULE_CREATED = declare("development_rule_created", _("新增发展党员地方规则"))
DEVELOPMENT_RULE_UPDATED = declare("development_rule_updated", _("修改发展党员地方规则"))
DEVELOPMENT_RULE_DELETED = declare("development_rule_deleted", _("删除发展党员地方规则"))
