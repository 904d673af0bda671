"""One bad row per failure kind: each is reported by row, column and reason, and nothing is saved."""

from __future__ import annotations

import datetime as dt

from stdnum.cn import ric

from hongniudai.common.identity import decrypt_id_number
from hongniudai.party.models import Member
from hongniudai.places import services as place_services
from hongniudai.places.models import Household, Resident
from tests import factories as f
from tests.factories import make_id_number

from .helpers import (
    HOUSEHOLD_HEADERS,
    MEMBER_HEADERS,
    RESIDENT_HEADERS,
    confirm,
    errors_of,
    messages_at,
    upload,
    upload_job,
    xlsx_upload,
)


def _bad_check(number: str) -> str:
    wrong = next(c for c in "0123456789X" if c != number[-1])
    return number[:-1] + wrong


def _impossible_date() -> str:
    body = "420704" + "19990231" + "123"
    return body + ric.calc_check_digit(body + "0")


def test_household_rows_with_errors_are_reported_and_nothing_saved(town):
    f.household(town.xuqiao.hamlet, "黄家湾 1 号", number="XQ-1")
    before = Household.objects.count()
    rows = [
        ["徐桥村/5组/黄家湾", "XQ-2", "黄家湾 2 号", "否", "否", ""],  # 2 good
        ["李家湾", "XQ-3", "李家湾 3 号", "", "", ""],  # 3 unknown hamlet
        ["发水河村/1组/施家湾", "XQ-4", "施家湾 4 号", "", "", ""],  # 4 hamlet outside xuqiao's scope
        ["施家湾", "XQ-5", "施家湾 5 号", "", "", ""],  # 5 the same, by name
        ["黄家湾", "XQ-6", "", "", "", ""],  # 6 missing address
        ["黄家湾", "XQ-2", "黄家湾 7 号", "", "", ""],  # 7 number repeated in the file
        ["黄家湾", "XQ-8", "黄家湾 8 号", "也许", "", ""],  # 8 bad yes/no
        ["黄家湾", "XQ-1", "黄家湾 9 号", "", "", ""],  # 9 number already registered
    ]
    job = upload_job(town.client_for("xuqiao"), "households", HOUSEHOLD_HEADERS, rows)
    assert job.status == "validated"
    assert errors_of(job) == {
        (3, "湾组"),
        (4, "湾组"),
        (5, "湾组"),
        (6, "住址"),
        (7, "户编号"),
        (8, "脱贫户"),
        (9, "户编号"),
    }
    assert (job.total_rows, job.good_rows, job.error_rows) == (8, 1, 7)
    assert messages_at(job, 3, "湾组") == ["未找到湾组“李家湾”,或该湾组不在您的管辖范围内。"]
    # Out of scope reads exactly like unknown: nothing about the other village is revealed.
    assert messages_at(job, 4, "湾组") == ["未找到湾组“发水河村/1组/施家湾”,或该湾组不在您的管辖范围内。"]
    assert messages_at(job, 5, "湾组") == ["未找到湾组“施家湾”,或该湾组不在您的管辖范围内。"]
    assert messages_at(job, 6, "住址") == ["必填项,不能为空。"]
    assert messages_at(job, 7, "户编号") == ["与第 2 行的户编号重复。"]
    assert messages_at(job, 8, "脱贫户") == ["应填“是”或“否”。"]
    assert messages_at(job, 9, "户编号") == ["户编号“XQ-1”已登记。"]
    assert Household.objects.count() == before

    # Importing everything is refused while there are errors; still nothing is saved.
    client = town.client_for("xuqiao")
    response = confirm(client, job, "all", follow=True)
    assert "7 行有错误" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "validated"
    assert Household.objects.count() == before


