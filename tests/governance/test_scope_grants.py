"""Seeing a matter by a grant (invited to it, reported it) beyond one's own subtree: the grants
are indexed conditions, listed by id while there are few and a subquery past that."""

import pytest

from hongniudai.accounts import scope
from hongniudai.accounts.scope import scope_for
from hongniudai.governance import selectors, services
from hongniudai.governance.models import Matter


def _report(gov, actor="zhangshengfu", title="山林界址纠纷"):
    return services.report_matter(
        actor=gov.users[actor],
        category=gov.forest,
        title=title,
        description="界址争议",
        channel="centre_household",
        place=gov.hemeifan.hamlet,
    )


@pytest.mark.parametrize("listed_up_to", [scope.GRANT_LIST_MAX, 1])
def test_an_invited_outsider_sees_exactly_the_matters_invited_to(gov, monkeypatch, listed_up_to):
    monkeypatch.setattr(scope, "GRANT_LIST_MAX", listed_up_to)
    outsider = gov.users["fashuihe"]  # another village's secretary
    first, second, third = (_report(gov, title=t) for t in ("一", "二", "三"))
    for matter in (first, second):  # granted as an invitation grants it (no village of theirs to invite from)
        matter.invited.add(outsider)
    outsider = type(outsider).objects.get(pk=outsider.pk)  # a fresh user: no cached scope
    seen = set(scope_for(outsider).filter(Matter.objects.all()).values_list("pk", flat=True))
    assert seen == {first.pk, second.pk}
    assert {m.pk for m in selectors.matters(outsider)} == {first.pk, second.pk}
    assert {m.pk for m in selectors.inbox(outsider)} == {first.pk, second.pk}  # open, invited
    assert selectors.matter_get(outsider, second.pk) == second
    assert third.pk not in {m.pk for m in selectors.matters(outsider)}


def test_grants_within_ones_own_subtree_add_no_condition(gov):
    reporter = gov.users["zhangshengfu"]  # reports in his own village
    matter = _report(gov)
    condition = str(scope_for(reporter).filter(Matter.objects.all()).query).partition("WHERE")[2]
    assert "reporter_id" not in condition and "governance_matter_invited" not in condition
    assert scope.grant_q(Matter, "invited", reporter.pk) is None
    assert list(scope_for(reporter).filter(Matter.objects.all())) == [matter]


@pytest.mark.parametrize("listed_up_to", [scope.GRANT_LIST_MAX, 0])
def test_a_matter_reported_beyond_ones_subtree_is_seen_once(gov, monkeypatch, listed_up_to):
    monkeypatch.setattr(scope, "GRANT_LIST_MAX", listed_up_to)
    outsider = gov.users["fashuihe"]  # another village's secretary
    theirs, other = _report(gov, title="一"), _report(gov, title="二")
    Matter.objects.filter(pk=theirs.pk).update(reporter=outsider)  # reported in a village not theirs
    theirs.invited.add(outsider)  # and invited to it as well
    outsider = type(outsider).objects.get(pk=outsider.pk)
    assert [m.pk for m in selectors.matters(outsider)] == [theirs.pk]
    assert selectors.matter_get(outsider, theirs.pk) == theirs
    condition = str(scope_for(outsider).filter(Matter.objects.all()).query).partition("WHERE")[2]
    assert ("reporter_id" in condition) == (listed_up_to == 0)  # by id while few, as a condition past that
    assert other.pk not in set(scope_for(outsider).filter(Matter.objects.all()).values_list("pk", flat=True))
