"""The administrator's pages: the working calendar, deadline rules, categories and their extra
questions, Open311 keys. Only administrators; bad input gives a Chinese message and saves nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hongniudai.audit.models import AuditEvent
from hongniudai.governance import calendar, selectors, services
from hongniudai.governance.models import (
    CalendarDay,
    Category,
    CategoryAttribute,
    DeadlineRule,
    Level,
    Open311Key,
)

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
FRIDAY = dt.date(2025, 3, 14)
SATURDAY = dt.date(2025, 3, 15)
MONDAY = dt.date(2025, 3, 17)

CAL = "/matters/admin/calendar/"
RULES = "/matters/admin/rules/"
CATS = "/matters/admin/categories/"
KEYS = "/matters/admin/open311-keys/"


def _due_day(days: int = 1) -> dt.date:
    start = dt.datetime.combine(FRIDAY, dt.time(10), tzinfo=TZ)
    return calendar.add_working_days(start, days).astimezone(TZ).date()


def test_turning_a_saturday_into_a_working_day_changes_deadlines(gov):
    client = gov.client_for("admin")
    assert _due_day() == MONDAY
    response = client.post(CAL, {"date": SATURDAY.isoformat(), "is_working": "1", "note": "调休上班", "action": "set"})
    assert response.status_code == 302
    assert _due_day() == SATURDAY
    page = client.get(CAL, {"month": "2025-03", "day": SATURDAY.isoformat()}).content.decode()
    assert "调休上班" in page and "corrected" in page and "恢复法定安排" in page
    # Back to the official calendar.
    client.post(CAL, {"date": SATURDAY.isoformat(), "is_working": "1", "action": "clear"})
    assert not CalendarDay.objects.exists()
    assert _due_day() == MONDAY


def test_a_holiday_on_a_weekday_pushes_the_deadline(gov):
    client = gov.client_for("admin")
    client.post(CAL, {"date": MONDAY.isoformat(), "is_working": "0", "note": "防汛放假", "action": "set"})
    assert _due_day() == MONDAY + dt.timedelta(days=1)


def test_calendar_grid_marks_weekends_and_bad_input_is_refused(gov):
    client = gov.client_for("admin")
    response = client.get(CAL, {"month": "2025-03"})
    assert response.status_code == 200
    days = {d["date"]: d for week in response.context["weeks"] for d in week}
    assert days[FRIDAY]["working"] and not days[SATURDAY]["working"]
    assert client.get(CAL, {"month": "2025-99"}).status_code == 200
    response = client.post(CAL, {"date": SATURDAY.isoformat(), "is_working": "1", "note": "长" * 60, "action": "set"})
    assert response.status_code == 200
    assert not CalendarDay.objects.exists()
    assert "50" in response.content.decode()
    response = client.post(CAL, {"date": "2025-02-30", "is_working": "1", "action": "set"})
    assert response.status_code == 200 and not CalendarDay.objects.exists()
    response = client.post(CAL, {"date": SATURDAY.isoformat(), "is_working": "1", "action": "clear"})
    assert "这一天没有调整记录" in response.content.decode()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-02-30"])
def test_calendar_day_out_of_range_shows_this_month_with_a_message(gov, day):
    response = gov.client_for("admin").get(CAL, {"day": day})
    assert response.status_code == 200
    assert "日期" in response.context["month_error"]


def test_village_secretary_gets_403_on_every_admin_page(gov):
    client = gov.client_for("xuqiao")
    category = Category.objects.get(code="safety-hazard")
    attribute = category.attributes.first()
    assert attribute is not None
    urls = [
        CAL,
        RULES,
        CATS,
        "/matters/admin/categories/new/",
        f"/matters/admin/categories/{category.pk}/",
        f"/matters/admin/categories/{category.pk}/attributes/new/",
        f"/matters/admin/attributes/{attribute.pk}/",
        KEYS,
    ]
    audit_rows = AuditEvent.objects.count()
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"date": SATURDAY.isoformat(), "is_working": "1", "name": "x"}).status_code == 403, url
    assert client.post(f"/matters/admin/attributes/{attribute.pk}/delete/").status_code == 403
    assert CategoryAttribute.objects.filter(pk=attribute.pk).exists()
    assert not CalendarDay.objects.exists()
    assert AuditEvent.objects.count() == audit_rows
    # A grid worker and a centre household too.
    for user in ("gridworker", "zhangshengfu"):
        assert gov.client_for(user).get(RULES).status_code == 403
    with pytest.raises(PermissionDenied):  # the services refuse as well
        services.set_calendar_day(actor=gov.users["xuqiao"], date=SATURDAY, is_working=True)


def test_deadline_rules(gov):
    client = gov.client_for("admin")
    page = client.get(RULES)
    assert page.status_code == 200 and "汛期险情" in page.content.decode()  # seeded per-category rules
    seeded = set(DeadlineRule.objects.values_list("category_id", "level", "accept_days", "settle_days"))
    # Settle days shorter than accept days: a Chinese message and nothing saved.
    response = client.post(RULES, {"category": "", "level": "hamlet", "accept_days": "5", "settle_days": "2"})
    assert response.status_code == 200
    assert "办结时限不能短于受理时限" in response.content.decode()
    response = client.post(RULES, {"category": "", "level": "hamlet", "accept_days": "-1", "settle_days": "x"})
    assert response.status_code == 200
    assert set(DeadlineRule.objects.values_list("category_id", "level", "accept_days", "settle_days")) == seeded
    # A rule for forest disputes at the hamlet.
    response = client.post(
        RULES,
        {
            "category": gov.forest.pk,
            "level": "hamlet",
            "accept_days": "2",
            "settle_days": "7",
            "escalate_when_unaccepted": "on",
        },
    )
    assert response.status_code == 302
    assert selectors.rule_for(gov.forest, Level.HAMLET) == (2, 7, True, False)
    assert selectors.rule_for(gov.hazard, Level.HAMLET) == (1, 5, True, False)  # the default rule
    # The default rule for the village, then changed again (one row, not two).
    client.post(RULES, {"category": "", "level": "village", "accept_days": "3", "settle_days": "12"})
    client.post(RULES, {"category": "", "level": "village", "accept_days": "3", "settle_days": "15"})
    assert DeadlineRule.objects.filter(category__isnull=True, level="village").count() == 1
    assert selectors.rule_for(gov.hazard, Level.VILLAGE) == (3, 15, False, False)
    page = client.get(RULES, {"category": gov.forest.pk, "level": "hamlet"})
    assert page.context["form"].initial["settle_days"] == 7
    assert "山林" in page.content.decode()


def test_categories_create_edit_deactivate(gov):
    client = gov.client_for("admin")
    assert "山林纠纷" in client.get(CATS).content.decode()
    before = Category.objects.count()
    # Unknown kind: refused with a Chinese message.
    response = client.post(
        "/matters/admin/categories/new/",
        {"code": "road-damage", "name": "道路损坏", "kind": "weather", "sort_order": "0", "is_active": "on"},
    )
    assert response.status_code == 200 and Category.objects.count() == before
    assert "选择一个有效的选项" in response.content.decode()
    # A code already taken.
    response = client.post(
        "/matters/admin/categories/new/",
        {"code": "dispute-land", "name": "新土地纠纷", "kind": "dispute", "sort_order": "0", "is_active": "on"},
    )
    assert "已被其他类别使用" in response.content.decode() and Category.objects.count() == before
    response = client.post(
        "/matters/admin/categories/new/",
        {
            "code": "road-damage",
            "name": "道路损坏",
            "kind": "safety_hazard",
            "description": "村组道路塌陷、破损",
            "keywords": "路 塌陷",
            "is_public": "on",
            "is_active": "on",
            "sort_order": "90",
        },
    )
    assert response.status_code == 302
    road = Category.objects.get(code="road-damage")
    assert (road.name, road.kind, road.is_public, road.is_active) == ("道路损坏", "safety_hazard", True, True)
    # Deactivate it (the code cannot change: the field is fixed).
    response = client.post(
        f"/matters/admin/categories/{road.pk}/",
        {"code": "something-else", "name": "道路损坏", "kind": "safety_hazard", "sort_order": "90"},
    )
    assert response.status_code == 302
    road.refresh_from_db()
    assert road.code == "road-damage" and not road.is_active
    with pytest.raises(ValidationError):
        services.report_matter(
            actor=gov.users["zhangshengfu"],
            category=road,
            title="路塌了",
            description="路塌了",
            channel="web",
            place=gov.hemeifan.hamlet,
        )
    assert client.get("/matters/admin/categories/999999/").status_code == 404


def test_category_questions(gov):
    client = gov.client_for("admin")
    url = f"/matters/admin/categories/{gov.forest.pk}/attributes/new/"
    response = client.post(
        url,
        {
            "attr-code": "boundary",
            "attr-description": "争议地块四至",
            "attr-datatype": "text",
            "attr-required": "on",
            "attr-order": "1",
        },
    )
    assert response.status_code == 302
    attr = CategoryAttribute.objects.get(category=gov.forest, code="boundary")
    assert attr.required and attr.datatype == "text"
    count = CategoryAttribute.objects.count()
    # The same code again: refused.
    response = client.post(
        url, {"attr-code": "boundary", "attr-description": "四至", "attr-datatype": "string", "attr-order": "2"}
    )
    assert response.status_code == 200
    assert "该类别已有代码为“boundary”的问题" in response.content.decode()
    assert CategoryAttribute.objects.count() == count
    # A single-choice question needs options; options are "key=name" lines.
    response = client.post(
        url,
        {"attr-code": "fought", "attr-description": "是否动手", "attr-datatype": "singlevaluelist", "attr-order": "2"},
    )
    assert "至少需要一个选项" in response.content.decode() and CategoryAttribute.objects.count() == count
    response = client.post(
        url,
        {
            "attr-code": "fought",
            "attr-description": "是否动手",
            "attr-datatype": "singlevaluelist",
            "attr-options": "yes=是\nno=否",
            "attr-order": "2",
        },
    )
    assert response.status_code == 302
    fought = CategoryAttribute.objects.get(category=gov.forest, code="fought")
    assert fought.values == [{"key": "yes", "name": "是"}, {"key": "no", "name": "否"}]
    # The new questions are asked when reporting.
    with pytest.raises(ValidationError) as err:
        services.report_matter(
            actor=gov.users["zhangshengfu"],
            category=gov.forest,
            title="山林",
            description="争议",
            channel="web",
            place=gov.hemeifan.hamlet,
            attributes={"fought": "maybe"},
        )
    assert "attribute[boundary]" in err.value.message_dict
    assert "attribute[fought]" in err.value.message_dict
    # Edit, then delete.
    edit = f"/matters/admin/attributes/{fought.pk}/"
    assert "yes=是" in client.get(edit).content.decode()
    response = client.post(
        edit,
        {
            "code": "fought",
            "description": "是否发生肢体冲突",
            "datatype": "singlevaluelist",
            "options": "yes=是\nno=否\nunknown=不清楚",
            "order": "2",
        },
    )
    assert response.status_code == 302
    fought.refresh_from_db()
    assert fought.description == "是否发生肢体冲突" and len(fought.values) == 3
    response = client.post(
        edit, {"code": "fought", "description": "x", "datatype": "singlevaluelist", "options": "没有等号", "order": "2"}
    )
    assert "代码=名称" in response.content.decode()
    assert client.post(f"/matters/admin/attributes/{fought.pk}/delete/").status_code == 302
    assert not CategoryAttribute.objects.filter(pk=fought.pk).exists()
    assert client.get(f"/matters/admin/attributes/{fought.pk}/delete/").status_code == 405


def test_open311_keys_issue_shows_the_key_once_and_revoke(gov):
    client = gov.client_for("admin")
    response = client.post(KEYS, {"name": "县12345热线", "area": gov.town.pk})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    record = Open311Key.objects.get(name="县12345热线")
    assert record.digest == hashlib.sha256(key.encode()).hexdigest()
    assert record.prefix == key[:8] and record.is_active
    page = client.get(KEYS).content.decode()
    assert key not in page and record.prefix in page
    # Blank name: a message, no key.
    response = client.post(KEYS, {"name": " ", "area": gov.town.pk})
    assert response.status_code == 200 and Open311Key.objects.count() == 1 and not response.context["new_key"]
    # xuqiao can neither list nor revoke it (it is not in xuqiao's area: 404).
    xq = gov.client_for("xuqiao")
    assert xq.get(KEYS).status_code == 403
    assert xq.post(f"/matters/admin/open311-keys/{record.pk}/revoke/").status_code == 404
    record.refresh_from_db()
    assert record.is_active
    assert client.post(f"/matters/admin/open311-keys/{record.pk}/revoke/").status_code == 302
    record.refresh_from_db()
    assert not record.is_active
    again = client.post(f"/matters/admin/open311-keys/{record.pk}/revoke/", follow=True)
    assert "已停用" in again.content.decode()


def test_a_village_level_administrator_keeps_keys_but_not_the_deployment_settings(gov):
    """Categories, rules and the calendar hold for the whole deployment: an administrator whose
    assignment names only a village may not change them, but does issue keys for the village."""
    from hongniudai.accounts.models import Role
    from tests import factories as f

    gov.users["hmf_admin"] = f.user("hmf_admin", Role.TOWN_ADMIN, area=gov.hemeifan.area)
    client = gov.client_for("hmf_admin")
    for url in (CAL, RULES, CATS, "/matters/admin/categories/new/"):
        assert client.get(url).status_code == 403, url
    page = client.get(KEYS)
    assert page.status_code == 200
    assert [a.name for a in page.context["form"].fields["area"].queryset] == ["何梅畈村"]
    # A key for the town is refused (not in the form's choices), one for the village is issued.
    response = client.post(KEYS, {"name": "村务公开栏", "area": gov.town.pk})
    assert response.status_code == 200 and not Open311Key.objects.exists()
    response = client.post(KEYS, {"name": "村务公开栏", "area": gov.hemeifan.area.pk})
    assert response.context["new_key"] and Open311Key.objects.get().area == gov.hemeifan.area
    # The town administrator sees the village's key; the village administrator does not see the town's.
    village_key = Open311Key.objects.get()
    assert village_key.prefix in gov.client_for("admin").get(KEYS).content.decode()
    _key, other = services.issue_open311_key(actor=gov.users["admin"], name="县热线", area=gov.town)
    assert other.prefix not in client.get(KEYS).content.decode()
    assert client.post(f"/matters/admin/open311-keys/{other.pk}/revoke/").status_code == 404
    assert client.post(f"/matters/admin/open311-keys/{village_key.pk}/revoke/").status_code == 302
    village_key.refresh_from_db()
    assert not village_key.is_active