def test_resident_rows_with_errors_are_reported_and_nothing_saved(town):
    town.xuqiao.household.number = "XQ-1"
    town.xuqiao.household.save()
    f.household(town.fashuihe.hamlet, "施家湾 2 号", number="FSH-1")
    good_id = make_id_number(sex="M")
    male_id = make_id_number(sex="M")
    registered = decrypt_id_number(town.xuqiao.head.id_cipher)
    before = Resident.objects.count()

    def row(household="XQ-1", name="李四", id_number=None, sex="", phone="", relation="配偶", veteran=""):
        return [household, name, id_number or make_id_number(sex="F"), sex, phone, relation, veteran, "", "", ""]

    rows = [
        row(id_number=good_id, sex="男", phone="13800001111"),  # 2 good
        row(id_number=_bad_check(make_id_number())),  # 3 wrong check character
        row(id_number=_impossible_date()),  # 4 impossible birth date
        row(id_number=male_id, sex="女"),  # 5 sex does not match the ID
        row(phone="12345"),  # 6 bad phone
        row(household="NOPE"),  # 7 unknown household
        row(household="FSH-1"),  # 8 household outside the scope: same as unknown
        row(id_number=good_id),  # 9 ID repeated in the file
        row(id_number=registered),  # 10 ID already registered
        row(name=""),  # 11 missing name
        row(relation="表哥"),  # 12 not a relation
        row(veteran="也许"),  # 13 bad yes/no
        row(relation="户主"),  # 14 the household already has a head
    ]
    job = upload_job(town.client_for("xuqiao"), "residents", RESIDENT_HEADERS, rows)
    assert errors_of(job) == {
        (3, "身份证号"),
        (4, "身份证号"),
        (5, "性别"),
        (6, "手机号"),
        (7, "户编号"),
        (8, "户编号"),
        (9, "身份证号"),
        (10, "身份证号"),
        (11, "姓名"),
        (12, "与户主关系"),
        (13, "退役军人"),
        (14, "与户主关系"),
    }
    assert (job.total_rows, job.good_rows, job.error_rows) == (13, 1, 12)
    assert "校验位错误" in messages_at(job, 3, "身份证号")[0]
    assert "19990231 不是真实的日期" in messages_at(job, 4, "身份证号")[0]
    assert messages_at(job, 5, "性别")[0].startswith("性别与身份证号不符")
    assert messages_at(job, 6, "手机号") == ["手机号应为以 1 开头的 11 位数字。"]
    assert messages_at(job, 7, "户编号")[0].startswith("未找到户编号为“NOPE”的住户")
    assert messages_at(job, 8, "户编号")[0].startswith("未找到户编号为“FSH-1”的住户")
    assert messages_at(job, 9, "身份证号") == ["与第 2 行的身份证号重复。"]
    assert messages_at(job, 10, "身份证号") == ["该身份证号已登记。"]
    assert messages_at(job, 11, "姓名") == ["必填项,不能为空。"]
    assert messages_at(job, 12, "与户主关系")[0].startswith("应为以下之一:户主、配偶")
    assert messages_at(job, 14, "与户主关系") == ["该户已登记户主,一户只能有一位户主。"]
    # No message carries an ID number in clear.
    assert not any(good_id in e["message"] or registered in e["message"] for e in job.errors)
    assert Resident.objects.count() == before


def test_numeric_id_cells_are_explained(town):
    town.xuqiao.household.number = "XQ-1"
    town.xuqiao.household.save()
    number = make_id_number()
    job = upload_job(
        town.client_for("xuqiao"),
        "residents",
        RESIDENT_HEADERS,
        [["XQ-1", "李四", float(number[:17] + "1"), "", "", "", "", "", "", ""]],
    )
    assert "存成了数字" in messages_at(job, 2, "身份证号")[0]


