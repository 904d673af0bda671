"""The audit actions of land parcels, transfer contracts and rent (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

PARCEL_CREATED = declare("land_parcel_created", _("登记承包地块"))
PARCEL_UPDATED = declare("land_parcel_updated", _("修改承包地块"))
CONTRACT_CREATED = declare("land_contract_created", _("登记土地流转合同"))
CONTRACT_UPDATED = declare("land_contract_updated", _("修改土地流转合同"))
CONTRACT_PARCEL_ADDED = declare("land_contract_parcel_added", _("流转合同增加地块"))
CONTRACT_STATUS_CHANGED = declare("land_contract_status_changed", _("流转合同到期或解除"))
RENT_ACCRUED = declare("land_rent_accrued", _("计提农户土地租金"))
RENT_RECEIVED = declare("land_rent_received", _("收到企业土地租金"))
RENT_PAID = declare("land_rent_paid", _("支付农户土地租金"))
