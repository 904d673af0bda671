"""Importing user accounts with their first role (用户及角色): one row an account.

Every row goes through `users.services.onboard_person` (so `accounts.onboard_user`): the policy
refuses a role outside the importer's reach row by row, with its own Chinese reason, and the
check runs while validating too, so the file is refused before anything is written. The import is
all or nothing: one row in error and no account is created (`all_or_nothing`).

The first credentials. An import runs in the background and its job is stored; a one-time password
or invitation key must be neither. So the import creates each account with an invitation whose key
nobody ever sees (only its digest is stored; the account has no usable password), and remembers
in the job only the usernames and the wanted way in (初始方式). The uploader then downloads a
hand-over sheet (`spreadsheets:import_handover`, POST): at that moment each account of the job that
nobody has used yet gets a fresh one-time password or invitation link (`users.services
.hand_over_accounts`, audited as a reset), written into the downloaded workbook and nowhere else
(not the database, not the logs). Downloading again issues new secrets and voids the earlier ones;
an account whose owner has already signed in is listed without a secret.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hongniudai.accounts import policy
from hongniudai.accounts.models import Role, User
from hongniudai.accounts.services_users import USERNAME_RE, Credential
from hongniudai.common.identity import id_number_digest, normalize_phone
from hongniudai.places.models import Resident
from hongniudai.spreadsheets.models import ImportKind
from hongniudai.users import selectors as user_selectors
from hongniudai.users import services as user_services

from .rows import EXAMPLE_MARK, NOTE, NOTE_SPEC, Importer, RowErrors, Spec, labels_of

CREDENTIALS: dict[str, str] = {"一次性密码": Credential.PASSWORD, "邀请链接": Credential.INVITATION}


class UserImporter(Importer):
    kind = ImportKind.USERS
    sheet_title = "用户"
    all_or_nothing = True
    specs = (
        Spec(
            "username",
            "用户名",
            required=True,
            text=True,
            width=16,
            example="wg-xuqiao-5",
            help="2 至 30 位字母、数字或 _ . -,以字母或数字开头;不能与已有用户名重复。",
        ),
        Spec("display_name", "姓名", required=True, width=10, example="黄志刚"),
        Spec("phone", "手机号", text=True, width=14, example="13800001234", help="可不填。"),
        Spec(
            "role",
            "角色",
            required=True,
            width=14,
            example="网格员",
            help="只能授予您有权授予的角色(不超过您自己在该处的权限)。",
        ),
        Spec(
            "node",
            "所在节点",
            required=True,
            width=32,
            example="宋河镇/东片区/徐桥村/5组",
            help="从镇起的地区名称路径,如 宋河镇/东片区/徐桥村/5组;或党组织名称,如 徐桥村党支部。"
            "可选节点见“可选节点”工作表。",
        ),
        Spec(
            "id_number",
            "身份证号",
            text=True,
            width=22,
            example="",
            help="可不填;如填写,账号关联到您管辖范围内登记的该居民(党员中心户关联其党员档案)。",
        ),
        Spec(
            "credential",
            "初始方式",
            values=tuple(CREDENTIALS),
            width=12,
            example="一次性密码",
            help="不填视为“一次性密码”。导入后下载“账号交接表”时发放,每个账号只向管理员显示一次。",
        ),
        NOTE_SPEC,
    )
    field_columns: ClassVar[dict[str, str]] = {
        "username": "用户名",
        "display_name": "姓名",
        "phone": "手机号",
        "role": "角色",
        "ended_on": "角色",
        "id_number": "身份证号",
    }

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self._usernames: dict[str, int] = {}
        self._ids: dict[str, int] = {}
        self._nodes: dict[str, list[Any]] = {}
        self.created: list[dict[str, str]] = []

    @classmethod
    def notes(cls) -> list[str]:
        return [
            "每行一个账号及其第一个角色。第 1 行是表头,请勿修改;带 * 的列必须填写。",
            "备注以“【示例】”开头的行是示例,导入时自动跳过。",
            "角色可填:" + "、".join(labels_of(Role.choices)) + ";只能授予您有权在该处授予的角色。",
            "有任何一行有误时,不会创建任何账号;请改正后重新上传。",
            "导入完成后,在导入任务页下载“账号交接表”:其中的一次性密码或邀请链接只在下载时生成一次,"
            "请妥善交给本人;再次下载会重新生成并使上次的作废。",
        ]

    def example_rows(self) -> list[list[str]]:
        centre = {
            "username": "zxh-huangjiawan",
            "display_name": "黄文华",
            "phone": "",
            "role": "党员中心户",
            "node": "宋河镇/东片区/徐桥村/5组/黄家湾",
            "id_number": "11010519491231002X",
            "credential": "邀请链接",
            "note": EXAMPLE_MARK + "党员中心户示例:按身份证号关联到该居民及其党员档案",
        }
        return [self.example_row(), [centre.get(s.key, s.example) for s in self.specs]]

    def allowed_values(self, spec: Spec) -> tuple[str, ...]:
        if spec.key == "role":
            return tuple(labels_of(Role.choices))
        return spec.values

    def choices_sheet(self) -> tuple[str, list[str], list[list[str]]] | None:
        rows = [[kind, label] for kind, label in user_selectors.reachable_node_labels(self.user)]
        return "可选节点", ["类型", "所在节点"], rows

    def clean_fields(self, raw: dict[str, Any], e: RowErrors) -> dict[str, Any]:
        username = self._username(self.required_text(raw, "用户名", e), e)
        display_name = self.required_text(raw, "姓名", e, max_length=50)
        phone = self._phone(raw, e)
        role = self.choice(raw, "角色", e, labels_of(Role.choices), default=None)
        node = self._node(self.required_text(raw, "所在节点", e), e)
        if role and node is not None:
            refusal = policy.grant_refusal(self.user, role, node)
            if refusal is not None:
                e.add("角色", refusal)
        resident = self._resident(raw, e)
        credential = self.choice(raw, "初始方式", e, CREDENTIALS, default=Credential.PASSWORD)
        self.optional_text(raw, NOTE, e)
        return {
            "username": username,
            "display_name": display_name,
            "phone": phone,
            "role": role,
            "node": node,
            "resident": resident,
            "credential": credential,
        }

    def _username(self, username: str, e: RowErrors) -> str:
        if not username:
            return ""
        if not USERNAME_RE.match(username):
            e.add("用户名", _("用户名须为2至30位字母、数字或 _ . -,以字母或数字开头。"))
            return username
        key = username.lower()
        if key in self._usernames:
            e.add("用户名", _("与第 %(row)s 行的用户名重复。") % {"row": self._usernames[key]})
        elif User.objects.filter(username__iexact=username).exists():
            e.add("用户名", _("用户名已存在。"))
        self._usernames.setdefault(key, e.row)
        return username

    def _phone(self, raw: dict[str, Any], e: RowErrors) -> str:
        text = self.optional_text(raw, "手机号", e)
        if not text:
            return ""
        try:
            return normalize_phone(text[:30])
        except ValidationError as exc:
            e.add("手机号", exc.messages[0])
            return ""

    def _node(self, text: str, e: RowErrors) -> Any:
        if not text:
            return None
        if text not in self._nodes:
            self._nodes[text] = user_selectors.nodes_named(self.user, text)
        found = self._nodes[text]
        if not found:
            e.add("所在节点", _("未找到“%(node)s”:请填写从镇起的地区路径或党组织名称。") % {"node": text})
        elif len(found) > 1:
            e.add(
                "所在节点",
                _("“%(node)s”对应多个节点,请填写更完整的路径(如 宋河镇/东片区/徐桥村/5组)。") % {"node": text},
            )
        else:
            return found[0]
        return None

    def _resident(self, raw: dict[str, Any], e: RowErrors) -> Resident | None:
        if not self.optional_text(raw, "身份证号", e):
            return None
        _number, cid = self.citizen_id(raw, "身份证号", e)
        if cid is None:
            return None
        digest = id_number_digest(cid.number)
        if digest in self._ids:
            e.add("身份证号", _("与第 %(row)s 行的身份证号重复。") % {"row": self._ids[digest]})
            return None
        self._ids[digest] = e.row
        resident = user_selectors.resident_to_link(self.user, cid.number)
        if resident is None:
            e.add("身份证号", _("未找到该身份证号对应的居民,或该居民不在您的管辖范围内;请先登记该居民。"))
        elif resident.account_id is not None:
            e.add("身份证号", _("该居民已关联了另一个账号。"))
            return None
        return resident

    def write(self, cleaned: dict[str, Any]) -> Any:
        # The account gets an invitation nobody sees; the wanted way in is issued on the hand-over sheet.
        fields = {k: v for k, v in cleaned.items() if k != "credential"}
        handover = user_services.onboard_person(actor=self.user, **fields, credential=Credential.INVITATION)
        self.created.append({"username": handover.user.username, "credential": str(cleaned["credential"])})
        return handover

    def outcome(self) -> list[dict[str, str]]:
        return self.created

    def forget(self) -> None:
        self.created = []
