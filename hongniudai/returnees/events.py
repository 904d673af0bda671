"""The audit actions of the returnee programme (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

RETURNEE_REGISTERED = declare("returnee_registered", _("登记返乡能人"))
RETURNEE_UPDATED = declare("returnee_updated", _("修改返乡能人"))
BUSINESS_REGISTERED = declare("returnee_business_registered", _("登记返乡创业项目"))
BUSINESS_UPDATED = declare("returnee_business_updated", _("修改返乡创业项目"))
RESIDENT_EMPLOYED = declare("returnee_resident_employed", _("登记带动就业"))
EMPLOYMENT_ENDED = declare("returnee_employment_ended", _("结束带动就业"))
WAGES_RECORDED = declare("returnee_wages_recorded", _("登记务工工资"))
WAGES_CORRECTED = declare("returnee_wages_corrected", _("更正务工工资"))
SUPPORT_RECORDED = declare("returnee_support_recorded", _("登记扶持措施"))
