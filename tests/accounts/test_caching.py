"""Each request's user and their scope come from the shared cache (`accounts.caching`), and every
change to them is seen at the very next request."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.contrib.auth import BACKEND_SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from hongniudai.accounts import caching
from hongniudai.accounts import services_users as users
from hongniudai.accounts.models import Role, RoleAssignment, User

FLOOR = "/bench/floor/"


def household_page(village) -> str:
    return reverse("places:household_detail", args=[village.household.pk])


def test_a_signed_in_request_reads_neither_session_nor_user_from_the_database(town, django_assert_num_queries):
    client = town.client_for("gridworker")
    assert client.get(FLOOR).status_code == 200  # marks the session as seen (saved at most once a minute)
    with django_assert_num_queries(0):
        assert client.get(FLOOR).status_code == 200
    assert client.session[BACKEND_SESSION_KEY] == "hongniudai.accounts.backends.CachedModelBackend"


def test_the_scope_is_read_once_across_requests(town, django_assert_max_num_queries):
    client = town.client_for("xuqiao")
    page = household_page(town.xuqiao)
    assert client.get(page).status_code == 200
    with django_assert_max_num_queries(50) as first:
        client.get(page)
    caching.forget_account(town.users["xuqiao"].pk)
    with django_assert_max_num_queries(50) as uncached:
        client.get(page)
    # Without the cache the page reads the user and their assignments again.
    assert len(uncached.captured_queries) == len(first.captured_queries) + 2


def test_a_new_role_and_an_ended_one_are_seen_at_the_next_request(town):
    client = town.client_for("xuqiao")
    page = household_page(town.fashuihe)
    assert client.get(page).status_code == 404
    assignment = users.grant_role(
        actor=town.users["admin"],
        user=User.objects.get(username="xuqiao"),
        role=Role.GRID_WORKER,
        node=town.fashuihe.grid,
    )
    assert client.get(page).status_code == 200
    users.end_role(actor=town.users["admin"], assignment=assignment)
    assert client.get(page).status_code == 404


def test_a_role_ending_at_midnight_holds_until_then(town):
    evening = timezone.localtime().replace(hour=23, minute=50, second=0, microsecond=0)
    with time_machine.travel(evening, tick=False) as traveller:
        client = town.client_for("xuqiao")
        page = household_page(town.fashuihe)
        assignment = users.grant_role(
            actor=town.users["admin"],
            user=User.objects.get(username="xuqiao"),
            role=Role.GRID_WORKER,
            node=town.fashuihe.grid,
        )
        users.end_role(actor=town.users["admin"], assignment=assignment, on=evening.date() + dt.timedelta(days=1))
        assert client.get(page).status_code == 200
        traveller.shift(dt.timedelta(minutes=15))  # past midnight, the session still alive
        assert client.get(page).status_code == 404


def test_the_menu_follows_a_new_role(town):
    client = town.client_for("gridworker")
    assert reverse("audit:list") not in client.get(reverse("accounts:me")).content.decode()
    RoleAssignment.objects.create(user=town.users["gridworker"], role=Role.TOWN_ADMIN, area=town.town)
    assert reverse("audit:list") in client.get(reverse("accounts:me")).content.decode()


def test_a_reset_password_and_a_deactivation_end_a_cached_session_at_the_next_request(town):
    admin = town.users["admin"]
    client = town.client_for("gridworker")
    assert client.get(FLOOR).status_code == 200
    users.reset_credentials(actor=admin, user=User.objects.get(username="gridworker"))
    assert client.get(FLOOR).status_code == 302

    client = town.client_for("fashuihe")
    assert client.get(FLOOR).status_code == 200
    users.deactivate_user(actor=admin, user=User.objects.get(username="fashuihe"))
    assert client.get(FLOOR).status_code == 302


def test_a_write_that_bypasses_the_models_is_seen_after_a_new_generation(town):
    """A bulk `update()` sends no signal: `migrate` and `flush` start a new generation, which
    drops everything cached (a database replaced under the cache)."""
    client = town.client_for("gridworker")
    assert client.get(FLOOR).status_code == 200
    User.objects.filter(username="gridworker").update(is_active=False)
    caching.forget_everything()
    assert client.get(FLOOR).status_code == 302


def test_a_town_letting_its_village_secretaries_manage_accounts_is_seen_at_the_next_request(town):
    client = town.client_for("xuqiao")
    assert client.get(reverse("users:user_list")).status_code == 403
    users.set_town_rules(actor=town.users["admin"], town=town.town, village_secretaries_manage=True)
    assert client.get(reverse("users:user_list")).status_code == 200
    users.set_town_rules(actor=town.users["admin"], town=town.town, village_secretaries_manage=False)
    assert client.get(reverse("users:user_list")).status_code == 403
