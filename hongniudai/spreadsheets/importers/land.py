"""Importing land: the parcels households contract (承包地块) and the contracts that transfer them
(土地流转合同), through `land.services` (`create_parcel`, `create_contract`, which lays out the rent
schedule). A parcel is known by its household and its name (a contract names it by its name in the
village, or "户编号/名称" where two households' parcels share a name), a contract by its number in
the village: a row naming one already registered is skipped, so importing the same file twice
registers nothing twice."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from shapely import wkt
from shapely.errors import ShapelyError
from shapely.geometry import Polygon, mapping

from hongniudai.accounts.models import User
from hongniudai.collective.interface import EconomicOrg
from hongniudai.enterprises.interface import Enterprise
from hongniudai.land import geometry
from hongniudai.land import services as land
from hongniudai.land.interface import Parcel
from hongniudai.land.models import LandGrade, LandKind, PaymentCycle, TransferKind
from hongniudai.places.models import AreaNode
from hongniudai.spreadsheets import selectors
from hongniudai.spreadsheets.models import ImportKind

from .economy import HEAD_NAME, HOUSEHOLD_NOTE, HOUSEHOLD_NUMBER, VILLAGE, EconomyImporter, positive
from .rows import NOTE, NOTE_SPEC, SKIPPED, RowErrors, Spec, labels_of

POLYGON = "地块范围"
GRADES = {str(label): str(value) for value, label in LandGrade.choices}  # 一等 → "1"
_POINT_SPLIT = re.compile(r"\s*[;\uff1b]\s*")
_PARCEL_SPLIT = re.compile(r"\s*[;\uff1b\n]\s*")
_AREA_SPLIT = re.compile(r"\s*[:\uff1a]\s*")


def polygon_geojson(text: str) -> tuple[str, str]:
    """(GeoJSON, error) of an outline written as GeoJSON, as WKT (POLYGON((lng lat, …))) or as
    "lng,lat;lng,lat;…" (the ring closed if it is not)."""
    text = text.strip()
    if not text or text.startswith("{"):
        return text, ""
    try:
        if text.upper().startswith(("POLYGON", "MULTIPOLYGON")):
            return json.dumps(mapping(wkt.loads(text))), ""
        points = [tuple(float(v) for v in p.replace("\uff0c", ",").split(",")) for p in _POINT_SPLIT.split(text) if p]
        if any(len(p) != 2 for p in points) or len(points) < 3:
            return "", _("地块范围至少须有三个点,每点写作“经度,纬度”,点与点之间用分号隔开。")
        return json.dumps(mapping(Polygon(points))), ""
    except (ValueError, TypeError, ShapelyError):
        return "", _("地块范围格式不正确:可填 GeoJSON、WKT(POLYGON)或“经度,纬度;经度,纬度;…”。")


class ParcelImporter(EconomyImporter):
    kind = ImportKind.LAND_PARCELS
    sheet_title = "承包地块"
    specs = (
        VILLAGE,
        Spec(
            "name", "地块名称", required=True, width=16, example="黄家湾大田", help="在本村不能重复;合同按它找到地块。"
        ),
        HOUSEHOLD_NUMBER,
        HEAD_NAME,
        Spec("registered_area", "确权面积(亩)", required=True, width=12, example="3.5", help="最多两位小数。"),
        Spec("measured_area", "实测面积(亩)", width=12, example="", help="可不填;流转按实测面积计(已填时)。"),
        Spec("kind", "土地类型", width=10, example="耕地", help="不填视为“耕地”。"),
        Spec("grade", "地力等级", width=10, example="", help="可不填。"),
        Spec("location", "坐落", width=20, example="黄家湾东坡", help="可不填。"),
        Spec("warrant_number", "承包经营权证号", text=True, width=20, example="", help="可不填。"),
        Spec(
            "polygon",
            POLYGON,
            width=30,
            example="",
            help="可不填:GeoJSON、WKT(POLYGON((经度 纬度, …)))或“经度,纬度;经度,纬度;…”。",
        ),
        NOTE_SPEC,
    )
    field_columns: ClassVar[dict[str, str]] = {
        "household": HOUSEHOLD_NUMBER.header,
        "name": "地块名称",
        "registered_area": "确权面积(亩)",
        "measured_area": "实测面积(亩)",
        "kind": "土地类型",
        "grade": "地力等级",
        "location": "坐落",
        "warrant_number": "承包经营权证号",
        "polygon": POLYGON,
    }

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._parcels: dict[int, dict[str, list[Parcel]]] = {}

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一块承包地。第 1 行是表头,请勿修改;带 * 的列必须填写。",
            "备注以“【示例】”开头的行是示例,导入时自动跳过。",
            "村:须在您的管辖范围内;可选的村见“可选村和组织”工作表。",
            "承包户:" + HOUSEHOLD_NOTE,
            "面积以亩为单位,大于零,最多两位小数。土地类型可填:" + "、".join(labels_of(LandKind.choices)) + "。",
            "地块范围可不填;填写时可用 GeoJSON、WKT 或“经度,纬度;经度,纬度;…”,须是有效的多边形,面积与登记面积相近。",
            "地块按“承包户 + 地块名称”识别:该户已有同名地块的行不会重复导入,在导入结果中列为“已登记,跳过”。"
            "本村不同户的地块重名时,流转合同中须写“户编号/名称”。",
            "有任何一行有误时,不会导入任何数据。",
        ]

    def allowed_values(self, spec: Spec) -> tuple[str, ...]:
        if spec.key == "kind":
            return tuple(labels_of(LandKind.choices))
        if spec.key == "grade":
            return tuple(GRADES)
        return spec.values

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        village = self.village(raw, e)
        name = self.required_text(raw, "地块名称", e, max_length=100)
        household = self.household(village, raw, e)
        registered = self.number(raw, "确权面积(亩)", e, required=True, what=_("面积"))
        measured = self.number(raw, "实测面积(亩)", e, required=False, what=_("面积"))
        kind = self.choice(raw, "土地类型", e, labels_of(LandKind.choices), LandKind.ARABLE)
        grade = self.choice(raw, "地力等级", e, GRADES, "")
        polygon, problem = polygon_geojson(self.optional_text(raw, POLYGON, e))
        if problem:
            e.add(POLYGON, problem)
        elif polygon and (measured or registered):
            for message in geometry.polygon_errors(polygon, measured or registered):
                e.add(POLYGON, message)
        fields = {
            "household": household,
            "name": name,
            "registered_area": registered,
            "measured_area": measured,
            "kind": kind,
            "grade": int(grade) if grade else None,
            "location": self.optional_text(raw, "坐落", e, max_length=200),
            "warrant_number": self.optional_text(raw, "承包经营权证号", e, max_length=50),
            "polygon": polygon,
        }
        self.optional_text(raw, NOTE, e)
        if village is None or household is None or not name:
            return {}
        self.once_in_file((household.pk, name), e, "地块名称")
        if e:
            return {}
        if any(p.household_id == household.pk for p in self._registered(village).get(name, [])):
            return self.skip(
                e.row, _("%(household)s户已有地块“%(name)s”,跳过。") % {"household": household, "name": name}
            )
        return fields

    def _registered(self, village: AreaNode) -> dict[str, list[Parcel]]:
        if village.pk not in self._parcels:
            self._parcels[village.pk] = {}
            for parcel in selectors.village_parcels(village):
                self._parcels[village.pk].setdefault(parcel.name, []).append(parcel)
        return self._parcels[village.pk]

    def write(self, cleaned: dict[str, Any]) -> Any:
        if cleaned.get("skip"):
            return SKIPPED
        return land.create_parcel(actor=self.user, **cleaned)


class ContractImporter(EconomyImporter):
    kind = ImportKind.LAND_CONTRACTS
    sheet_title = "土地流转合同"
    specs = (
        VILLAGE,
        Spec("number", "合同编号", required=True, text=True, width=16, example="XQ-2025-01", help="在本村不能重复。"),
        Spec("kind", "流转方式", width=10, example="出租", help="不填视为“出租”。"),
        Spec(
            "parcels",
            "流转地块",
            required=True,
            width=30,
            example="黄家湾大田;黄家湾坡地:1.5",
            help="本村地块的名称,多块用分号隔开;只流转一部分时写“名称:亩数”;同名地块写“户编号/名称”。",
        ),
        Spec(
            "transferee",
            "流入方",
            required=True,
            width=26,
            example="徐桥村高粱种植专业合作社",
            help="本村的集体经济组织或合作社的全称,或企业名称(由本村集体经济组织代收代付租金)。",
        ),
        Spec("signed_on", "签订日期", required=True, width=12, example="2024-12-20"),
        Spec("starts_on", "起始日期", required=True, width=12, example="2025-01-01"),
        Spec("ends_on", "终止日期", required=True, width=12, example="2034-12-31", help="期限不超过七十年。"),
        Spec("rent_per_mu", "每亩年租金(元)", required=True, width=14, example="500", help="最多两位小数。"),
        Spec("cycle", "支付方式", width=12, example="按年支付", help="不填视为“按年支付”。"),
        Spec("due_month", "支付月份", width=10, example="3", help="1 至 12,不填为 1 月。"),
        Spec("due_day", "支付日", width=8, example="1", help="1 至 31,不填为 1 日。"),
        Spec("decision", "四议两公开决策", width=24, example="", help="可不填;本村“土地流转”类事项的名称。"),
        NOTE_SPEC,
    )
    field_columns: ClassVar[dict[str, str]] = {
        "number": "合同编号",
        "kind": "流转方式",
        "org": "流入方",
        "enterprise": "流入方",
        "parcel": "流转地块",
        "area": "流转地块",
        "decision": "四议两公开决策",
        "signed_on": "签订日期",
        "starts_on": "起始日期",
        "ends_on": "终止日期",
        "rent_per_mu": "每亩年租金(元)",
        "cycle": "支付方式",
        "due_month": "支付月份",
        "due_day": "支付日",
        "note": NOTE,
    }

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._parcels = ParcelImporter(user)
        self._numbers: dict[int, set[str]] = {}
        # The rows cleaned but not yet written: (village, number) → (starts, ends, parts).
        self._pending: dict[tuple[int, str], tuple[dt.date, dt.date, list[tuple[Parcel, Decimal]]]] = {}

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一份合同。第 1 行是表头,请勿修改;带 * 的列必须填写。先导入承包地块,再导入流转合同。",
            "备注以“【示例】”开头的行是示例,导入时自动跳过。",
            "流转地块:本村地块的名称,多块用分号隔开;只流转地块的一部分时写“名称:亩数”,否则流转整块;"
            "本村有同名地块时写“户编号/名称”。同期各合同流转的面积合计不能超过地块面积。",
            "流入方:本村集体经济组织或合作社的全称(见“可选村和组织”工作表),或企业名称;"
            "流入方为企业时,租金由本村集体经济组织代收,按面积付给各户。",
            "流转方式可填:" + "、".join(labels_of(TransferKind.choices)) + ";支付方式可填:"
            "" + "、".join(labels_of(PaymentCycle.choices)) + ";每期租金于支付月份的支付日应付。",
            "合同按“村 + 合同编号”识别:本村已有同一编号的行不会重复导入,在导入结果中列为“已登记,跳过”。",
            "有任何一行有误时,不会导入任何数据。",
        ]

    def allowed_values(self, spec: Spec) -> tuple[str, ...]:
        if spec.key == "kind":
            return tuple(labels_of(TransferKind.choices))
        if spec.key == "cycle":
            return tuple(labels_of(PaymentCycle.choices))
        return spec.values

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        village = self.village(raw, e)
        number = self.required_text(raw, "合同编号", e, max_length=50)
        parcels = self._parcel_parts(village, self.required_text(raw, "流转地块", e), e)
        org, enterprise = self._transferee(village, self.required_text(raw, "流入方", e), e)
        starts = self.any_date(raw, "起始日期", e, required=True)
        ends = self.any_date(raw, "终止日期", e, required=True)
        if starts is not None and ends is not None and ends < starts:
            e.add("终止日期", _("终止日期不能早于起始日期。"))
        fields: dict[str, Any] = {
            "number": number,
            "kind": self.choice(raw, "流转方式", e, labels_of(TransferKind.choices), TransferKind.LEASE),
            "org": org,
            "enterprise": enterprise,
            "signed_on": self.date(raw, "签订日期", e, required=True),
            "starts_on": starts,
            "ends_on": ends,
            "rent_per_mu": self.number(raw, "每亩年租金(元)", e, required=True, what=_("租金")),
            "cycle": self.choice(raw, "支付方式", e, labels_of(PaymentCycle.choices), PaymentCycle.YEARLY),
            "due_month": self.whole_number(raw, "支付月份", e, default=1, low=1, high=12),
            "due_day": self.whole_number(raw, "支付日", e, default=1, low=1, high=31),
            "decision": self.decision(village, raw, "四议两公开决策", e),
            "note": self.optional_text(raw, NOTE, e, max_length=500),
        }
        if village is None or not number:
            return {}
        self.once_in_file((village.pk, number), e, "合同编号")
        if e:
            return {}
        if number in self._registered(village):
            return self.skip(
                e.row, _("%(village)s已有合同“%(number)s”,跳过。") % {"village": village.name, "number": number}
            )
        if starts is not None and ends is not None:
            self._check_room(parcels, starts, ends, e)
        if starts is not None and ends is not None and not e:
            self._pending[(village.pk, number)] = (starts, ends, parcels)
        return {"village": village, "parcels": parcels, **fields}

    def _check_room(self, parts: list[tuple[Parcel, Decimal]], starts: dt.date, ends: dt.date, e: RowErrors) -> None:
        """Seen early, while the file is checked: no parcel transferred beyond its area by the contracts
        already signed and the rows above not yet written that overlap in time (`land.services` decides)."""
        for parcel, area in parts:
            earlier = sum(
                (
                    a
                    for s, t, rows in self._pending.values()
                    if s <= ends and t >= starts
                    for p, a in rows
                    if p.pk == parcel.pk
                ),
                Decimal(0),
            )
            taken = selectors.parcel_taken(parcel, starts, ends) + earlier
            if taken + area > parcel.area:
                e.add(
                    "流转地块",
                    _("地块“%(name)s”面积 %(total)s 亩,同期已流转 %(taken)s 亩,本合同最多还能流转 %(left)s 亩。")
                    % {
                        "name": parcel.name,
                        "total": f"{parcel.area:.2f}",
                        "taken": f"{taken:.2f}",
                        "left": f"{max(parcel.area - taken, Decimal(0)):.2f}",
                    },
                )

    def _registered(self, village: AreaNode) -> set[str]:
        if village.pk not in self._numbers:
            self._numbers[village.pk] = selectors.village_contract_numbers(village)
        return self._numbers[village.pk]

    def _parcel_parts(self, village: AreaNode | None, text: str, e: RowErrors) -> list[tuple[Parcel, Decimal]]:
        """The parcels (and the mu of each) a contract transfers: "名称[:亩数]" or "户编号/名称[:亩数]"."""
        if village is None or not text:
            return []
        parts: list[tuple[Parcel, Decimal]] = []
        for item in (p for p in _PARCEL_SPLIT.split(text) if p):
            label, *rest = _AREA_SPLIT.split(item, maxsplit=1)
            parcel = self._parcel(village, label, e)
            area, problem = positive(rest[0], _("流转面积")) if rest else (None, "")
            if problem:
                e.add("流转地块", f"“{item}”:{problem}")
            elif parcel is not None:
                parts.append((parcel, area or parcel.area))
        if len({p.pk for p, _a in parts}) < len(parts):
            e.add("流转地块", _("同一地块不能填写两次。"))
        return parts

    def _parcel(self, village: AreaNode, label: str, e: RowErrors) -> Parcel | None:
        number, _sep, name = label.rpartition("/")
        found = self._parcels._registered(village).get(name.strip(), [])
        if number:
            found = [p for p in found if p.household.number == number.strip()]
        if len(found) == 1:
            return found[0]
        if not found:
            e.add("流转地块", _("%(village)s没有地块“%(name)s”。") % {"village": village.name, "name": label})
        else:
            e.add(
                "流转地块",
                _("%(village)s有多块名为“%(name)s”的地块,请写“户编号/名称”。")
                % {"village": village.name, "name": label},
            )
        return None

    def _transferee(
        self, village: AreaNode | None, name: str, e: RowErrors
    ) -> tuple[EconomicOrg | None, Enterprise | None]:
        """(the organisation whose books carry the rent, the enterprise or None)."""
        if village is None or not name:
            return None, None
        orgs = [o for o in self.orgs if o.village_id == village.pk]
        named = [o for o in orgs if o.name == name]
        if named:
            return named[0], None
        enterprises = selectors.visible_enterprises(self.user, name)
        if len(enterprises) != 1:
            message = (
                _("“%(name)s”不是本村的集体经济组织或合作社,也未找到该名称的企业。")
                if not enterprises
                else _("有多家名为“%(name)s”的企业,请联系管理员区分名称。")
            )
            e.add("流入方", message % {"name": name})
            return None, None
        collective = next((o for o in orgs if o.founded_by_id is None), None)
        if collective is None:
            e.add("流入方", _("%(village)s尚未登记集体经济组织,不能代企业收付租金。") % {"village": village.name})
        return collective, enterprises[0]

    def write(self, cleaned: dict[str, Any]) -> Any:
        if cleaned.get("skip"):
            return SKIPPED
        contract = land.create_contract(actor=self.user, **cleaned)
        self._pending.pop((cleaned["village"].pk, contract.number), None)  # in the database from now on
        self._registered(cleaned["village"]).add(contract.number)
        return contract
