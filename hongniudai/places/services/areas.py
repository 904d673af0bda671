"""Writes to the area tree (county → town → district → village → grid → hamlet, and parks)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability
from hongniudai.audit import services as audit
from hongniudai.common import geo
from hongniudai.common.pinyin import search_key
from hongniudai.common.text import check_lengths
from hongniudai.common.tree import child_path
from hongniudai.common.updates import model_update

from .. import events
from ..models import ALLOWED_CHILDREN, CODE_LENGTH, AreaKind, AreaNode
from ..policy import require

# The audited fields: the kind, fixed at creation, and the editable ones.
AREA_FIELDS = ("kind", *AreaNode.EDITABLE)


def _code_error(kind: str, code: str) -> str | None:
    expected = CODE_LENGTH.get(kind)
    if not code.isdigit():
        return _("统计代码只能由数字组成。")
    if expected and len(code) != expected:
        return _("%(kind)s的统计代码应为 %(n)s 位数字。") % {"kind": AreaKind(kind).label, "n": expected}
    if not expected and len(code) not in (6, 9, 12):
        return _("统计代码应为 6、9 或 12 位数字。")
    return None


def _clean_area(*, kind: str, parent: AreaNode | None, code: str, geometry: Any, name: str) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写名称。")
    if parent is None:
        if kind != AreaKind.COUNTY and kind != AreaKind.TOWN:
            errors["parent"] = _("只有县或镇可以作为最上级地区。")
    elif kind not in ALLOWED_CHILDREN.get(parent.kind, ()):
        errors["kind"] = _("“%(parent)s”(%(pkind)s)之下不能设立%(kind)s。") % {
            "parent": parent.name,
            "pkind": parent.kind_label,
            "kind": AreaKind(kind).label,
        }
    code = (code or "").strip()
    if code and (error := _code_error(kind, code)):
        errors["code"] = error
    if geometry not in (None, "", {}):
        try:
            geometry = geo.clean_geojson(geometry)
        except ValidationError as exc:
            errors["geometry"] = exc.messages[0]
    else:
        geometry = None
    if errors:
        raise ValidationError(errors)
    return {"name": name, "code": code, "geometry": geometry}


def _refuse_same_name(parent: AreaNode | None, name: str, *, exclude_pk: int | None = None) -> None:
    clash = AreaNode.objects.filter(parent=parent, name=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("同一上级下已有名为“%(name)s”的地区。") % {"name": name}})


@transaction.atomic
def create_area(
    *,
    actor: User | None,
    name: str,
    kind: str,
    parent: AreaNode | None = None,
    code: str = "",
    geometry: Any = None,
    is_community: bool = False,
    sort_order: int = 0,
) -> AreaNode:
    """Add an area under `parent`; a top node (county or town) only by a superuser or the system (None)."""
    if parent is None:
        if actor is not None and not actor.is_superuser:
            raise PermissionDenied(_("只有系统管理员可以建立最上级地区。"))
    else:
        require(actor, Capability.EDIT_PLACES, parent)
    cleaned = _clean_area(kind=kind, parent=parent, code=code, geometry=geometry, name=name)
    check_lengths(AreaNode, cleaned)
    _refuse_same_name(parent, cleaned["name"])
    area = AreaNode(parent=parent, kind=kind, is_community=is_community, sort_order=sort_order, **cleaned)
    area.search_key = search_key(area.name)
    area.path = f"tmp-{id(area)}"
    area.depth = (parent.depth + 1) if parent else 1
    area.save()
    area.path = child_path(parent.path if parent else "", area.pk)
    area.save(update_fields=["path"])
    audit.record_create(
        actor=actor,
        action=events.AREA_CREATED,
        target=area,
        after=audit.snapshot(area, AREA_FIELDS),
        area_path=area.path,
    )
    return area


@transaction.atomic
def update_area(
    *,
    actor: User,
    area: AreaNode,
    name: str,
    code: str = "",
    geometry: Any = None,
    is_community: bool = False,
    sort_order: int = 0,
) -> AreaNode:
    """Change an area's editable fields (`AreaNode.EDITABLE`); its kind and parent stay."""
    require(actor, Capability.EDIT_PLACES, area)
    cleaned = _clean_area(kind=area.kind, parent=area.parent, code=code, geometry=geometry, name=name)
    check_lengths(AreaNode, cleaned)
    _refuse_same_name(area.parent, cleaned["name"], exclude_pk=area.pk)
    before = audit.snapshot(area, AREA_FIELDS)
    changed = model_update(
        area, fields=AreaNode.EDITABLE, data={**cleaned, "is_community": is_community, "sort_order": sort_order}
    )
    if "name" in changed:
        area.search_key = search_key(area.name)
        area.save(update_fields=["search_key"])
    audit.record_update(
        actor=actor,
        action=events.AREA_UPDATED,
        target=area,
        before=before,
        after=audit.snapshot(area, AREA_FIELDS),
        area_path=area.path,
    )
    return area


@transaction.atomic
def delete_area(*, actor: User, area: AreaNode) -> None:
    """Delete an area without children, households or party organisations."""
    require(actor, Capability.EDIT_PLACES, area)
    if area.children.exists() or area.households.exists() or area.party_orgs.exists():
        raise ValidationError(_("该地区下还有下级地区、住户或党组织,不能删除。"))
    audit.record_delete(
        actor=actor,
        action=events.AREA_DELETED,
        target=area,
        before=audit.snapshot(area, AREA_FIELDS),
        area_path=area.path,
    )
    area.delete()
