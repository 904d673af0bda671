"""Typed requests: the acting user is `accounts.models.User` wherever a page or an API call acts.

Every page but sign-in requires a signed-in user (`accounts.middleware`), so a view annotates its
request as `AuthedHttpRequest` and passes `request.user` to services and selectors typed `User`.
An API view reads the user with `api_user(request)` (DRF's authentication has run)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django.urls import reverse
from rest_framework.request import Request

from .models import User


class AuthedHttpRequest(HttpRequest):
    user: User


def api_user(request: Request) -> User:
    """The signed-in user of an API request (the API's permission classes refuse anonymous ones)."""
    return cast(User, request.user)


def invitation_url(request: HttpRequest | Request, key: str) -> str:
    """The absolute link of the invitation page for `key` (`accounts:invitation`), as handed over."""
    return request.build_absolute_uri(reverse("accounts:invitation", args=[key]))
