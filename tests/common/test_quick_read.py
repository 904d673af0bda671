"""`QuickRead` writes a row exactly as DRF's `Serializer.to_representation` does: the lists' own
serializers over the town (a household with and without a head, a member with and without a party
group), and the cases where DRF's steps decide (a link that is empty on the way, a callable
source, a dict, a field reading the whole object)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from hongniudai.common.api import QuickRead, TextField
from hongniudai.party import selectors as party_selectors
from hongniudai.party.api import MemberSerializer
from hongniudai.places import selectors as place_selectors
from hongniudai.places.api import HouseholdSerializer, ResidentSerializer
from hongniudai.places.models import Household
from tests import factories as f


def _context(user: Any) -> dict[str, Any]:
    request = Request(APIRequestFactory().get("/"))
    request.user = user
    return {"request": request}


def _drf(serializer: Any, instance: Any) -> Any:
    """The row as DRF writes it (nested serializers too)."""
    row = serializers.Serializer.to_representation(serializer, instance)
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer) and row.get(name) is not None:
            row[name] = serializers.Serializer.to_representation(field, field.get_attribute(instance))
    return row


@pytest.mark.parametrize(
    ("serializer_class", "listed"),
    [
        (HouseholdSerializer, place_selectors.households),
        (ResidentSerializer, place_selectors.residents),
        (MemberSerializer, party_selectors.members),
    ],
)
def test_the_lists_rows_are_drfs(town, serializer_class, listed):
    admin = town.users["admin"]
    f.household(town.xuqiao.hamlet, "徐桥村无户主户")  # no head
    f.member(f.resident(town.xuqiao.household, "徐某", birth=dt.date(1970, 1, 1)), town.xuqiao.branch)  # no group
    assert issubclass(serializer_class, QuickRead)
    rows = list(listed(admin))
    serializer = serializer_class(rows, many=True, context=_context(admin))
    quick = serializer.data
    child = serializer_class(context=_context(admin))
    assert len(quick) == len(rows) >= 4
    assert [dict(r) for r in quick] == [_drf(child, row) for row in rows]


class Bare:
    def __init__(self, **kwargs: Any) -> None:
        self.__dict__.update(kwargs)


class Sample(QuickRead, serializers.Serializer):
    name = serializers.CharField()
    hamlet_name = serializers.CharField(source="hamlet.name", read_only=True)  # optional: left out
    grid_name = serializers.CharField(source="hamlet.parent.name", read_only=True, allow_null=True)
    shout = serializers.CharField(source="loud", read_only=True)  # a method: called
    count = serializers.IntegerField(read_only=True, default=7)
    text = TextField()
    whole = serializers.SerializerMethodField()
    secret = serializers.CharField(write_only=True)

    def get_whole(self, obj: Any) -> str:
        return type(obj).__name__


class Loud(Bare):
    def loud(self) -> str:
        return self.name.upper()

    def __str__(self) -> str:
        return f"<{self.name}>"


@pytest.mark.parametrize(
    "instance",
    [
        Loud(name="a", hamlet=Bare(name="h", parent=Bare(name="g")), count=3, secret="s"),
        Loud(name="b", hamlet=Bare(name="h", parent=None), count=None),
        Loud(name="c", hamlet=None),
    ],
)
def test_drfs_steps_decide_the_unusual(instance):
    serializer = Sample()
    assert serializer.to_representation(instance) == serializers.Serializer.to_representation(serializer, instance)


def test_a_dict_is_read_as_drf_reads_it():
    serializer = Sample()
    row = {"name": "d", "hamlet": {"name": "h", "parent": None}, "loud": "L", "count": 1}
    assert serializer.to_representation(row) == serializers.Serializer.to_representation(serializer, row)


@pytest.mark.django_db
def test_a_reference_is_its_id(town):
    household = Household.objects.get(pk=town.xuqiao.household.pk)
    row = HouseholdSerializer(context=_context(town.users["admin"])).to_representation(household)
    assert (row["hamlet"], row["head"]) == (household.hamlet_id, household.head_id)
