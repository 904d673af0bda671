"""An account linked to the resident it is, by ID number in the administrator's scope: the page
shows the ID number masked only, and the party member record comes with the resident."""

from __future__ import annotations

from django.urls import reverse

from hongniudai.accounts.services_users import set_town_rules
from hongniudai.audit.models import AuditEvent
from hongniudai.common.identity import decrypt_id_number
from hongniudai.places import events
from hongniudai.places import services as place_services
from hongniudai.users.selectors import person_of


def _number(resident) -> str:
    return decrypt_id_number(resident.id_cipher)


def test_admin_links_a_grid_worker_to_their_resident_by_id_number_then_unlinks(town):
    client = town.client_for("admin")
    worker = town.users["gridworker"]
    url = reverse("users:user_resident", args=[worker.pk])
    number = _number(town.xuqiao.head)
    response = client.post(url, {"action": "link", "id_number": number.lower()}, follow=True)
    body = response.content.decode()
    assert "已关联居民:黄文华" in body and town.xuqiao.head.id_masked in body
    assert number not in body and "13912345678" not in body
    town.xuqiao.head.refresh_from_db()
    assert town.xuqiao.head.account == worker
    person = person_of(worker)
    assert person is not None and person.member == town.xuqiao.member and person.phone_masked != "13912345678"
    linked = AuditEvent.objects.get(action=events.ACCOUNT_LINKED)
    assert linked.actor_name == "admin" and number not in str(linked.changes)

    body = client.post(url, {"action": "unlink"}, follow=True).content.decode()
    assert "已解除" in body
    town.xuqiao.head.refresh_from_db()
    assert town.xuqiao.head.account is None
    assert AuditEvent.objects.filter(action=events.ACCOUNT_UNLINKED).count() == 1


def test_an_id_number_outside_the_administrator_s_scope_is_not_found(town):
    set_town_rules(actor=town.users["admin"], town=town.town, village_secretaries_manage=True)
    client = town.client_for("xuqiao")
    worker = town.users["gridworker"]
    url = reverse("users:user_resident", args=[worker.pk])
    other = _number(town.hemeifan.head)
    body = client.post(url, {"action": "link", "id_number": other}).content.decode()
    assert "未找到该身份证号对应的居民" in body and town.hemeifan.head.id_masked not in body
    town.hemeifan.head.refresh_from_db()
    assert town.hemeifan.head.account is None
    # Inside the village it works: the town lets its secretaries manage their grid workers.
    client.post(url, {"action": "link", "id_number": _number(town.xuqiao.head)})
    town.xuqiao.head.refresh_from_db()
    assert town.xuqiao.head.account == worker


def test_one_account_one_resident(town):
    admin, worker = town.users["admin"], town.users["gridworker"]
    place_services.link_account(actor=admin, resident=town.xuqiao.head, user=worker)
    url = reverse("users:user_resident", args=[town.users["zhangshengfu"].pk])
    body = (
        town.client_for("admin").post(url, {"action": "link", "id_number": _number(town.xuqiao.head)}).content.decode()
    )
    assert "该居民已关联了另一个账号" in body


def test_an_account_the_secretary_does_not_manage_is_404(town):
    # Town rules off: xuqiao manages nobody, and sees no account's page.
    url = reverse("users:user_resident", args=[town.users["gridworker"].pk])
    assert town.client_for("xuqiao").get(url).status_code == 404
    assert town.client_for("admin").get(url).status_code == 200
