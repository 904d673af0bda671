"""What the other domains (resident services' soup rounds, the watch's patrol shifts) may use of
`volunteers`: the volunteer and the team, the task and its participation, and the two writes
that put volunteers to work: `schedule_task` (a task the caller's record owns, through `source`)
and `assign` (volunteers confirmed on it)."""

from __future__ import annotations

from .models import (
    HoursStatus,
    Participation,
    ParticipationStatus,
    ServiceHours,
    TaskKind,
    Volunteer,
    VolunteerTask,
    VolunteerTeam,
)
from .selectors import tasks_of_source, volunteers_for_choice
from .services_tasks import assign, schedule_task

__all__ = [
    "HoursStatus",
    "Participation",
    "ParticipationStatus",
    "ServiceHours",
    "TaskKind",
    "Volunteer",
    "VolunteerTask",
    "VolunteerTeam",
    "assign",
    "schedule_task",
    "tasks_of_source",
    "volunteers_for_choice",
]
