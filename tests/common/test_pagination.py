"""Lists count at most COUNT_CAP rows: exact below it, "N+" above it (pages and the API)."""

from django.urls import reverse
from rest_framework.test import APIClient

from hongniudai.common.pagination import CappedPaginator
from hongniudai.places.models import AreaNode


def test_counts_are_exact_below_the_cap_and_capped_above(town, monkeypatch):
    total = AreaNode.objects.count()
    exact = CappedPaginator(AreaNode.objects.order_by("path"), 2)
    assert (exact.count, exact.count_label, exact.capped) == (total, str(total), False)
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    capped = CappedPaginator(AreaNode.objects.order_by("path"), 2)
    assert (capped.count, capped.count_label, capped.capped) == (3, "3+", True)
    assert capped.num_pages == 2 and len(capped.page(2).object_list) == 1


def test_list_pages_and_the_api_say_when_the_count_is_capped(town, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 1)
    page = town.client_for("admin").get(reverse("places:area_list")).content.decode()
    assert "共 1+ 条" in page
    api = APIClient()
    api.force_authenticate(town.users["admin"])
    body = api.get("/api/v1/areas/").json()
    assert (body["count"], body["count_capped"]) == (1, True)
