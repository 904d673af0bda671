"""The audit actions of the service stations and the mass organisations (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

ITEM_CREATED = declare("care_item_created", _("新增服务事项"))
ITEM_UPDATED = declare("care_item_updated", _("修改服务事项"))
ITEM_LIMIT_SET = declare("care_item_limit_set", _("调整服务事项办理时限"))
STATION_CREATED = declare("care_station_created", _("设立便民服务站"))
STATION_UPDATED = declare("care_station_updated", _("修改便民服务站"))
STAFF_ADDED = declare("care_staff_added", _("添加服务站工作人员"))
STAFF_REMOVED = declare("care_staff_removed", _("移除服务站工作人员"))
REQUEST_RECEIVED = declare("care_request_received", _("受理服务申请"))
REQUEST_STEP = declare("care_request_step", _("登记服务申请办理环节"))
REQUEST_CLOSED = declare("care_request_closed", _("办结服务申请"))
REQUEST_RATED = declare("care_request_rated", _("登记服务满意度"))
REQUEST_TO_MATTER = declare("care_request_to_matter", _("服务申请转为矛盾纠纷/隐患"))
ORG_CREATED = declare("care_mass_org_created", _("登记群团组织"))
ORG_UPDATED = declare("care_mass_org_updated", _("修改群团组织"))
ACTIVITY_RECORDED = declare("care_activity_recorded", _("登记群团活动"))
ACTIVITY_UPDATED = declare("care_activity_updated", _("修改群团活动"))
PHOTO_ADDED = declare("care_activity_photo_added", _("上传群团活动照片"))
