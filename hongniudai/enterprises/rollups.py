"""The coverage rollup: each enterprise's count of full members (`Enterprise.full_members`) and
its coverage state (`Enterprise.coverage`, 应建尽建), kept on the enterprise so that the coverage
page groups a column instead of computing three correlated subqueries for every enterprise in the
county on each request.

`computed` is the definition (kept as the source of truth, in SQL); the kept columns are written
from it, never by adding and subtracting, and kept true in two ways:

- `refresh(ids)`: the services call it in the same transaction after every change that moves an
  enterprise's state: an enterprise registered or changed (its branch), an employment added or
  removed, an instructor sent or withdrawn; and, through party's contributions
  (`members_changing`, `orgs_changing`), a member's status changed or the member deleted, a
  branch's type changed or the branch deleted;
- `rebuild()`: recomputes every enterprise (after bulk writes: the demo, the county generator);
  registered with `common.rollups`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual

from hongniudai.common.rollups import is_deferred, register
from hongniudai.party.models import BranchType, MemberStatus, PartyOrg

from .models import Coverage, Employment, Enterprise

OWN_BRANCH_THRESHOLD = 3  # 正式党员三人以上


def full_members_of(enterprise_ref: Any) -> Coalesce:
    """The number of full members employed at the enterprise `enterprise_ref`, as a subquery."""
    counted = (
        Employment.objects.filter(enterprise=enterprise_ref, member__status=MemberStatus.FULL)
        .order_by()
        .values("enterprise")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), Value(0), output_field=IntegerField())


def coverage_of(full_members: Any) -> Case:
    """The coverage state (a `Coverage` value) of an enterprise with `full_members`:

    - 3 or more full members: covered only by an own branch (type enterprise), else should_found;
    - 1–2 full members: covered by an own or a joint branch, else should_join;
    - no full member: covered by a branch or an instructor (watched), else no_instructor.

    Written without joins (an UPDATE may not join): the branch's type and the instructors are
    EXISTS subqueries of the enterprise being read or written."""
    own = Exists(PartyOrg.objects.filter(pk=OuterRef("branch_id"), branch_type=BranchType.ENTERPRISE))
    has_branch = Q(branch__isnull=False)
    has_instructor = Exists(Enterprise.instructors.through.objects.filter(enterprise_id=OuterRef("pk")))
    many: Any = GreaterThanOrEqual(full_members, OWN_BRANCH_THRESHOLD)
    some: Any = GreaterThanOrEqual(full_members, 1)
    return Case(
        When(many & own, then=Value(Coverage.OWN_BRANCH.value)),
        When(many, then=Value(Coverage.SHOULD_FOUND.value)),
        When(own, then=Value(Coverage.OWN_BRANCH.value)),
        When(has_branch, then=Value(Coverage.JOINT_BRANCH.value)),
        When(some, then=Value(Coverage.SHOULD_JOIN.value)),
        When(has_instructor, then=Value(Coverage.WATCHED.value)),
        default=Value(Coverage.NO_INSTRUCTOR.value),
        output_field=CharField(),
    )


def computed(enterprises: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """`enterprises` annotated with the definition: `computed_full_members` and
    `computed_coverage` (what the kept columns must equal; the tests compare them)."""
    return enterprises.annotate(computed_full_members=full_members_of(OuterRef("pk"))).annotate(
        computed_coverage=coverage_of(F("computed_full_members"))
    )


def _write(enterprises: QuerySet[Enterprise]) -> int:
    """Recompute the kept columns of `enterprises`: the count first, then the state from it."""
    n = enterprises.update(full_members=full_members_of(OuterRef("pk")))
    enterprises.update(coverage=coverage_of(F("full_members")))
    return n


@transaction.atomic
def refresh(enterprise_ids: Collection[int | None]) -> None:
    """Recompute the kept columns of the given enterprises. Their rows are locked first (in id
    order), so that the counting runs after a concurrent writer to the same enterprise has
    committed."""
    ids = sorted({pk for pk in enterprise_ids if pk is not None})
    if not ids or is_deferred():
        return
    list(Enterprise.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    _write(Enterprise.objects.filter(pk__in=ids))


def members_changing(member_ids: list[int]) -> Callable[[], None]:
    """party's hook, before members' status changes or they are deleted: refresh, after it, the
    enterprises they work at."""
    ids = list(Employment.objects.filter(member_id__in=member_ids).values_list("enterprise_id", flat=True))
    return lambda: refresh(ids)


def orgs_changing(org_ids: list[int]) -> Callable[[], None]:
    """party's hook, before a branch's type changes or it is deleted: refresh, after it, the
    enterprises that belong to it."""
    ids = list(Enterprise.objects.filter(branch_id__in=org_ids).values_list("pk", flat=True))
    return lambda: refresh(ids)


@register("enterprise_coverage")
@transaction.atomic
def rebuild(say: Callable[[str], None] = lambda _m: None) -> int:
    """Recompute every enterprise's full members and coverage (two UPDATEs)."""
    n = _write(Enterprise.objects.all())
    say(f"    {n} enterprises")
    return n
