"""Importing the watch: the cameras of the net (摄像机), through `watch.cameras.services.register_camera`,
and the members of night patrol teams (巡逻队员), through `watch.patrols.services.member_add`.

A camera's row names its grid by village and grid name, or by the grid's statistical code; only the
grids in which the importer may both import and record the watch (IMPORT and WATCH) are found, so a
row of another village is refused on its own. A camera is known by its code in its town: a row whose
code is registered already is skipped (not updated), so importing the same file twice registers
nothing twice. The stream address is private: no message, preview or outcome ever repeats it.

A member's row names the team by its name (and, where two of the importer's teams share it, by the
town or village it patrols), the kind (党员, 民兵, 志愿者) and the person: a party member or a militiaman
by the resident's ID number (a militiaman may be just a name), a volunteer by the ID number or by name
and phone of a registered volunteer. ID numbers are checked and never repeated in a message. A person
already in the team is skipped.

Both kinds import all or nothing.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.common.identity import id_number_digest, normalize_phone
from hongniudai.places.models import AreaNode, Resident
from hongniudai.spreadsheets import selectors
from hongniudai.spreadsheets.models import ImportKind
from hongniudai.watch.cameras import services as cameras
from hongniudai.watch.cameras.models import CameraKind, CameraOwner, CameraStatus
from hongniudai.watch.patrols import services as patrols
from hongniudai.watch.patrols.models import MemberKind, PatrolTeam

from .rows import NOTE, NOTE_SPEC, SKIPPED, Importer, RowErrors, Spec, cell_text, labels_of

VILLAGE = "村"
GRID = "村组(网格)"
STREAM = "视频流地址"
ID_NUMBER = "身份证号"


class WatchImporter(Importer):
    """What both kinds share: all or nothing, a record named twice in a file, rows already imported skipped."""

    all_or_nothing = True

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._seen: dict[tuple[Any, ...], int] = {}
        self.skipped: list[dict[str, str]] = []

    def once_in_file(self, key: tuple[Any, ...], e: RowErrors, header: str) -> None:
        """A record named by two rows of the file is an error of the second."""
        if key in self._seen:
            e.add(header, _("与第 %(row)s 行重复。") % {"row": self._seen[key]})
        else:
            self._seen[key] = e.row

    def skip(self, row: int, what: str) -> dict[str, Any]:
        """The cleaned row of a record already in the platform: written as SKIPPED, listed on the job."""
        self.skipped.append({"row": str(row), "message": what})
        return {"skip": True}

    def outcome(self) -> list[dict[str, str]]:
        return self.skipped

    def forget(self) -> None:
        self.skipped = []


# ---- cameras ----------------------------------------------------------------------------------


def coordinate(value: Any, bound: int) -> Decimal | None:
    """A longitude or latitude within ±`bound`, or None."""
    try:
        number = Decimal(cell_text(value).replace(",", ".").replace("\uff0c", "."))
    except InvalidOperation:
        return None
    if not number.is_finite() or not -bound <= number <= bound:
        return None
    return number


class CameraImporter(WatchImporter):
    kind = ImportKind.WATCH_CAMERAS
    sheet_title = "摄像机"
    specs = (
        Spec(
            "code", "编号", required=True, text=True, width=16, example="SH-XQ-101", help="平台中的设备编号,全镇唯一。"
        ),
        Spec("name", "名称", required=True, width=20, example="徐桥村5组路口"),
        Spec(
            "village", VILLAGE, width=12, example="徐桥村", help="与“村组(网格)”一起确定网格;填网格统计代码时可不填。"
        ),
        Spec("grid", GRID, required=True, width=14, example="5组", help="该村的村组(网格)名称,或网格的统计代码。"),
        Spec("lng", "经度", required=True, width=12, example="114.890321", help="-180 至 180 之间的数字。"),
        Spec("lat", "纬度", required=True, width=12, example="30.396512", help="-90 至 90 之间的数字。"),
        Spec("kind", "类型", width=10, example="枪机", help="不填视为“枪机”。"),
        Spec("owner", "权属", width=10, example="镇综治", help="不填视为“镇综治”。"),
        Spec("status", "状态", width=10, example="正常", help="不填视为“正常”。"),
        Spec(
            "stream_url",
            STREAM,
            width=30,
            example="",
            help="可不填;rtsp://、rtmp://、http:// 或 https:// 开头。保密:导入结果和错误信息中都不会显示。",
        ),
        NOTE_SPEC,
    )
    field_columns: ClassVar[dict[str, str]] = {
        "code": "编号",
        "name": "名称",
        "grid": GRID,
        "lat": "纬度",
        "lng": "经度",
        "kind": "类型",
        "owner": "权属",
        "status": "状态",
        "stream_url": STREAM,
        "note": NOTE,
    }

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._grids: list[tuple[AreaNode, str, int | None]] | None = None
        self._codes: dict[tuple[int, str], str] | None = None

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一台摄像机。第 1 行是表头,请勿修改;带 * 的列必须填写。",
            "备注以“【示例】”开头的行是示例,导入时自动跳过。",
            "网格:填“村”和该村的“村组(网格)”名称,或只填网格的统计代码;须在您的管辖范围内,"
            "可选的网格见“可选网格”工作表。",
            "经度、纬度填数字(如 114.890321、30.396512),经度在 -180 至 180 之间,纬度在 -90 至 90 之间。",
            "类型可填:" + "、".join(labels_of(CameraKind.choices)) + ";权属可填:"
            ""
            + "、".join(labels_of(CameraOwner.choices))
            + ";状态可填:"
            + "、".join(labels_of(CameraStatus.choices))
            + "。",
            "视频流地址保密:只保存,不会出现在校验结果、错误清单或导出文件中。",
            "摄像机按“镇 + 编号”识别:本镇已有同一编号的行不会重复导入,也不会修改已登记的摄像机,"
            "在导入结果中列为“已登记,跳过”。",
            "有任何一行有误时,不会导入任何数据。",
        ]

    def allowed_values(self, spec: Spec) -> tuple[str, ...]:
        choices = {"kind": CameraKind, "owner": CameraOwner, "status": CameraStatus}.get(spec.key)
        return tuple(labels_of(choices.choices)) if choices is not None else spec.values

    @property
    def grids(self) -> list[tuple[AreaNode, str, int | None]]:
        if self._grids is None:
            self._grids = selectors.import_watch_grids(self.user)
        return self._grids

    def choices_sheet(self) -> tuple[str, list[str], list[list[str]]] | None:
        return "可选网格", ["村", "村组(网格)", "统计代码"], [[v, g.name, g.code] for g, v, _t in self.grids]

    def example_row(self) -> list[str]:
        row = super().example_row()
        if self.grids:
            grid, village, _town = self.grids[0]
            row[2], row[3] = village, grid.name
        return row

    def _grid(self, raw: dict[str, Any], e: RowErrors) -> tuple[AreaNode, int | None] | None:
        village = cell_text(raw.get(VILLAGE))
        grid = self.required_text(raw, GRID, e)
        if not grid:
            return None
        if village:
            found = [(g, t) for g, v, t in self.grids if v == village and g.name == grid]
            missing = _("未找到“%(village)s%(grid)s”,或该网格不在您的管辖范围内。") % {"village": village, "grid": grid}
        else:
            found = [(g, t) for g, _v, t in self.grids if g.code and g.code == grid]
            missing = _("未找到统计代码为“%(code)s”的网格,或该网格不在您的管辖范围内;按名称填写时请同时填写村。") % {
                "code": grid
            }
        if len(found) == 1:
            return found[0]
        e.add(GRID, missing if not found else _("“%(grid)s”对应多个网格,请联系管理员区分。") % {"grid": grid})
        return None

    def _registered(self) -> dict[tuple[int, str], str]:
        if self._codes is None:
            self._codes = selectors.camera_codes({t for _g, _v, t in self.grids if t is not None})
        return self._codes

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        code = self.required_text(raw, "编号", e, max_length=50)
        if code and not cameras.CODE.match(code):
            e.add("编号", _("编号只能包含字母、数字和 _ . : -。"))
        name = self.required_text(raw, "名称", e, max_length=100)
        place = self._grid(raw, e)
        point = {}
        for key, header, bound in (("lng", "经度", 180), ("lat", "纬度", 90)):
            if self.required_text(raw, header, e):
                point[key] = coordinate(raw.get(header), bound)
                if point[key] is None:
                    e.add(header, _("%(what)s应为 -%(b)d 到 %(b)d 之间的数字。") % {"what": header, "b": bound})
        stream = self.optional_text(raw, STREAM, e, max_length=500)
        if stream:
            try:
                URLValidator(schemes=cameras.STREAM_SCHEMES)(stream)
            except ValidationError:
                e.add(STREAM, _("视频流地址应为 rtsp://、rtmp://、http:// 或 https:// 开头的网址。"))
        fields = {
            "code": code,
            "name": name,
            "kind": self.choice(raw, "类型", e, labels_of(CameraKind.choices), CameraKind.BULLET),
            "owner": self.choice(raw, "权属", e, labels_of(CameraOwner.choices), CameraOwner.TOWN),
            "status": self.choice(raw, "状态", e, labels_of(CameraStatus.choices), CameraStatus.WORKING),
            "stream_url": stream,
            "note": self.optional_text(raw, NOTE, e, max_length=2000),
            **point,
        }
        if place is None or not code:
            return {}
        grid, town = place
        self.once_in_file((town, code), e, "编号")
        if e:
            return {}
        registered = self._registered().get((town, code)) if town is not None else None
        if registered is not None:
            if registered not in {g.path for g, _v, _t in self.grids}:
                e.add("编号", _("本镇已有编号为“%(code)s”的摄像机,且不在您的管辖范围内。") % {"code": code})
                return {}
            return self.skip(e.row, _("已有编号为“%(code)s”的摄像机,跳过(不修改)。") % {"code": code})
        return {"grid": grid, **fields}

    def write(self, cleaned: dict[str, Any]) -> Any:
        if cleaned.get("skip"):
            return SKIPPED
        camera = cameras.register_camera(actor=self.user, **cleaned)
        self._registered()[(camera.town_id, camera.code)] = camera.area_path
        return camera


# ---- patrol team members ------------------------------------------------------------------------


class PatrolMemberImporter(WatchImporter):
    kind = ImportKind.PATROL_MEMBERS
    sheet_title = "巡逻队员"
    specs = (
        Spec("team", "巡逻队", required=True, width=18, example="集镇夜间巡逻队", help="您管辖范围内巡逻队的队名。"),
        Spec("area", "巡逻区域", width=12, example="", help="巡逻队所属的镇或村;两支队同名时必填。"),
        Spec("kind", "身份", required=True, width=10, example="民兵", help="党员、民兵或志愿者。"),
        Spec("name", "姓名", width=10, example="李民兵", help="民兵不填身份证号时必填;填写时须与登记的姓名一致。"),
        Spec(
            "id_number",
            ID_NUMBER,
            text=True,
            width=22,
            example="",
            help="党员必填;民兵可填(按居民登记);志愿者填身份证号或手机号。",
        ),
        Spec("phone", "手机号", text=True, width=14, example="", help="志愿者不填身份证号时,按“姓名 + 手机号”查找。"),
        Spec("joined_on", "入队日期", width=12, example="2026-01-01", help="可不填。"),
        NOTE_SPEC,
    )
    field_columns: ClassVar[dict[str, str]] = {
        "kind": "身份",
        "party_member": ID_NUMBER,
        "volunteer": ID_NUMBER,
        "resident": ID_NUMBER,
        "name": "姓名",
        "joined_on": "入队日期",
    }

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._teams: dict[str, list[PatrolTeam]] | None = None
        self._members: dict[int, set[tuple[str, Any]]] | None = None

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一名队员。第 1 行是表头,请勿修改;带 * 的列必须填写。",
            "备注以“【示例】”开头的行是示例,导入时自动跳过。",
            "巡逻队:您管辖范围内巡逻队的队名(见“可选巡逻队”工作表);两支队同名时填写“巡逻区域”(镇名或村名)。",
            "身份可填:" + "、".join(labels_of(MemberKind.choices)) + "。",
            "党员:填身份证号,须是已登记党员档案的居民。民兵:填身份证号(按居民查找)或只填姓名。"
            "志愿者:须已在志愿者名册中登记,填身份证号,或填姓名和手机号。",
            "身份证号请设为“文本”格式;校验结果中不会显示身份证号。",
            "已在该队的人员(含已离队的)不会重复导入,在导入结果中列为“已在队,跳过”。",
            "有任何一行有误时,不会导入任何数据。",
        ]

    def allowed_values(self, spec: Spec) -> tuple[str, ...]:
        return tuple(labels_of(MemberKind.choices)) if spec.key == "kind" else spec.values

    @property
    def teams(self) -> dict[str, list[PatrolTeam]]:
        if self._teams is None:
            self._teams = {}
            for team in selectors.import_patrol_teams(self.user):
                self._teams.setdefault(team.name, []).append(team)
        return self._teams

    def choices_sheet(self) -> tuple[str, list[str], list[list[str]]] | None:
        rows = [[t.name, t.area.name] for found in self.teams.values() for t in found]
        return "可选巡逻队", ["巡逻队", "巡逻区域"], rows

    def example_row(self) -> list[str]:
        row = super().example_row()
        first = next(iter(self.teams.values()), [])
        if first:
            row[0], row[1] = first[0].name, first[0].area.name
        return row

    def _team(self, raw: dict[str, Any], e: RowErrors) -> PatrolTeam | None:
        name = self.required_text(raw, "巡逻队", e)
        area = cell_text(raw.get("巡逻区域"))
        found = [t for t in self.teams.get(name, []) if not area or t.area.name == area]
        if name and len(found) == 1:
            return found[0]
        if name and not found:
            e.add("巡逻队", _("未找到巡逻队“%(name)s”,或该队不在您的管辖范围内。") % {"name": name})
        elif name:
            e.add("巡逻区域", _("有多支名为“%(name)s”的巡逻队,请填写巡逻区域。") % {"name": name})
        return None

    def _resident(self, raw: dict[str, Any], e: RowErrors, *, required: bool) -> Resident | None:
        """The resident of the row's ID number in the importer's scope (the number is never repeated)."""
        if not cell_text(raw.get(ID_NUMBER)):
            if required:
                e.add(ID_NUMBER, _("必填项,不能为空。"))
            return None
        number, parsed = self.citizen_id(raw, ID_NUMBER, e)
        if parsed is None:
            return None
        resident = selectors.import_resident_by_digest(self.user, id_number_digest(parsed.number))
        if resident is None:
            e.add(ID_NUMBER, _("未找到该身份证号对应的居民,或该居民不在您的管辖范围内。"))
            return None
        name = cell_text(raw.get("姓名"))
        if name and name != resident.name:
            e.add("姓名", _("姓名与该身份证号登记的居民姓名不一致。"))
        return resident

    def _person(self, kind: str, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        """The keyword arguments naming the person, and the key that tells them apart in a team."""
        if kind == MemberKind.PARTY_MEMBER:
            resident = self._resident(raw, e, required=True)
            member = selectors.member_of_resident(resident) if resident is not None else None
            if resident is not None and member is None:
                e.add(ID_NUMBER, _("该居民没有党员档案。"))
            return {"party_member": member, "key": ("party", member.pk if member else None)}
        if kind == MemberKind.VOLUNTEER:
            return self._volunteer(raw, e)
        resident = self._resident(raw, e, required=False)
        name = resident.name if resident is not None else self.optional_text(raw, "姓名", e, max_length=50)
        if resident is None and not name and not e:
            e.add("姓名", _("民兵请填写身份证号或姓名。"))
        key = ("resident", resident.pk) if resident is not None else ("name", name)
        return {"resident": resident, "name": name, "key": key}

    def _volunteer(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        name = cell_text(raw.get("姓名"))
        if cell_text(raw.get(ID_NUMBER)):
            resident = self._resident(raw, e, required=True)
            found = selectors.import_volunteers(self.user, resident=resident) if resident is not None else []
        else:
            try:
                phone = normalize_phone(cell_text(raw.get("手机号")))
            except ValidationError as exc:
                e.add("手机号", exc.messages[0])
                return {}
            if not name or not phone:
                e.add(ID_NUMBER, _("志愿者请填写身份证号,或填写姓名和手机号。"))
                return {}
            found = selectors.import_volunteers(self.user, name=name, phone=phone)
        if e:
            return {}
        if len(found) != 1:
            e.add(
                ID_NUMBER if cell_text(raw.get(ID_NUMBER)) else "手机号",
                _("志愿者名册中没有对应的志愿者(或不在您的管辖范围内),请先登记志愿者。")
                if not found
                else _("对应多名志愿者,请改填身份证号。"),
            )
            return {}
        return {"volunteer": found[0], "key": ("volunteer", found[0].pk)}

    def _in_team(self, team: PatrolTeam) -> set[tuple[str, Any]]:
        if self._members is None:
            self._members = {}
            teams = {t.pk for found in self.teams.values() for t in found}
            for m in selectors.patrol_team_members(teams):
                keys = self._members.setdefault(m["team_id"], set())
                if m["party_member_id"]:
                    keys.add(("party", m["party_member_id"]))
                elif m["volunteer_id"]:
                    keys.add(("volunteer", m["volunteer_id"]))
                elif m["resident_id"]:
                    keys.add(("resident", m["resident_id"]))
                else:
                    keys.add(("name", m["name"]))
        return self._members.setdefault(team.pk, set())

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        team = self._team(raw, e)
        kind = self.choice(raw, "身份", e, labels_of(MemberKind.choices), None)
        person = self._person(kind, raw, e) if kind else {}
        joined_on = self.date(raw, "入队日期", e, required=False)
        self.optional_text(raw, NOTE, e)
        if team is None or e or not person:
            return {}
        key = person.pop("key")
        self.once_in_file((team.pk, *key), e, ID_NUMBER if key[0] != "name" else "姓名")
        if e:
            return {}
        if key in self._in_team(team):
            return self.skip(e.row, _("该队员已在“%(team)s”,跳过。") % {"team": team.name})
        return {"team": team, "kind": kind, "joined_on": joined_on, **person}

    def write(self, cleaned: dict[str, Any]) -> Any:
        if cleaned.get("skip"):
            return SKIPPED
        member = patrols.member_add(actor=self.user, **cleaned)
        keys = self._in_team(cleaned["team"])
        if member.party_member_id:
            keys.add(("party", member.party_member_id))
        elif member.volunteer_id:
            keys.add(("volunteer", member.volunteer_id))
        else:
            keys.add(("resident", member.resident_id) if member.resident_id else ("name", member.name))
        return member