def test_member_rows_with_errors_are_reported_and_nothing_saved(town):
    admin = town.users["admin"]
    people = []
    for i in range(9):
        number = make_id_number(birth=dt.date(1980, 1, 1 + i))
        place_services.create_resident(actor=admin, household=town.xuqiao.household, name=f"徐{i}", id_number=number)
        people.append(number)
    young = make_id_number(birth=dt.date(2000, 5, 5))
    place_services.create_resident(actor=admin, household=town.xuqiao.household, name="小徐", id_number=young)
    outsider = make_id_number()
    place_services.create_resident(actor=admin, household=town.fashuihe.household, name="施二", id_number=outsider)
    member_id = decrypt_id_number(town.xuqiao.head.id_cipher)
    before = Member.objects.count()

    def row(id_number, branch="徐桥村党支部", group="", status="正式党员", joined="2005-07-01", full="", name=""):
        return [name, id_number, branch, group, status, joined, full, "", ""]

    rows = [
        row(people[0], group="徐桥村5组党小组", full="2006-07-01"),  # 2 good
        row(people[1], branch="李家村党支部"),  # 3 unknown branch
        row(people[2], branch="发水河村党支部"),  # 4 branch outside the scope: same as unknown
        row(people[3], joined="2005-13-01"),  # 5 impossible date
        row(make_id_number()),  # 6 no such resident
        row(member_id),  # 7 already a member
        row(people[4], status="预备党员", full="2006-07-01"),  # 8 probationary with a full date
        row(people[5], group="发水河村1组党小组"),  # 9 group not in the branch
        row(people[6], status=""),  # 10 missing category
        row(outsider),  # 11 resident outside the scope: same as unknown
        row(young, joined="2010-01-01"),  # 12 under 18 when joining
        row(people[7], joined="去年"),  # 13 not a date
        row(people[8], name="别人"),  # 14 name does not match the resident
    ]
    job = upload_job(town.client_for("xuqiao"), "members", MEMBER_HEADERS, rows)
    assert errors_of(job) == {
        (3, "所在党支部"),
        (4, "所在党支部"),
        (5, "入党日期"),
        (6, "身份证号"),
        (7, "身份证号"),
        (8, "转正日期"),
        (9, "党小组"),
        (10, "党员类别"),
        (11, "身份证号"),
        (12, "入党日期"),
        (13, "入党日期"),
        (14, "姓名"),
    }
    assert messages_at(job, 3, "所在党支部") == ["未找到党支部“李家村党支部”,或该党支部不在您的管辖范围内。"]
    assert messages_at(job, 4, "所在党支部") == ["未找到党支部“发水河村党支部”,或该党支部不在您的管辖范围内。"]
    assert messages_at(job, 5, "入党日期") == ["日期“2005-13-01”不存在。"]
    assert messages_at(job, 6, "身份证号") == messages_at(job, 11, "身份证号")
    assert messages_at(job, 6, "身份证号")[0].startswith("未找到该身份证号对应的居民")
    assert messages_at(job, 7, "身份证号") == ["该居民已有党员档案。"]
    assert messages_at(job, 8, "转正日期") == ["预备党员尚未转正,不应填写转正日期。"]
    assert messages_at(job, 9, "党小组") == ["“徐桥村党支部”下没有名为“发水河村1组党小组”的党小组。"]
    assert messages_at(job, 12, "入党日期") == ["入党时应年满 18 周岁。"]
    assert messages_at(job, 13, "入党日期")[0].startswith("日期格式不正确")
    assert (job.good_rows, job.error_rows) == (1, 12)
    assert Member.objects.count() == before


def test_missing_columns_are_refused_at_upload(town):
    response = upload(town.client_for("xuqiao"), "households", xlsx_upload(["湾组", "住址"], [["黄家湾", "1 号"]]))
    assert response.status_code == 200
    assert "表头与“住户”模板不符,缺少列:户编号" in response.content.decode()


def test_a_file_with_only_headers_has_nothing_to_import(town):
    job = upload_job(town.client_for("xuqiao"), "households", HOUSEHOLD_HEADERS, [])
    assert job.status == "validated" and job.good_rows == 0
    response = confirm(town.client_for("xuqiao"), job, "all")
    job.refresh_from_db()
    assert response.status_code == 302 and job.status == "validated"


def test_blank_rows_are_skipped_and_rows_keep_their_excel_numbers(town):
    job = upload_job(
        town.client_for("xuqiao"),
        "households",
        HOUSEHOLD_HEADERS,
        [
            ["黄家湾", "XQ-60", "黄家湾 60 号", "", "", ""],
            [None] * 6,
            ["", "", "", "", "", ""],
            ["李家湾", "XQ-61", "1 号"],
        ],
    )
    assert job.total_rows == 2
    assert errors_of(job) == {(5, "湾组")}
