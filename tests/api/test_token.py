import datetime as dt

from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from hongniudai.accounts import events as account_events
from hongniudai.accounts.models import ApiToken
from hongniudai.audit import actions as AuditAction
from hongniudai.audit.models import AuditEvent
from tests.conftest import PASSWORD

URL = "/api/v1/auth/token/"


def _issue(username="xuqiao", password=PASSWORD, fmt="json"):
    return APIClient().post(URL, {"username": username, "password": password}, format=fmt)


def _with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_token_is_issued_and_opens_the_api(town):
    r = _issue()
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"token", "expires_at"}
    assert r["Cache-Control"] == "no-store"
    expires = dt.datetime.fromisoformat(body["expires_at"])
    remaining = (expires - timezone.now()).total_seconds()
    assert settings.API_TOKEN_TTL_SECONDS - 60 < remaining <= settings.API_TOKEN_TTL_SECONDS
    # Only a digest is stored, never the key.
    stored = ApiToken.objects.get(user=town.users["xuqiao"])
    assert body["token"] not in (stored.digest, stored.prefix)
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, target_repr="xuqiao").exists()
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN, actor=town.users["xuqiao"]).exists()

    listed = _with(body["token"]).get("/api/v1/residents/")
    assert listed.status_code == 200
    assert [row["name"] for row in listed.json()["results"]] == ["黄文华"]


def test_form_encoded_credentials_work_too(town):
    r = _issue(fmt="multipart")
    assert r.status_code == 200
    assert r.json()["token"]


def test_without_a_token_the_api_answers_401():
    r = APIClient().get("/api/v1/residents/")
    assert r.status_code == 401
    assert r.json()["detail"] == "身份认证信息未提供。"


def test_wrong_password_is_refused_and_audited(town):
    r = _issue(password="not-the-password")
    assert r.status_code == 400
    assert r.json() == {"non_field_errors": ["用户名或密码不正确。"]}
    assert not ApiToken.objects.exists()
    failure = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failure.target_repr == "xuqiao"


def test_missing_fields_answer_400_in_chinese(town):
    r = APIClient().post(URL, {"username": "xuqiao"}, format="json")
    assert r.status_code == 400
    assert r.json() == {"password": ["该字段是必填项。"]}


def test_lock_out_after_repeated_failures(town):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert _issue(password="wrong-password-1").status_code == 400
    # Even the right password is refused while the account is locked.
    r = _issue()
    assert r.status_code == 429
    assert "账号已暂时锁定" in r.json()["detail"]
    assert int(r["Retry-After"]) > 0
    assert not ApiToken.objects.exists()


def test_expired_token_answers_401(town):
    key = _issue().json()["token"]
    ApiToken.objects.filter(user=town.users["xuqiao"]).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    r = _with(key).get("/api/v1/areas/")
    assert r.status_code == 401
    assert r.json()["detail"] == "令牌已过期,请重新获取。"


def test_unknown_token_answers_401(town):
    r = _with("0" * 48).get("/api/v1/areas/")
    assert r.status_code == 401
    assert r.json()["detail"] == "令牌无效。"


def test_delete_revokes_the_presenting_token_only(town):
    first = _issue().json()["token"]
    second = _issue().json()["token"]
    r = _with(first).delete(URL)
    assert r.status_code == 204
    assert _with(first).get("/api/v1/areas/").status_code == 401
    assert _with(second).get("/api/v1/areas/").status_code == 200
    assert AuditEvent.objects.filter(action=account_events.TOKEN_REVOKED, target_type="accounts.apitoken").exists()


def test_delete_without_token_answers_401(town):
    assert APIClient().delete(URL).status_code == 401


def test_inactive_user_cannot_get_a_token(town):
    user = town.users["xuqiao"]
    user.is_active = False
    user.save()
    assert _issue().status_code == 400
