"""What the other domains (resident services, the watch) may use of `volunteers`: the volunteer and
the team. The tasks, participation and hours are added here as the package grows."""

from __future__ import annotations

from .models import Volunteer, VolunteerTeam

__all__ = ["Volunteer", "VolunteerTeam"]
