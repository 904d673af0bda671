"""Importing residents: one row a person, into a household found by its number."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.common.identity import CitizenId, id_number_digest, normalize_phone, parse_citizen_id
from hongniudai.places import selectors as place_selectors
from hongniudai.places import services as place_services
from hongniudai.places.models import Household, Relation, Resident, Sex
from hongniudai.spreadsheets import selectors
from hongniudai.spreadsheets.models import ImportKind

from .rows import NOTE, NOTE_SPEC, Importer, RowErrors, Spec, cell_text, labels_of


class ResidentImporter(Importer):
    kind = ImportKind.RESIDENTS
    sheet_title = "居民"
    specs = (
        Spec(
            "household",
            "户编号",
            required=True,
            text=True,
            width=16,
            example="XQ-05-001",
            help="住户的户编号:该户须已登记(先导入住户),且在您的管辖范围内。",
        ),
        Spec("name", "姓名", required=True, width=12, example="黄文华", help="最多 50 字。"),
        Spec(
            "id_number",
            "身份证号",
            required=True,
            text=True,
            width=22,
            example="11010519491231002X",
            help="18 位,最后一位可为 X;校验位、出生日期都会核对。全平台不能重复。",
        ),
        Spec(
            "sex",
            "性别",
            values=("男", "女"),
            width=8,
            example="女",
            help="可不填,由身份证号第 17 位确定;如填写,须与身份证号一致。",
        ),
        Spec("phone", "手机号", text=True, width=15, example="13912345678", help="以 1 开头的 11 位数字;可不填。"),
        Spec("relation", "与户主关系", width=12, example="户主", help="不填视为“其他”。一户只能有一位户主。"),
        Spec("is_veteran", "退役军人", values=("是", "否"), width=10, example="否", help="不填视为“否”。"),
        Spec("is_returnee", "返乡能人", values=("是", "否"), width=10, example="否", help="不填视为“否”。"),
        Spec("is_disabled", "残疾人", values=("是", "否"), width=10, example="否", help="不填视为“否”。"),
        NOTE_SPEC,
    )
    field_columns: ClassVar[dict[str, str]] = {
        "household": "户编号",
        "name": "姓名",
        "id_number": "身份证号",
        "sex": "性别",
        "phone": "手机号",
        "relation": "与户主关系",
        "note": NOTE,
    }

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._households: dict[str, list[Household]] = {}
        self._ids: dict[str, int] = {}
        self._heads: dict[int, int] = {}

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一人。第 1 行是表头,请勿修改;带 * 的列必须填写。",
            "备注以“【示例】”开头的行是示例,导入时自动跳过。",
            "所在户:按“户编号”查找。请先导入住户(或在住户管理中填写户编号),户编号须在您的管辖范围内唯一。",
            "身份证号、手机号两列是文本格式,请勿改成数字格式,否则 18 位身份证号的末几位会丢失。",
            "与户主关系可填:" + "、".join(labels_of(Relation.choices)) + "。",
        ]

    def allowed_values(self, spec: Spec) -> tuple[str, ...]:
        if spec.key == "relation":
            return tuple(labels_of(Relation.choices))
        return spec.values

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        number = self.required_text(raw, "户编号", e)
        household = self._household(number, e) if number else None
        name = self.required_text(raw, "姓名", e, max_length=50)
        sex = self.choice(raw, "性别", e, {"男": Sex.MALE, "女": Sex.FEMALE}, default="")
        id_number, cid = self.citizen_id(raw, "身份证号", e)
        elsewhere = self._check_id(cid, sex, e) if cid is not None else None
        phone = ""
        try:
            phone = normalize_phone(cell_text(raw.get("手机号")))
        except ValidationError as exc:
            e.add("手机号", exc.messages[0])
        relation = self.choice(raw, "与户主关系", e, labels_of(Relation.choices), default=Relation.OTHER)
        if relation == Relation.HEAD and household is not None:
            self._check_head(household, e)
        if elsewhere is not None:
            self._review(e, elsewhere, household, name, relation)
        return {
            "household": household,
            "name": name,
            "id_number": id_number,
            "sex": sex,
            "phone": phone,
            "relation": relation,
            "is_veteran": self.flag(raw, "退役军人", e),
            "is_returnee": self.flag(raw, "返乡能人", e),
            "is_disabled": self.flag(raw, "残疾人", e),
            "note": self.optional_text(raw, NOTE, e),
        }

    def _check_id(self, cid: CitizenId, sex: str, e: RowErrors) -> Resident | None:
        """Check the ID number (not repeated, not registered, agreeing with the sex given); the resident
        registered with it outside the user's scope, whose registration the town must review."""
        elsewhere: Resident | None = None
        digest = id_number_digest(cid.number)
        if digest in self._ids:
            e.add("身份证号", _("与第 %(row)s 行的身份证号重复。") % {"row": self._ids[digest]})
        else:
            self._ids[digest] = e.row
            if selectors.id_digest_registered(digest):
                # Registered outside the importer's scope: say no more than that the town reviews it.
                elsewhere = place_selectors.registered_elsewhere(self.user, cid.number)
                if elsewhere is None:
                    e.add("身份证号", _("该身份证号已登记。"))
        if sex and sex != cid.sex:
            try:
                parse_citizen_id(cid.number, sex=sex)
            except ValidationError as exc:
                e.add("性别", exc.messages[0])
        return elsewhere

    def _check_head(self, household: Household, e: RowErrors) -> None:
        """One head a household, whether already registered or earlier in the file."""
        if household.pk in self._heads:
            e.add(
                "与户主关系",
                _("第 %(row)s 行已是该户户主,一户只能有一位户主。") % {"row": self._heads[household.pk]},
            )
        elif household.head_id is not None:
            e.add("与户主关系", _("该户已登记户主,一户只能有一位户主。"))
        else:
            self._heads[household.pk] = e.row

    def _review(self, e: RowErrors, elsewhere: Resident, household: Household | None, name: str, relation: str) -> None:
        """A person registered outside the importer's scope: the row is refused; when the rest of the row
        is right and the file is being imported, the town is asked to review the registration."""
        if e or household is None or not name:
            e.add("身份证号", _("该居民的登记需经镇里审核,请改正本行其他错误后再导入。"))
        elif not self.requests_reviews:
            e.add("身份证号", _("该居民的登记需经镇里审核,导入时将提交审核申请。"))
        else:
            place_services.request_registration_review(
                actor=self.user, household=household, resident=elsewhere, name=name, relation=relation
            )
            e.add("身份证号", place_services.review_requested_message())

    def _household(self, number: str, e: RowErrors) -> Household | None:
        if number not in self._households:
            self._households[number] = selectors.import_households_numbered(self.user, number)
        found = self._households[number]
        if not found:
            e.add(
                "户编号",
                _("未找到户编号为“%(number)s”的住户,或该户不在您的管辖范围内;请先导入住户。") % {"number": number},
            )
            return None
        if len(found) > 1:
            e.add(
                "户编号",
                _("户编号“%(number)s”对应多个住户,请先在住户管理中改正重复的户编号。") % {"number": number},
            )
            return None
        return found[0]

    def write(self, cleaned: dict[str, Any]) -> Resident:
        return place_services.create_resident(actor=self.user, **cleaned)
