"""The watch (平安守护), one sub-package per part: `watch.cameras` (the camera net and its alerts) and
`watch.patrols` (night patrols and seasonal campaigns). Their models are gathered here so Django finds
them under the app `watch`."""

from .cameras.models import AlertKindRule, Camera, CameraAlert, CameraPlatformKey, PendingAlert  # noqa: F401
from .patrols import models as patrols  # noqa: F401  (night patrols and seasonal campaigns)
