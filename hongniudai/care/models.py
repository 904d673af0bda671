"""Resident services (便民服务), one sub-package per part: `care.stations` (the service stations, the
requests they handle, the mass organisations' activities) and `care.soup` (the soup rounds, 爱心汤).
Their models are gathered here so Django finds them under the app `care`."""

from .soup.models import SoupHamletVolunteer, SoupRecipient, SoupRound, SoupRule, SoupSettings, SoupVisit  # noqa: F401
from .stations.models import *  # noqa: F403
