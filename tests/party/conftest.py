"""Party-page fixtures on top of the shared `town`: a centre household in every village, and
known ID numbers so tests can look for them in pages and exports."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from openpyxl import load_workbook

from hongniudai.party import services as party_services
from hongniudai.party.models import CentreHousehold
from hongniudai.places import services as place_services
from tests import factories as f
from tests.conftest import Town


@dataclass
class PartyTown:
    town: Town
    centres: dict[str, CentreHousehold]
    id_numbers: list[str]


@pytest.fixture
def party_town(town: Town) -> PartyTown:
    admin = town.users["admin"]
    centres: dict[str, CentreHousehold] = {}
    numbers: list[str] = []
    for key in ("xuqiao", "fashuihe", "hemeifan"):
        v = getattr(town, key)
        centres[key] = party_services.set_centre_household(
            actor=admin, hamlet=v.hamlet, member=v.member, linked_households=[v.household]
        )
    # A resident per village whose ID number the test knows (the fixture's heads' are unknown).
    for key, name, birth in (("xuqiao", "徐明", dt.date(1980, 5, 6)), ("fashuihe", "施秀英", dt.date(1985, 10, 2))):
        v = getattr(town, key)
        number = f.make_id_number(sex="M", birth=birth)
        place_services.create_resident(actor=admin, household=v.household, name=name, id_number=number, sex="M")
        numbers.append(number)
    return PartyTown(town, centres, numbers)


def xlsx_text(response: Any) -> str:
    """All cell values of an .xlsx response, as one string."""
    content = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(content), read_only=True)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            out.extend("" if v is None else str(v) for v in row)
    return "\n".join(out)


def xlsx_rows(response: Any) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(content), read_only=True)
    ws = wb.worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def linked_names(response: Any, prefix: str) -> set[str]:
    """The texts of the links to detail pages under `prefix` (e.g. "/party/orgs/") in the results."""
    import re

    html = response.content.decode()
    if 'id="results"' in html:
        html = html.split('id="results"', 1)[1]
    return set(re.findall(rf'href="{re.escape(prefix)}\d+/">([^<]+)</a>', html))
