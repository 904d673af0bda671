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


def _refuses_fast(client, url: str, monkeypatch) -> None:
    from hongniudai.common import xlsx as export

    def never(*args, **kwargs):
        raise AssertionError("the rows were written before the export was refused")

    monkeypatch.setattr(export, "EXPORT_MAX_ROWS", 1)
    monkeypatch.setattr(export, "write_xlsx", never)
    response = client.get(url, {"export": "xlsx"}, follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][1] == 302
    assert "要导出的记录超过 1 条" in response.content.decode()


def test_an_export_over_the_limit_is_refused_before_any_row_is_written(town, monkeypatch):
    admin = town.client_for("admin")
    for name in ("places:resident_list", "party:member_list", "party:org_list", "audit:list"):
        _refuses_fast(admin, reverse(name), monkeypatch)


def test_the_export_button_says_when_the_list_is_too_long_to_export(town, monkeypatch):
    admin = town.client_for("admin")
    monkeypatch.setattr(CappedPaginator, "cap", 1)
    for name in ("places:resident_list", "audit:list"):
        html = admin.get(reverse(name)).content.decode()
        assert "export=xlsx" not in html
        assert "超过 1 条" in html and "请先筛选" in html
    monkeypatch.setattr(CappedPaginator, "cap", 10_000)
    assert "export=xlsx" in admin.get(reverse("audit:list")).content.decode()


def test_more_rows_than_the_cap_is_remembered_and_an_exact_count_is_not(town, django_assert_num_queries):
    from hongniudai.common.pagination import count_upto

    rows = AreaNode.objects.order_by("path")
    total = rows.count()
    with django_assert_num_queries(1):
        assert count_upto(rows, 3) == 4
    with django_assert_num_queries(0):  # paging on, or opening the list again, does not count again
        assert count_upto(rows, 3) == 4
    with django_assert_num_queries(1):
        assert count_upto(rows, total) == total
    AreaNode.objects.filter(pk=rows.last().pk).delete()
    assert count_upto(rows, total) == total - 1  # below the cap: exact every time
