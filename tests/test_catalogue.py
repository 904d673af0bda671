"""The English interface is complete for the packages below: every string that the collective economy
(collective, land, production, distribution, returnees, benefits), resident services (care: service
stations and soup rounds), volunteers, the watch (cameras, night patrols, campaigns) and projects mark
for translation (in their Python code and their templates) has an English translation in
locale/en/LC_MESSAGES/django.po, not fuzzy, with the same placeholders."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation.template import templatize

ECONOMY = ("collective", "land", "production", "distribution", "returnees", "benefits")
PACKAGES = (*ECONOMY, "care", "volunteers", "watch", "projects")
# At least this many marked strings per package (the reader finds them: not an empty pass).
AT_LEAST = {"care": 450, "volunteers": 200, "watch": 450, "projects": 300}
ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop"}
PGETTEXT = {"pgettext", "pgettext_lazy"}
TEMPLATE_CALL = re.compile(r"\b(p?gettext)\(((?:u?'(?:[^'\\]|\\.)*'(?:, )?)+)\)")
LITERAL = re.compile(r"u?'(?:[^'\\]|\\.)*'")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


def _python_strings(path: Path) -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if name in GETTEXT and len(texts) >= 1 and isinstance(node.args[0], ast.Constant):
            found.add((None, texts[0]))
        elif name in PGETTEXT and len(texts) >= 2:
            found.add((texts[0], texts[1]))
    return found


def _template_strings(path: Path) -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for kind, args in TEMPLATE_CALL.findall(templatize(path.read_text(encoding="utf-8"), origin=str(path))):
        texts = [ast.literal_eval(literal.removeprefix("u")) for literal in LITERAL.findall(args)]
        found.add((texts[0], texts[1]) if kind == "pgettext" else (None, texts[0]))
    return found


def _marked() -> dict[tuple[str | None, str], str]:
    """Every string marked for translation in the packages, with where it is."""
    marked: dict[tuple[str | None, str], str] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / "hongniudai" / package).rglob("*.py")):
            if "migrations" not in path.parts:
                marked |= dict.fromkeys(_python_strings(path), str(path.relative_to(ROOT)))
        for path in sorted((ROOT / "templates" / package).rglob("*.html")):
            marked |= dict.fromkeys(_template_strings(path), str(path.relative_to(ROOT)))
    return marked


def _of(package: str, marked: dict[tuple[str | None, str], str]) -> set[tuple[str | None, str]]:
    return {key for key, where in marked.items() if f"/{package}/" in f"/{where}"}


def test_the_economy_packages_mark_their_strings() -> None:
    marked = _marked()
    assert sum(len(_of(package, marked)) for package in ECONOMY) > 800  # not an empty pass
    assert (None, "集体土地租金") in marked and ("record", "土地流转合同") in marked


@pytest.mark.parametrize("package", sorted(AT_LEAST))
def test_the_later_packages_mark_their_strings(package: str) -> None:
    """Python code and templates (templates/care/stations, templates/care/soup, templates/watch/…) are read."""
    marked = _marked()
    found = _of(package, marked)
    assert len(found) >= AT_LEAST[package]
    assert any(marked[key].startswith("templates/") for key in found)
    assert any(marked[key].startswith("hongniudai/") for key in found)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_string_of_the_package_has_its_english(package: str) -> None:
    entries = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    missing, wrong = [], []
    for key, where in _marked().items():
        if f"/{package}/" not in f"/{where}":
            continue
        entry = entries.get(key)
        if entry is None or not entry.translated():
            missing.append(f"{where}: {key[1]}")
        elif sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr)):
            wrong.append(f"{where}: {key[1]} → {entry.msgstr}")
    assert not missing, "untranslated:\n" + "\n".join(missing[:40])
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong[:40])


ENGLISH_PAGES = (
    ("stations:station_list", "便民服务 · 服务站", "Resident services · Service stations"),
    ("soup:round_list", "爱心汤 · 送汤批次", "Soup rounds · Rounds"),
    ("volunteers:task_list", "便民服务 · 志愿任务", "Resident services · Volunteer tasks"),
    ("cameras:camera_list", "视频监控 · 摄像机", "Cameras · Cameras"),
    ("patrols:team_list", "夜间巡逻 · 巡逻队", "Night patrol · Patrol teams"),
    ("projects:project_list", "项目服务 · 项目", "Project services · Projects"),
)


@pytest.mark.django_db
def test_the_later_packages_pages_read_in_english(town: Any) -> None:
    client = town.client_for("admin")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for name, chinese, english in ENGLISH_PAGES:
        page = client.get(reverse(name))
        body = page.content.decode()
        assert page.status_code == 200 and '<html lang="en">' in body, name
        assert english in body and chinese not in body, name
