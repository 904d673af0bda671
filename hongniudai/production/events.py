"""The audit actions of production and sales (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

PLANTING_RECORDED = declare("production_planting_recorded", _("登记种植"))
WORK_RECORDED = declare("production_work_recorded", _("登记务工并计提工资"))
WAGES_PAID = declare("production_wages_paid", _("发放务工工资"))
HARVEST_RECORDED = declare("production_harvest_recorded", _("登记收获"))
CONTRACT_SIGNED = declare("production_contract_signed", _("登记收购合同"))
DELIVERY_RECORDED = declare("production_delivery_recorded", _("登记合同交货"))
PROCESSING_RECORDED = declare("production_processing_recorded", _("登记加工"))
SALE_RECORDED = declare("production_sale_recorded", _("登记产品销售"))
RECEIPT_RECORDED = declare("production_receipt_recorded", _("登记货款收回"))
