"""Every write of night patrols and seasonal campaigns, one module per topic (`patrols`,
`campaigns`; `common` for what they share), re-exported here: `services.report_make(...)`. Writes need WATCH over the record's area;
each is atomic and writes one named audit event. An incident found on patrol and a campaign's
finding are raised as matters on the ladder through `governance.interface.report_matter`.

Decisions written down here (and in docs/watch.md):
- The market town (集镇) is the team whose area is the town itself; its route may pass through any
  grid of the town. A village's team patrols its own grids.
- One shift per team and night; generating a month's rota again adds only the nights missing.
- A shift nobody checked in to by its planned end is flagged missed by the periodic job, once.
- A second daily report for the same campaign, grid and day is refused with a Chinese message (a
  finding noticed later is raised as a matter directly): the first report, and its time, stand.
"""

from .campaigns import (
    campaign_set_up,
    campaign_update,
    deadline_of,
    duty_assign,
    point_add,
    report_make,
    send_campaign_reminders,
)
from .common import SHANGHAI, village_of
from .patrols import (
    flag_missed_shifts,
    incident_raise,
    log_update,
    member_add,
    member_leave,
    rota_generate,
    shift_end,
    shift_start,
    shift_window,
    team_set_up,
    team_update,
)

__all__ = [
    "SHANGHAI",
    "campaign_set_up",
    "campaign_update",
    "deadline_of",
    "duty_assign",
    "flag_missed_shifts",
    "incident_raise",
    "log_update",
    "member_add",
    "member_leave",
    "point_add",
    "report_make",
    "rota_generate",
    "send_campaign_reminders",
    "shift_end",
    "shift_start",
    "shift_window",
    "team_set_up",
    "team_update",
    "village_of",
]
