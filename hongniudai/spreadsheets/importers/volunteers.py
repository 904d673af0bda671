"""Importing volunteers (志愿者): one row a volunteer of a village (or of the town), through
`volunteers.services.register_volunteer`.

A row names its area (a village, or the town for the town's own volunteers): only the areas in which
the importer may both import and record volunteers (IMPORT and SERVICES) are found, so a row of
another village is refused on its own. A local resident is found by ID number (optional; never
repeated in a message); someone from outside is named and reached by mobile phone (validated, never
repeated in a message either). A team is named by its name, and must belong to the row's area (or
to the town above it).

A volunteer already registered in the area (the same resident, or the same name and phone) is
skipped and listed on the job's page: importing the same file twice registers nobody twice. The
kind imports all or nothing.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.common.identity import id_number_digest, normalize_phone
from hongniudai.places.models import AreaKind, AreaNode, Resident
from hongniudai.spreadsheets import selectors
from hongniudai.spreadsheets.models import ImportKind
from hongniudai.volunteers import services as volunteers
from hongniudai.volunteers.interface import VolunteerTeam

from .economy import EconomyImporter
from .rows import NOTE, NOTE_SPEC, SKIPPED, RowErrors, Spec, cell_text

AREA = "所属村"
NAME = "姓名"
PHONE = "手机号"
ID_NUMBER = "身份证号"
TEAM = "服务队"
SKILLS = "技能特长"
JOINED = "注册日期"


class VolunteerImporter(EconomyImporter):
    kind = ImportKind.VOLUNTEERS
    sheet_title = "志愿者"
    specs = (
        Spec(
            "area",
            AREA,
            required=True,
            width=14,
            example="徐桥村",
            help="村名;镇里的志愿者填镇名。须在您的管辖范围内。",
        ),
        Spec("name", NAME, required=True, width=12, example="黄文华", help="最多 50 字;本地居民须与登记的姓名一致。"),
        Spec(
            "phone",
            PHONE,
            text=True,
            width=15,
            example="13912345678",
            help="以 1 开头的 11 位数字;外来志愿者(不填身份证号)必填。",
        ),
        Spec(
            "id_number",
            ID_NUMBER,
            text=True,
            width=22,
            example="11010519491231002X",
            help="可不填;填写时该居民须已登记,且住在所填村。",
        ),
        Spec(TEAM, TEAM, width=18, example="", help="可不填;本村或本镇志愿服务队的队名。"),
        Spec("skills", SKILLS, width=24, example="理发、家电维修", help="可不填,最多 200 字。"),
        Spec("joined_on", JOINED, width=12, example="2024-03-05", help="可不填,不填为导入当天;不能晚于今天。"),
        NOTE_SPEC,
    )
    field_columns: ClassVar[dict[str, str]] = {
        "area": AREA,
        "name": NAME,
        "phone": PHONE,
        "resident": ID_NUMBER,
        "team": TEAM,
        "skills": SKILLS,
        "joined_on": JOINED,
        "note": NOTE,
    }

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._registered: dict[int, tuple[set[int], set[tuple[str, str]]]] = {}
        self._teams: dict[str, list[VolunteerTeam]] = {}

    @property
    def villages(self) -> dict[str, list[AreaNode]]:
        if self._villages is None:
            self._villages = {}
            for area in selectors.import_service_areas(self.user, (AreaKind.TOWN, AreaKind.VILLAGE)):
                self._villages.setdefault(area.name, []).append(area)
        return self._villages

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一位志愿者。第 1 行是表头,请勿修改;带 * 的列必须填写。",
            "备注以“【示例】”开头的行是示例,导入时自动跳过。",
            "本地居民:填身份证号(该居民须已登记,且住在所填村);外来志愿者:不填身份证号,须填手机号。"
            "身份证号、手机号两列是文本格式,请勿改成数字格式。",
            "服务队填队名,须是所填村或本镇的志愿服务队(先在志愿者页面建队);可不填。",
            "同一村已登记的同一居民(或同名同手机号的志愿者)不会重复导入,在导入结果中列为“跳过”。",
            "有任何一行有误时,不会导入任何数据。",
        ]

    def choices_sheet(self) -> tuple[str, list[str], list[list[str]]] | None:
        rows = [[v.name, v.get_kind_display()] for found in self.villages.values() for v in found]
        return "可选村", ["村(镇)", "类型"], rows

    def example_row(self) -> list[str]:
        row = super().example_row()
        village = next((n for n, found in self.villages.items() if found[0].kind == AreaKind.VILLAGE), None)
        if village is not None:
            row[0] = village
        return row

    # -- one row ----------------------------------------------------------------------------------

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        area = self._area(raw, e)
        name = self.required_text(raw, NAME, e, max_length=50)
        phone = ""
        try:
            phone = normalize_phone(cell_text(raw.get(PHONE)))
        except ValidationError as exc:
            e.add(PHONE, exc.messages[0])
        resident = self._resident(area, name, raw, e) if cell_text(raw.get(ID_NUMBER)) else None
        if not cell_text(raw.get(ID_NUMBER)) and not cell_text(raw.get(PHONE)):
            e.add(PHONE, _("外来志愿者(不填身份证号)须填写手机号,以便联系。"))
        team = self._team(area, self.optional_text(raw, TEAM, e, max_length=100), e)
        fields = {
            "area": area,
            "resident": resident,
            "name": name,
            "phone": phone,
            "team": team,
            "skills": self.optional_text(raw, SKILLS, e, max_length=200),
            "joined_on": self.date(raw, JOINED, e, required=False) or timezone.localdate(),
            "note": self.optional_text(raw, NOTE, e, max_length=500),
        }
        if area is None or e:
            return {}
        key = ("resident", resident.pk) if resident is not None else ("phone", name, phone)
        self.once_in_file((area.pk, *key), e, ID_NUMBER if resident is not None else PHONE)
        if e:
            return {}
        residents, contacts = self._registered_in(area)
        if (resident is not None and resident.pk in residents) or (resident is None and (name, phone) in contacts):
            return self.skip(e.row, _("%(name)s 已是%(area)s的志愿者,跳过。") % {"name": name, "area": area.name})
        return fields

    def _area(self, raw: dict[str, Any], e: RowErrors) -> AreaNode | None:
        name = self.required_text(raw, AREA, e)
        found = self.villages.get(name, []) if name else []
        if len(found) == 1:
            return found[0]
        if name and not found:
            e.add(AREA, _("未找到“%(name)s”,或它不在您的管辖范围内。") % {"name": name})
        elif name:
            e.add(AREA, _("“%(name)s”对应多个地区,请联系管理员区分名称。") % {"name": name})
        return None

    def _resident(self, area: AreaNode | None, name: str, raw: dict[str, Any], e: RowErrors) -> Resident | None:
        _number, cid = self.citizen_id(raw, ID_NUMBER, e)
        if cid is None:
            return None
        resident = selectors.import_resident_by_digest(self.user, id_number_digest(cid.number))
        if resident is None:
            e.add(ID_NUMBER, _("未找到该身份证号对应的居民,或该居民不在您的管辖范围内;请先导入居民。"))
            return None
        if area is not None and not resident.household.hamlet.path.startswith(area.path):
            e.add(ID_NUMBER, _("该身份证号对应的居民不住在%(area)s。") % {"area": area.name})
            return None
        if name and resident.name != name:
            e.add(NAME, _("姓名与该身份证号登记的居民姓名不一致。"))
        return resident

    def _team(self, area: AreaNode | None, name: str, e: RowErrors) -> VolunteerTeam | None:
        if not name or area is None:
            return None
        if name not in self._teams:
            self._teams[name] = selectors.volunteer_teams_named(name)
        found = [t for t in self._teams[name] if area.path.startswith(t.area_path) or t.area_path.startswith(area.path)]
        if len(found) == 1:
            return found[0]
        if not found:
            e.add(TEAM, _("%(area)s没有名为“%(name)s”的志愿服务队。") % {"area": area.name, "name": name})
        else:
            e.add(TEAM, _("有多支名为“%(name)s”的服务队,请联系管理员区分队名。") % {"name": name})
        return None

    def _registered_in(self, area: AreaNode) -> tuple[set[int], set[tuple[str, str]]]:
        if area.pk not in self._registered:
            self._registered[area.pk] = selectors.area_volunteers(area)
        return self._registered[area.pk]

    def write(self, cleaned: dict[str, Any]) -> Any:
        if cleaned.get("skip"):
            return SKIPPED
        volunteer = volunteers.register_volunteer(actor=self.user, **cleaned)
        residents, contacts = self._registered_in(cleaned["area"])
        if volunteer.resident_id is not None:
            residents.add(volunteer.resident_id)
        contacts.add((volunteer.name, volunteer.phone))
        return volunteer
