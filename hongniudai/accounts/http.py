"""Typed requests: the acting user is `accounts.models.User` wherever a page or an API call acts.

Every page but sign-in requires a signed-in user (`accounts.middleware`), so a view annotates its
request as `AuthedHttpRequest` and passes `request.user` to services and selectors typed `User`.
An API view reads the user with `api_user(request)` (DRF's authentication has run)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from rest_framework.request import Request

from .models import User


class AuthedHttpRequest(HttpRequest):
    user: User


def api_user(request: Request) -> User:
    """The signed-in user of an API request (the API's permission classes refuse anonymous ones)."""
    return cast(User, request.user)
