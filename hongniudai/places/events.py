"""The audit actions of places (`hongniudai.audit.actions`)."""

from django.utils.translation import gettext_lazy as _

from hongniudai.audit.actions import declare

RESIDENT_MOVED = declare("resident_moved", _("居民迁移"))
