"""Importing the projects the town serves (项目), their milestones (项目节点) and their blockers
(堵点问题), through `projects.services_*` (`project_register`, `milestone_add`, `blocker_raise`).

A row names its park or town, project, team, cadre and enterprise by name; only what the importer
may both import and record projects over (IMPORT and PROJECTS) is found, so a row of another town
is refused on its own, with the message of a name that does not exist. The kinds import all or
nothing.

Importing the same file twice writes nothing twice: a project is known by its park or town and
its name, a milestone by its project and its name, a blocker by its project, its category and its
description; a row naming one already registered is skipped and listed on the job's page.

Decided: a service team named by a project row must exist (it is not created): a team is its
leader and members, set up on the team page. Milestones come in a file of their own (the import
reads a workbook's first sheet, like every kind): import the projects first. An imported blocker is
open or in progress, never solved: solving needs evidence and the team leader's sign-off (销号).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.enterprises.interface import Enterprise
from hongniudai.places.models import AreaNode
from hongniudai.projects import checks
from hongniudai.projects import services_blockers as blockers
from hongniudai.projects import services_projects as projects
from hongniudai.projects.models import BlockerCategory, BlockerStatus, Project, ProjectKind, ProjectStatus
from hongniudai.spreadsheets import selectors_projects as selectors
from hongniudai.spreadsheets.models import ImportKind

from .economy import EconomyImporter
from .rows import NOTE, NOTE_SPEC, SKIPPED, Importer, RowErrors, Spec, cell_text, labels_of, parse_date

AREA = Spec("area", "所在园区或镇", required=True, width=22, example="宋河精细化工产业园", help="园区或镇的名称。")
PROJECT = Spec("project", "项目", required=True, width=26, example="年产5万吨精细化学品项目", help="已登记项目的名称。")
# What an imported blocker may be: never resolved or signed off (that needs evidence and a sign-off).
IMPORTED_STATUSES = {str(s.label): str(s.value) for s in (BlockerStatus.OPEN, BlockerStatus.IN_PROGRESS)}
COMMON_NOTES = (
    "第 1 行是表头,请勿修改;带 * 的列必须填写。备注以“【示例】”开头的行是示例,导入时自动跳过。",
    "只能导入您有权登记项目服务信息的园区或镇的数据;其他园区或镇的行会被拒绝。",
)
ALL_OR_NOTHING_NOTE = "有任何一行有误时,不会导入任何数据。"


class ProjectsImporter(Importer):
    """The parks, towns and projects the rows name, found in the importer's scope; the rows already
    imported, skipped."""

    all_or_nothing = True
    any_date = staticmethod(EconomyImporter.any_date)
    whole_number = staticmethod(EconomyImporter.whole_number)

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._nodes: dict[str, list[AreaNode]] | None = None
        self._projects: dict[str, list[Project]] = {}
        self._seen: dict[tuple[Any, ...], int] = {}
        self.skipped: list[dict[str, str]] = []

    @property
    def nodes(self) -> dict[str, list[AreaNode]]:
        if self._nodes is None:
            self._nodes = {}
            for node in selectors.import_project_nodes(self.user):
                self._nodes.setdefault(node.name, []).append(node)
        return self._nodes

    def node(self, raw: dict[str, Any], e: RowErrors) -> AreaNode | None:
        name = self.required_text(raw, AREA.header, e)
        if not name:
            return None
        found = self.nodes.get(name, [])
        if len(found) != 1:
            e.add(
                AREA.header,
                _("未找到园区或镇“%(name)s”,或不在您的管辖范围内。") % {"name": name}
                if not found
                else _("“%(name)s”对应多个园区或镇,请联系管理员区分名称。") % {"name": name},
            )
            return None
        return found[0]

    def project(self, raw: dict[str, Any], e: RowErrors) -> Project | None:
        name = self.required_text(raw, PROJECT.header, e)
        if not name:
            return None
        if name not in self._projects:
            self._projects[name] = selectors.import_projects(self.user, name)
        found = self._projects[name]
        if len(found) == 1:
            return found[0]
        e.add(
            PROJECT.header,
            _("未找到项目“%(name)s”,或该项目不在您的管辖范围内。") % {"name": name}
            if not found
            else _("有多个名为“%(name)s”的项目,请联系管理员区分名称。") % {"name": name},
        )
        return None

    def cadre(self, raw: dict[str, Any], header: str, e: RowErrors) -> User | None:
        """A cadre by username or name (optional)."""
        text = cell_text(raw.get(header))
        if not text:
            return None
        found = selectors.import_cadres(self.user, text)
        if len(found) == 1:
            return found[0]
        e.add(
            header,
            _("未找到用户名或姓名为“%(name)s”的园区或镇干部。") % {"name": text}
            if not found
            else _("有多位干部姓名为“%(name)s”,请填写用户名。") % {"name": text},
        )
        return None

    @staticmethod
    def yuan(raw: dict[str, Any], header: str, e: RowErrors) -> Decimal | None:
        """Exact yuan (at most two decimals, not negative), or None when empty."""
        value = raw.get(header)
        text = repr(value) if isinstance(value, float) else cell_text(value).replace(",", "")
        if not text:
            return None
        try:
            return checks.money(text, field=header)
        except ValidationError as exc:
            for message in exc.message_dict.get(header, exc.messages):
                e.add(header, message)
            return None

    def once_in_file(self, key: tuple[Any, ...], e: RowErrors, header: str) -> None:
        if key in self._seen:
            e.add(header, _("与第 %(row)s 行重复。") % {"row": self._seen[key]})
        else:
            self._seen[key] = e.row

    def skip(self, row: int, what: str) -> dict[str, Any]:
        self.skipped.append({"row": str(row), "message": what})
        return {"skip": True}

    def outcome(self) -> list[dict[str, str]]:
        return self.skipped

    def forget(self) -> None:
        self.skipped = []


class ProjectImporter(ProjectsImporter):
    kind = ImportKind.PROJECTS
    sheet_title = "项目"
    specs = (
        Spec(
            "name",
            "项目名称",
            required=True,
            width=26,
            example="年产5万吨精细化学品项目",
            help="在园区或镇内不能重复。",
        ),
        AREA,
        Spec(
            "owner",
            "业主企业",
            width=24,
            example="宋河新材料有限公司",
            help="可不填;已登记企业的名称或统一社会信用代码。",
        ),
        Spec("contractors", "施工及承建单位", width=24, example="湖北建工集团", help="可不填。"),
        Spec("kind", "项目类型", width=12, example="工业项目", help="不填视为“工业项目”。"),
        Spec("planned_investment", "计划投资(元)", width=16, example="500000000", help="以元为单位,最多两位小数。"),
        Spec("invested", "累计完成投资(元)", width=16, example="120000000.50", help="以元为单位,最多两位小数。"),
        Spec("status", "项目状态", width=10, example="在建", help="不填视为“已签约”。"),
        Spec("leader", "牵头领导", width=14, example="", help="可不填;园区或镇干部的用户名或姓名。"),
        Spec("team", "服务专班", width=16, example="", help="可不填;已建立的专班名称(不会自动新建)。"),
        Spec("signed_on", "签约日期", width=12, example="2025-03-01", help="可不填。"),
        NOTE_SPEC,
    )
    field_columns: ClassVar[dict[str, str]] = {
        "name": "项目名称",
        "area": AREA.header,
        "owner": "业主企业",
        "contractors": "施工及承建单位",
        "kind": "项目类型",
        "planned_investment": "计划投资(元)",
        "invested": "累计完成投资(元)",
        "status": "项目状态",
        "leader": "牵头领导",
        "team": "服务专班",
        "signed_on": "签约日期",
        "note": NOTE,
    }

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._registered: set[tuple[int, str]] | None = None

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一个项目。" + COMMON_NOTES[0],
            COMMON_NOTES[1] + "可选的园区、镇和服务专班见“可选园区和专班”工作表。",
            "业主企业按名称或统一社会信用代码查找;牵头领导按用户名或姓名查找(重名时填用户名)。",
            "服务专班须已建立(专班由组长和成员组成,请先在“服务专班”页面建立),导入不会新建专班。",
            "计划投资和累计完成投资以元为单位,精确到分:最多两位小数,不能为负数。",
            "项目类型可填:" + "、".join(labels_of(ProjectKind.choices)) + ";项目状态可填:"
            "" + "、".join(labels_of(ProjectStatus.choices)) + "。项目进度由项目节点计算,不导入。",
            "项目按“所在园区或镇 + 项目名称”识别:已登记的项目不会重复导入,在导入结果中列为“已登记,跳过”。"
            "项目节点请用“项目节点”模板另行导入。",
            ALL_OR_NOTHING_NOTE,
        ]

    def allowed_values(self, spec: Spec) -> tuple[str, ...]:
        if spec.key == "kind":
            return tuple(labels_of(ProjectKind.choices))
        if spec.key == "status":
            return tuple(labels_of(ProjectStatus.choices))
        return spec.values

    def choices_sheet(self) -> tuple[str, list[str], list[list[str]]] | None:
        teams = selectors.import_teams_all(self.user)
        rows = [[t.area.name, t.name] for t in teams]
        with_team = {t.area_id for t in teams}
        rows += [[n.name, ""] for found in self.nodes.values() for n in found if n.pk not in with_team]
        return "可选园区和专班", ["园区或镇", "服务专班"], rows

    def example_row(self) -> list[str]:
        row = super().example_row()
        first = next(iter(self.nodes), None)
        if first is not None:
            row[self.specs.index(AREA)] = first
        return row

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        name = self.required_text(raw, "项目名称", e, max_length=100)
        area = self.node(raw, e)
        fields = {
            "area": area,
            "name": name,
            "owner": self._owner(raw, e),
            "contractors": self.optional_text(raw, "施工及承建单位", e, max_length=300),
            "kind": self.choice(raw, "项目类型", e, labels_of(ProjectKind.choices), ProjectKind.INDUSTRIAL),
            "planned_investment": self.yuan(raw, "计划投资(元)", e),
            "invested": self.yuan(raw, "累计完成投资(元)", e),
            "status": self.choice(raw, "项目状态", e, labels_of(ProjectStatus.choices), ProjectStatus.SIGNED),
            "leader": self.cadre(raw, "牵头领导", e),
            "team": self._team(raw, e),
            "signed_on": self.any_date(raw, "签约日期", e, required=False),
            "note": self.optional_text(raw, NOTE, e, max_length=2000),
        }
        if area is None or not name:
            return {}
        self.once_in_file((area.pk, name), e, "项目名称")
        if e:
            return {}
        if self._registered is None:
            self._registered = selectors.import_project_names(self.user)
        if (area.pk, name) in self._registered:
            return self.skip(e.row, _("%(area)s已有项目“%(name)s”,跳过。") % {"area": area.name, "name": name})
        return fields

    def _owner(self, raw: dict[str, Any], e: RowErrors) -> Enterprise | None:
        text = self.optional_text(raw, "业主企业", e)
        if not text:
            return None
        found = selectors.import_enterprises(self.user, text)
        if len(found) != 1:
            e.add(
                "业主企业",
                _("未找到名称或统一社会信用代码为“%(name)s”的企业,或该企业不在您的管辖范围内。") % {"name": text}
                if not found
                else _("有多家名为“%(name)s”的企业,请填写统一社会信用代码。") % {"name": text},
            )
            return None
        return found[0]

    def _team(self, raw: dict[str, Any], e: RowErrors) -> Any:
        text = self.optional_text(raw, "服务专班", e)
        if not text:
            return None
        found = selectors.import_teams(self.user, text)
        if len(found) != 1:
            e.add(
                "服务专班",
                _("未找到专班“%(name)s”:请先在“服务专班”页面建立专班,导入不会新建专班。") % {"name": text}
                if not found
                else _("有多个名为“%(name)s”的专班,请联系管理员区分名称。") % {"name": text},
            )
            return None
        return found[0]

    def write(self, cleaned: dict[str, Any]) -> Any:
        if cleaned.get("skip"):
            return SKIPPED
        project = projects.project_register(actor=self.user, **cleaned)
        if self._registered is not None:
            self._registered.add((project.area_id, project.name))
        return project


class MilestoneImporter(ProjectsImporter):
    kind = ImportKind.PROJECT_MILESTONES
    sheet_title = "项目节点"
    specs = (
        PROJECT,
        Spec("stage", "阶段", width=10, example="建设", help="可不填,如“前期”“建设”“投产”。"),
        Spec("name", "节点名称", required=True, width=20, example="主体厂房封顶", help="在本项目内不能重复。"),
        Spec("weight", "权重", width=8, example="2", help="大于零,最多两位小数;不填为 1。"),
        Spec("planned_on", "计划完成日期", required=True, width=14, example="2026-06-30"),
        Spec("done_on", "实际完成日期", width=14, example="", help="已完成的填写,不能晚于今天。"),
        NOTE_SPEC,
    )
    field_columns: ClassVar[dict[str, str]] = {
        "stage": "阶段",
        "name": "节点名称",
        "weight": "权重",
        "planned_on": "计划完成日期",
        "done_on": "实际完成日期",
    }

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._names: dict[int, set[str]] = {}

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一个项目节点。先导入项目,再导入项目节点。" + COMMON_NOTES[0],
            COMMON_NOTES[1],
            "项目进度 = 已填写实际完成日期的节点权重之和 ÷ 全部节点权重之和。",
            "节点按“项目 + 节点名称”识别:该项目已有同名节点的行不会重复导入,在导入结果中列为“已登记,跳过”。",
            ALL_OR_NOTHING_NOTE,
        ]

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        project = self.project(raw, e)
        name = self.required_text(raw, "节点名称", e, max_length=100)
        weight = cell_text(raw.get("权重")) or "1"
        try:
            checks.weight(weight)
        except ValidationError as exc:
            e.add("权重", exc.messages[0])
        fields = {
            "project": project,
            "stage": self.optional_text(raw, "阶段", e, max_length=50),
            "name": name,
            "weight": weight,
            "planned_on": self.any_date(raw, "计划完成日期", e, required=True),
            "done_on": self.date(raw, "实际完成日期", e, required=False),
        }
        self.optional_text(raw, NOTE, e)
        if project is None or not name:
            return {}
        self.once_in_file((project.pk, name), e, "节点名称")
        if e:
            return {}
        if project.pk not in self._names:
            self._names[project.pk] = selectors.project_milestone_names(project)
        if name in self._names[project.pk]:
            return self.skip(
                e.row, _("项目“%(project)s”已有节点“%(name)s”,跳过。") % {"project": project, "name": name}
            )
        return fields

    def write(self, cleaned: dict[str, Any]) -> Any:
        if cleaned.get("skip"):
            return SKIPPED
        return projects.milestone_add(actor=self.user, **cleaned)


class BlockerImporter(ProjectsImporter):
    kind = ImportKind.PROJECT_BLOCKERS
    sheet_title = "堵点问题"
    specs = (
        PROJECT,
        Spec("category", "问题类别", required=True, width=14, example="用工", help="本镇堵点类别的名称。"),
        Spec("description", "问题描述", required=True, width=36, example="缺少电焊工 20 名"),
        Spec("owner_department", "责任部门", width=16, example="镇人社中心", help="可不填。"),
        Spec("owner", "责任人", width=12, example="", help="可不填;园区或镇干部的用户名或姓名。"),
        Spec("contact_name", "企业反映人", width=12, example="", help="可不填。"),
        Spec("raised_on", "提出日期", width=12, example="", help="不填为导入当天;不能晚于今天。"),
        Spec(
            "due",
            "办理时限",
            width=14,
            example="10",
            help="工作日数(1 至 250,从提出日期起算),或办结日期;不填按类别时限。",
        ),
        Spec("status", "状态", width=10, example="待处理", help="只能填“待处理”或“处理中”。"),
        NOTE_SPEC,
    )
    field_columns: ClassVar[dict[str, str]] = {
        "category": "问题类别",
        "description": "问题描述",
        "owner_department": "责任部门",
        "owner": "责任人",
        "contact_name": "企业反映人",
        "raised_at": "提出日期",
        "due_days": "办理时限",
        "due_on": "办理时限",
    }

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._categories: dict[int, dict[str, BlockerCategory]] = {}
        self._keys: dict[int, set[tuple[int, str]]] = {}

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一个堵点难点问题。先导入项目,再导入堵点问题。" + COMMON_NOTES[0],
            COMMON_NOTES[1],
            "问题类别:项目所在镇的堵点类别名称,见“可选类别”工作表。",
            "办理时限:填工作日数(从提出日期起按工作日历计算),或填办结日期;不填按类别的办理时限。",
            "状态只能填“待处理”或“处理中”:导入不会使问题“已解决”或“已销号”——"
            "解决问题须在平台上填写解决情况或上传佐证材料,并由专班组长销号。",
            "问题按“项目 + 问题类别 + 问题描述”识别:已登记的问题不会重复导入,在导入结果中列为“已登记,跳过”。",
            ALL_OR_NOTHING_NOTE,
        ]

    def allowed_values(self, spec: Spec) -> tuple[str, ...]:
        if spec.key == "status":
            return tuple(IMPORTED_STATUSES)
        return spec.values

    def choices_sheet(self) -> tuple[str, list[str], list[list[str]]] | None:
        rows = [[c.town.name, c.name, str(c.due_days)] for c in selectors.import_categories(self.user)]
        return "可选类别", ["镇", "堵点类别", "办理时限(工作日)"], rows

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        project = self.project(raw, e)
        category = self._category(project, raw, e)
        description = self.required_text(raw, "问题描述", e, max_length=2000)
        raised_on = self.date(raw, "提出日期", e, required=False)
        days, due_on = self._due(raw, raised_on or timezone.localdate(), e)
        fields = {
            "project": project,
            "category": category,
            "description": description,
            "owner_department": self.optional_text(raw, "责任部门", e, max_length=50),
            "owner": self.cadre(raw, "责任人", e),
            "contact_name": self.optional_text(raw, "企业反映人", e, max_length=50),
            "raised_at": _raised_at(raised_on),
            "due_days": days,
            "due_on": due_on,
            "status": self._status(raw, e),
            "note": self.optional_text(raw, NOTE, e, max_length=2000),
        }
        if project is None or category is None or not description:
            return {}
        self.once_in_file((project.pk, category.pk, description), e, "问题描述")
        if e:
            return {}
        if project.pk not in self._keys:
            self._keys[project.pk] = selectors.project_blocker_keys(project)
        if (category.pk, description) in self._keys[project.pk]:
            return self.skip(
                e.row,
                _("项目“%(project)s”已登记该%(category)s问题,跳过。") % {"project": project, "category": category},
            )
        return fields

    def _category(self, project: Project | None, raw: dict[str, Any], e: RowErrors) -> BlockerCategory | None:
        name = self.required_text(raw, "问题类别", e)
        if project is None or not name:
            return None
        if project.pk not in self._categories:
            self._categories[project.pk] = {c.name: c for c in selectors.town_categories(self.user, project)}
        found = self._categories[project.pk].get(name)
        if found is None:
            e.add(
                "问题类别",
                _("本镇没有堵点类别“%(name)s”,应为以下之一:%(values)s。")
                % {"name": name, "values": "、".join(self._categories[project.pk])},
            )
        return found

    def _due(self, raw: dict[str, Any], raised: dt.date, e: RowErrors) -> tuple[int | None, dt.date | None]:
        """(working days, None) or (None, the due date) or (None, None) for the category's time limit."""
        value = raw.get("办理时限")
        text = cell_text(value)
        if not text:
            return None, None
        if text.isdigit():
            return self.whole_number(raw, "办理时限", e, default=0, low=1, high=blockers.MAX_DUE_DAYS) or None, None
        try:
            day = parse_date(value)
        except ValidationError:
            e.add("办理时限", _("应填工作日数(1 至 250 的整数)或办结日期(如 2026-07-01)。"))
            return None, None
        if day < raised:
            e.add("办理时限", _("办结日期不能早于提出日期。"))
        return None, day

    @staticmethod
    def _status(raw: dict[str, Any], e: RowErrors) -> str:
        text = cell_text(raw.get("状态"))
        if not text:
            return BlockerStatus.OPEN
        if text in IMPORTED_STATUSES:
            return IMPORTED_STATUSES[text]
        e.add(
            "状态",
            _("导入的问题只能是“待处理”或“处理中”:问题解决须在平台上填写解决情况或上传佐证材料,并由专班组长销号。"),
        )
        return BlockerStatus.OPEN

    def write(self, cleaned: dict[str, Any]) -> Any:
        if cleaned.get("skip"):
            return SKIPPED
        status, note = cleaned.pop("status"), cleaned.pop("note")
        blocker = blockers.blocker_raise(actor=self.user, **cleaned)
        if status == BlockerStatus.IN_PROGRESS:
            blockers.blocker_step(actor=self.user, blocker=blocker, text=note or _("导入时已在处理中。"))
        self._keys.setdefault(blocker.project_id, set()).add((blocker.category_id, blocker.description))
        return blocker


def _raised_at(day: dt.date | None) -> dt.datetime | None:
    """An imported blocker raised on `day`: at noon of that day (now, for today)."""
    if day is None:
        return None
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(12))), timezone.now())
