"""The enterprises a user may name as the other party of the collective economy's business: the
buyer of a harvest, the adviser of a planting, the transferee of land, the employer of a returnee.

The other party is seldom inside the recording village: 徐桥村's sorghum is sold to a distillery in the
town's park, outside every village's scope. So a user who reads or records the economy of a village
may name any enterprise of that village's town — by typing its name (`counterparty_widget`), never
from a list — and sees only its name that way; the enterprise's own page stays in the VIEW scope.
Every enterprise of the user's VIEW scope may be named too."""

from __future__ import annotations

from django.db.models import QuerySet

from hongniudai.accounts.models import User
from hongniudai.accounts.scope import Capability, Scope, minimal_paths, scope_for
from hongniudai.common import pick
from hongniudai.common.tree import SEGMENT
from hongniudai.places.models import AreaKind, AreaNode

from .models import Enterprise
from .pickers import enterprise_widget
from .selectors import matching


def counterparty_scope(user: User | None) -> Scope:
    """The VIEW scope of `user` widened, for each node where they hold ECONOMY_VIEW, to its town
    (a node above the towns stays as it is). Computed once per user object."""
    cached: Scope | None = getattr(user, "_hnd_counterparty_scope", None)
    if cached is not None:
        return cached
    view, economy = scope_for(user), scope_for(user, Capability.ECONOMY_VIEW)
    if view.everything or economy.everything:
        scope = Scope(everything=True)
    else:
        prefixes = {p[:n] for p in economy.area_paths for n in range(1 + SEGMENT, len(p) + 1, SEGMENT)}
        towns = set(
            AreaNode.objects.filter(kind=AreaKind.TOWN, path__in=prefixes).values_list("path", flat=True)
            if prefixes
            else ()
        )
        widened = [next((t for t in towns if p.startswith(t)), p) for p in economy.area_paths]
        scope = Scope(area_paths=minimal_paths([*view.area_paths, *widened]))
    if user is not None:
        setattr(user, "_hnd_counterparty_scope", scope)  # noqa: B010 - a cache on the user object
    return scope


def counterparties(user: User | None) -> QuerySet[Enterprise]:
    """The enterprises `user` may name as the other party (validates a form's or the API's id)."""
    return counterparty_scope(user).filter(Enterprise.objects.only("id", "name", "area")).order_by("name", "id")


def may_name(user: User | None, enterprise: Enterprise) -> bool:
    """Whether `user` may name `enterprise` as the other party (the services' rule)."""
    return counterparty_scope(user).covers(enterprise)


def pick_counterparties(user: User, *, q: str = "") -> list[Enterprise]:
    """Up to PICK_LIMIT + 1 of `counterparties` by name (or USCC); none for a blank `q`."""
    q = q.strip()[: pick.QUERY_MAX]
    if not q:
        return []
    return list(matching(counterparties(user), q)[: pick.PICK_LIMIT + 1])


def counterparty_widget(placeholder: str = "") -> pick.LabelledPickWidget:
    """The picker on a form's other-party field: enterprises of the user's towns by name."""
    return enterprise_widget(placeholder, url_name="enterprises:counterparty_pick")
