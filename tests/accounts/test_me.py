"""The user's own account: /accounts/me/, the password, other sessions and API tokens (issue 21)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hongniudai.accounts import events
from hongniudai.accounts.models import ApiToken, PasswordHistory
from hongniudai.audit.models import AuditEvent
from tests.conftest import PASSWORD

NEW = "Neu-Passwort-2027"
TOKEN_URL = "/api/v1/auth/token/"


def _signed_in(username: str, password: str = PASSWORD) -> Client:
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": username, "password": password}).status_code == 302
    return client


def _token(username="xuqiao", password=PASSWORD, device="") -> str:
    r = APIClient().post(TOKEN_URL, {"username": username, "password": password, "device": device}, format="json")
    assert r.status_code == 200, r.content
    return r.json()["token"]


def _api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _change(client: Client, old=PASSWORD, new=NEW, confirm=None):
    return client.post(
        reverse("accounts:password_change"), {"old_password": old, "new_password": new, "confirm": confirm or new}
    )


def test_the_page_shows_who_i_am_my_roles_and_my_tokens(town):
    user = town.users["xuqiao"]
    user.phone = "13912345678"
    user.save()
    _token(device="张三的手机")
    body = town.client_for("xuqiao").get(reverse("accounts:me")).content.decode()
    assert "139****5678" in body and "13912345678" not in body
    assert "村党支部书记" in body and "徐桥村" in body
    assert "张三的手机" in body and "未使用" in body


def test_signed_out_the_page_asks_to_sign_in():
    r = Client().get(reverse("accounts:me"))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(town):
    here, elsewhere = _signed_in("xuqiao"), _signed_in("xuqiao")
    r = _change(here)
    assert r.status_code == 302 and r["Location"] == reverse("accounts:me")
    assert here.get(reverse("accounts:me")).status_code == 200
    assert elsewhere.get(reverse("accounts:me")).status_code == 302  # back to the sign-in page
    user = town.users["xuqiao"]
    user.refresh_from_db()
    assert user.check_password(NEW) and user.password_changed_at is not None
    assert PasswordHistory.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(action=events.PASSWORD_CHANGED, actor=user).exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("wrong-password", NEW, "原密码不正确"),
        (PASSWORD, "alllowercase-only", "至少 3 类"),
        (PASSWORD, "Short-1", "至少需要 10 个字符"),
        (PASSWORD, "Xuqiao-2027", "太相似"),
    ],
)
def test_a_refused_password_says_why_in_chinese_and_changes_nothing(town, old, new, message):
    client = town.client_for("xuqiao")
    r = _change(client, old=old, new=new)
    assert r.status_code == 200
    assert message in r.content.decode()
    user = town.users["xuqiao"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_last_few_passwords_may_not_come_back(town):
    client = _signed_in("xuqiao")
    assert _change(client).status_code == 302
    assert _change(client, old=NEW, new="Third-password-2027").status_code == 302
    r = _change(client, old="Third-password-2027", new=NEW)
    assert "最近 5 次" in r.content.decode()


def test_two_different_new_passwords_are_refused(town):
    r = _change(town.client_for("xuqiao"), confirm="Something-else-2027")
    assert "两次输入的新密码不一致" in r.content.decode()


def test_a_first_password_must_be_changed_before_anything_else(town):
    user = town.users["xuqiao"]
    user.must_change_password = True
    user.save()
    client = town.client_for("xuqiao")
    for url in ("/", reverse("places:resident_list"), reverse("accounts:me")):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"] == reverse("accounts:password_change")
    assert "初始密码" in client.get(reverse("accounts:password_change")).content.decode()
    # No API token either, until the password is the user's own.
    r = APIClient().post(TOKEN_URL, {"username": "xuqiao", "password": PASSWORD}, format="json")
    assert r.status_code == 403 and "初始密码" in r.json()["detail"]
    assert _change(client).status_code == 302
    assert client.get(reverse("places:resident_list")).status_code == 200


def test_an_expired_password_must_be_changed(town, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = town.users["xuqiao"]
    user.password_changed_at = timezone.now() - dt.timedelta(days=91)
    user.save()
    r = town.client_for("xuqiao").get("/")
    assert r.status_code == 302 and r["Location"] == reverse("accounts:password_change")
    user.password_changed_at = timezone.now() - dt.timedelta(days=89)
    user.save()
    assert town.client_for("xuqiao").get(reverse("accounts:me")).status_code == 200


def test_signing_out_elsewhere_ends_every_other_session(town):
    here, elsewhere = _signed_in("xuqiao"), _signed_in("xuqiao")
    r = here.post(reverse("accounts:sign_out_elsewhere"))
    assert r.status_code == 302
    assert here.get(reverse("accounts:me")).status_code == 200
    assert elsewhere.get(reverse("accounts:me")).status_code == 302
    assert AuditEvent.objects.filter(action=events.SESSIONS_ENDED).exists()


def test_revoking_a_token_from_the_page_makes_it_answer_401(town):
    lost, kept = _token(device="丢失的手机"), _token(device="办公电脑")
    lost_row = ApiToken.objects.get(device="丢失的手机")
    client = town.client_for("xuqiao")
    assert client.post(reverse("accounts:token_revoke", args=[lost_row.pk])).status_code == 302
    assert _api(lost).get("/api/v1/areas/").status_code == 401
    assert _api(kept).get("/api/v1/areas/").status_code == 200
    assert client.post(reverse("accounts:tokens_revoke_all")).status_code == 302
    assert _api(kept).get("/api/v1/areas/").status_code == 401


def test_someone_elses_token_is_not_found(town):
    _token(username="fashuihe")
    theirs = ApiToken.objects.get(user=town.users["fashuihe"])
    r = town.client_for("xuqiao").post(reverse("accounts:token_revoke", args=[theirs.pk]))
    assert r.status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    assert town.client_for("xuqiao").post(reverse("accounts:token_revoke", args=[2**70])).status_code == 404


def test_a_token_records_its_last_use_to_the_minute(town):
    key = _token()
    row = ApiToken.objects.get(user=town.users["xuqiao"])
    assert row.last_used_at is None
    _api(key).get("/api/v1/areas/")
    row.refresh_from_db()
    first = row.last_used_at
    assert first is not None
    _api(key).get("/api/v1/areas/")
    row.refresh_from_db()
    assert row.last_used_at == first  # not rewritten within the minute


def test_the_api_tells_me_who_i_am_and_lists_my_tokens(town):
    key = _token(device="平板")
    me = _api(key).get("/api/v1/me/").json()
    assert me["username"] == "xuqiao"
    assert [r["role"] for r in me["roles"]] == ["village_secretary"]
    tokens = _api(key).get("/api/v1/me/tokens/").json()
    assert [(t["device"], t["current"]) for t in tokens] == [("平板", True)]


def test_the_api_revokes_only_my_own_tokens(town):
    mine = _token()
    _token(username="fashuihe")
    theirs = ApiToken.objects.get(user=town.users["fashuihe"])
    assert _api(mine).delete(f"/api/v1/me/tokens/{theirs.pk}/").status_code == 404
    row = ApiToken.objects.get(user=town.users["xuqiao"])
    assert _api(mine).delete(f"/api/v1/me/tokens/{row.pk}/").status_code == 204
    assert _api(mine).get("/api/v1/me/").status_code == 401


def test_the_api_changes_my_password_by_the_same_rules(town):
    key = _token()
    r = _api(key).post("/api/v1/me/password/", {"old_password": PASSWORD, "new_password": "weak"}, format="json")
    assert r.status_code == 400 and "new_password" in r.json()
    r = _api(key).post("/api/v1/me/password/", {"old_password": PASSWORD, "new_password": NEW}, format="json")
    assert r.status_code == 204
    assert APIClient().post(TOKEN_URL, {"username": "xuqiao", "password": NEW}, format="json").status_code == 200


def test_the_api_signs_me_out_of_the_web_elsewhere(town):
    web = _signed_in("xuqiao")
    assert _api(_token()).post("/api/v1/me/sign-out-elsewhere/").status_code == 204
    assert web.get(reverse("accounts:me")).status_code == 302
