"""Confirming a validated job writes through the services; good-rows-only writes exactly the good rows."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from hongniudai.audit.models import AuditEvent
from hongniudai.common.identity import decrypt_id_number
from hongniudai.party.models import Member, MemberStatus, Post
from hongniudai.places import events as place_events
from hongniudai.places import services as place_services
from hongniudai.places.models import AreaNode, Household, RegistrationReview, Relation, Resident
from hongniudai.spreadsheets import events
from hongniudai.spreadsheets.models import ImportJob
from tests import factories as f
from tests.factories import make_id_number

from .helpers import HOUSEHOLD_HEADERS, MEMBER_HEADERS, RESIDENT_HEADERS, confirm, messages_at, upload_job


def test_good_rows_only_saves_exactly_the_good_rows(town):
    client = town.client_for("xuqiao")
    rows = [
        ["徐桥村/5组/黄家湾", "XQ-10", "黄家湾 10 号", "是", "否", ""],  # good
        ["发水河村/1组/施家湾", "XQ-11", "施家湾 11 号", "", "", ""],  # outside the scope
        ["黄家湾", "XQ-12", "黄家湾 12 号", "", "是", "新建"],  # good
        ["黄家湾", "XQ-13", "", "", "", ""],  # missing address
    ]
    job = upload_job(client, "households", HOUSEHOLD_HEADERS, rows)
    assert (job.good_rows, job.error_rows) == (2, 2)
    response = confirm(client, job, "good_only")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and job.mode == "good_only"
    assert job.imported_rows == 2 and job.error_rows == 2
    assert {(e["row"], e["column"]) for e in job.errors} == {(3, "湾组"), (5, "住址")}
    created = Household.objects.filter(number__startswith="XQ-1")
    assert sorted(created.values_list("number", flat=True)) == ["XQ-10", "XQ-12"]
    assert created.get(number="XQ-10").is_formerly_poor is True
    assert created.get(number="XQ-12").is_monitored is True and created.get(number="XQ-12").note == "新建"
    assert not Household.objects.filter(hamlet=town.fashuihe.hamlet, number="XQ-11").exists()
    assert set(created.values_list("hamlet", flat=True)) == {town.xuqiao.hamlet.pk}
    # The stored upload (ID numbers in clear for other kinds) is not kept after the import.
    assert not job.file


def test_clean_files_import_households_residents_and_members_with_audit(town):
    client = town.client_for("xuqiao")
    households = upload_job(
        client,
        "households",
        HOUSEHOLD_HEADERS,
        [
            ["徐桥村/5组/黄家湾", "XQ-20", "黄家湾 20 号", "否", "否", ""],
            ["黄家湾", "XQ-21", "黄家湾 21 号", "", "", ""],
        ],
    )
    assert households.can_import_all
    confirm(client, households, "all")
    households.refresh_from_db()
    assert households.status == "done" and households.imported_rows == 2

    head_id = make_id_number(birth=dt.date(1970, 2, 3), sex="M")
    wife_id = make_id_number(birth=dt.date(1972, 4, 5), sex="F")
    other_id = make_id_number(birth=dt.date(1990, 6, 7), sex="M")
    residents = upload_job(
        client,
        "residents",
        RESIDENT_HEADERS,
        [
            ["XQ-20", "罗华清", head_id, "男", "13912340001", "户主", "否", "是", "否", ""],
            ["XQ-20", "王芳", wife_id.lower(), "", "139 1234 0002", "配偶", "", "", "", ""],
            ["XQ-21", "陈磊", other_id, "", "", "", "是", "", "是", ""],
        ],
    )
    assert (residents.total_rows, residents.good_rows, residents.error_rows) == (3, 3, 0)
    confirm(client, residents, "all")
    residents.refresh_from_db()
    assert residents.status == "done" and residents.imported_rows == 3
    head = Resident.objects.get(name="罗华清")
    assert head.household.number == "XQ-20" and head.household.head == head
    assert head.is_returnee and head.phone == "13912340001" and head.birth_date == dt.date(1970, 2, 3)
    assert Resident.objects.get(name="王芳").sex == "F" and Resident.objects.get(name="王芳").phone == "13912340002"
    chen = Resident.objects.get(name="陈磊")
    assert chen.relation == Relation.OTHER and chen.is_veteran and chen.is_disabled

    members = upload_job(
        client,
        "members",
        MEMBER_HEADERS,
        [
            [
                "罗华清",
                head_id,
                "徐桥村党支部",
                "徐桥村5组党小组",
                "正式党员",
                dt.datetime(1995, 7, 1),
                "1996/7/1",
                "委员",
                "",
            ],
            ["", other_id, "徐桥村党支部", "", "预备党员", "2024年7月1日", "", "", ""],
        ],
    )
    assert members.error_rows == 0, members.errors
    confirm(client, members, "all")
    member = Member.objects.get(resident=head)
    assert member.org == town.xuqiao.branch and member.party_group == town.xuqiao.group
    assert member.joined_on == dt.date(1995, 7, 1) and member.full_on == dt.date(1996, 7, 1)
    assert member.post == Post.COMMITTEE_MEMBER and member.status == MemberStatus.FULL
    assert Member.objects.get(resident=chen).status == MemberStatus.PROBATIONARY

    for job, n in ((households, 2), (residents, 3)):
        event = AuditEvent.objects.get(
            action=events.IMPORTED, target_type="spreadsheets.importjob", target_id=str(job.pk), note="导入完成"
        )
        assert event.actor_name == "xuqiao"
        assert event.changes["imported"] == n and event.changes["errors"] == 0 and event.changes["total"] == n
    # Each written record is audited by the services, with the ID number masked.
    created = AuditEvent.objects.filter(
        action=place_events.RESIDENT_CREATED, target_type="places.resident", actor_name="xuqiao"
    )
    assert created.count() == 3
    assert all(head_id not in str(e.changes) for e in created)


def test_admin_can_import_anywhere_in_the_town_by_full_path(town):
    client = town.client_for("admin")
    job = upload_job(
        client,
        "households",
        HOUSEHOLD_HEADERS,
        [["发水河村/1组/施家湾", "FSH-9", "施家湾 9 号", "", "", ""], ["张家冲", "HMF-9", "张家冲 9 号", "", "", ""]],
    )
    confirm(client, job, "all")
    assert Household.objects.get(number="FSH-9").hamlet == town.fashuihe.hamlet
    assert Household.objects.get(number="HMF-9").hamlet == town.hemeifan.hamlet


def test_ambiguous_hamlet_name_asks_for_the_full_path(town):
    f.area(town.fashuihe.grid, "黄家湾", "hamlet")
    job = upload_job(
        town.client_for("admin"), "households", HOUSEHOLD_HEADERS, [["黄家湾", "X-1", "黄家湾 1 号", "", "", ""]]
    )
    assert job.errors == [{"row": 2, "column": "湾组", "message": "“黄家湾”对应多个湾组,请填写完整路径“村/组/湾”。"}]
    assert AreaNode.objects.filter(name="黄家湾").count() == 2


def test_import_is_not_started_twice(town):
    client = town.client_for("xuqiao")
    job = upload_job(client, "households", HOUSEHOLD_HEADERS, [["黄家湾", "XQ-30", "黄家湾 30 号", "", "", ""]])
    confirm(client, job, "all")
    response = confirm(client, job, "all", follow=True)
    assert "不能导入" in response.content.decode()
    assert Household.objects.filter(number="XQ-30").count() == 1
    assert ImportJob.objects.get(pk=job.pk).imported_rows == 1


def test_row_that_became_invalid_after_validation_is_reported_and_the_rest_imported(town):
    client = town.client_for("xuqiao")
    town.xuqiao.household.number = "XQ-1"
    town.xuqiao.household.save()
    taken, free = make_id_number(), make_id_number()
    job = upload_job(
        client,
        "residents",
        RESIDENT_HEADERS,
        [["XQ-1", "甲", taken, "", "", "", "", "", "", ""], ["XQ-1", "乙", free, "", "", "", "", "", "", ""]],
    )
    assert job.can_import_all
    # Someone registers the first person between validation and confirmation.
    place_services.create_resident(
        actor=town.users["admin"], household=town.xuqiao.household, name="甲", id_number=taken
    )
    confirm(client, job, "all")
    job.refresh_from_db()
    assert job.status == "done" and job.imported_rows == 1
    assert job.errors == [{"row": 2, "column": "身份证号", "message": "该身份证号已登记。"}]
    assert Resident.objects.filter(name="甲").count() == 1 and Resident.objects.filter(name="乙").count() == 1


def test_a_broken_stored_file_fails_the_job_with_a_message(town):
    client = town.client_for("xuqiao")
    job = upload_job(client, "households", HOUSEHOLD_HEADERS, [["黄家湾", "XQ-70", "黄家湾 70 号", "", "", ""]])
    with open(job.file.path, "wb") as fh:
        fh.write(b"garbage")
    confirm(client, job, "all")
    job.refresh_from_db()
    assert job.status == "failed" and "无法作为 Excel" in job.failure
    assert not Household.objects.filter(number="XQ-70").exists()
    page = client.get(reverse("spreadsheets:import_detail", args=[job.pk])).content.decode()
    assert "无法作为 Excel" in page


def test_a_person_registered_in_another_village_needs_the_towns_review_row_by_row(town):
    client = town.client_for("xuqiao")
    town.xuqiao.household.number = "XQ-1"
    town.xuqiao.household.save()
    elsewhere = decrypt_id_number(town.fashuihe.head.id_cipher)
    here = decrypt_id_number(town.xuqiao.head.id_cipher)
    rows = [
        ["XQ-1", "施华成", elsewhere, "", "", "子女", "", "", "", ""],
        ["XQ-1", "黄某", here, "", "", "", "", "", "", ""],
        ["XQ-1", "乙", make_id_number(), "", "", "", "", "", "", ""],
    ]
    job = upload_job(client, "residents", RESIDENT_HEADERS, rows)
    # Checking the file says what will happen, and records nothing yet.
    assert messages_at(job, 2, "身份证号") == ["该居民的登记需经镇里审核,导入时将提交审核申请。"]
    assert messages_at(job, 3, "身份证号") == ["该身份证号已登记。"]
    assert not RegistrationReview.objects.exists()
    confirm(client, job, "good_only")
    job.refresh_from_db()
    assert job.status == "done" and job.imported_rows == 1
    assert {"row": 2, "column": "身份证号", "message": "该居民的登记需经镇里审核,已提交审核申请。"} in job.errors
    review = RegistrationReview.objects.get()
    assert review.resident == town.fashuihe.head and review.household == town.xuqiao.household
    assert review.relation == Relation.CHILD and review.name == "施华成"
