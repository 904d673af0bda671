"""The audit actions of the camera net (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

CAMERA_REGISTERED = declare("watch_camera_registered", _("登记摄像机"))
CAMERA_UPDATED = declare("watch_camera_updated", _("修改摄像机"))
CAMERA_STREAM_REVEALED = declare("watch_camera_stream_revealed", _("查看摄像机视频流地址"))
PLATFORM_KEY_ISSUED = declare("watch_platform_key_issued", _("签发视频平台密钥"))
PLATFORM_KEY_REVOKED = declare("watch_platform_key_revoked", _("停用视频平台密钥"))
ALERT_KIND_SAVED = declare("watch_alert_kind_saved", _("维护报警类型"))
ALERT_RECEIVED = declare("watch_alert_received", _("收到摄像机报警"))
PENDING_CONFIRMED = declare("watch_pending_confirmed", _("确认摄像机报警"))
PENDING_DISMISSED = declare("watch_pending_dismissed", _("排除摄像机报警"))
