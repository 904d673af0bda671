import datetime as dt
from zoneinfo import ZoneInfo

from hongniudai.governance import services
from hongniudai.governance.calendar import Signal, add_working_days, signal
from hongniudai.governance.models import CalendarDay, EventKind, Level, Matter, MatterStatus
from hongniudai.notifications import selectors as notification_selectors

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=SH)


def test_friday_plus_one_working_day_is_monday(db):
    due = add_working_days(at(2026, 11, 27), 1)  # Friday
    assert due.date() == dt.date(2026, 11, 30) and due.hour == 23


def test_public_holidays_are_not_counted(db):
    # 30 September 2026 (Wednesday) + 1 working day: 1-7 October are the National Day holiday.
    due = add_working_days(at(2026, 9, 30), 1)
    assert due.date() == dt.date(2026, 10, 8)


def test_administrator_corrections_win(db):
    CalendarDay.objects.create(date=dt.date(2026, 11, 28), is_working=True, note="调休上班")  # a Saturday
    assert add_working_days(at(2026, 11, 27), 1).date() == dt.date(2026, 11, 28)
    CalendarDay.objects.create(date=dt.date(2026, 11, 30), is_working=False, note="临时放假")
    assert add_working_days(at(2026, 11, 28), 1).date() == dt.date(2026, 12, 1)


def test_years_beyond_the_official_table_fall_back_to_weekdays(db):
    assert add_working_days(at(2031, 1, 3), 1).date() == dt.date(2031, 1, 6)  # Friday → Monday


def test_signal_turns_yellow_then_red(db):
    due = add_working_days(at(2026, 11, 27), 1)  # Monday 30th, end of day
    assert signal(at(2026, 11, 27), due) == Signal.GREEN
    assert signal(at(2026, 11, 30, 9), due) == Signal.YELLOW
    assert signal(at(2026, 12, 1, 9), due) == Signal.RED


def _report(gov, when):
    return services.report_matter(
        actor=gov.users["zhangshengfu"],
        category=gov.forest,
        title="山林纠纷",
        description="界址争议",
        channel="centre_household",
        place=gov.hemeifan.hamlet,
        reported_at=when,
    )


def test_unaccepted_matter_is_handed_up_once_by_the_job(gov):
    matter = _report(gov, at(2026, 11, 27))  # Friday; 1 working day to accept → Monday night
    # Saturday and Sunday do not count: nothing happens over the weekend.
    assert services.enforce_deadlines(now=at(2026, 11, 29, 20)) == {"escalated": 0, "warned": 0}
    counts = services.enforce_deadlines(now=at(2026, 12, 1, 9))
    assert counts["escalated"] == 1
    matter.refresh_from_db()
    assert matter.level == Level.GRID and matter.status == MatterStatus.NEW
    assert matter.events.filter(kind=EventKind.AUTO_ESCALATE).count() == 1
    assert notification_selectors.about(Matter, [matter.pk]).filter(user=gov.users["hmf_grid"]).exists()
    # Running again at the same moment changes nothing: the new level has fresh deadlines.
    assert services.enforce_deadlines(now=at(2026, 12, 1, 9))["escalated"] == 0


def test_accepted_but_unsettled_matter_is_warned_once(gov):
    matter = _report(gov, at(2026, 11, 2))
    services.accept(actor=gov.users["zhangshengfu"], matter=matter)
    late = at(2026, 11, 20)
    assert services.enforce_deadlines(now=late) == {"escalated": 0, "warned": 1}
    assert services.enforce_deadlines(now=late) == {"escalated": 0, "warned": 0}
    matter.refresh_from_db()
    assert matter.level == Level.HAMLET
    assert matter.events.filter(kind=EventKind.OVERDUE).count() == 1
