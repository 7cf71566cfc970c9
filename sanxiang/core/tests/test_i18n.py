"""Chinese is the source language; English comes from locale/en and is chosen by cookie or the switcher."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def _catalog() -> list[Entry]:
    """The entries of the English .po file (header excluded)."""
    entries: list[Entry] = []
    for block in PO_FILE.read_text(encoding="utf-8").split("\n\n"):
        entry = Entry()
        last = ""
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry.flags = [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif line.startswith("msgid_plural "):
                last, entry.msgid_plural = "msgid_plural", ast.literal_eval(line.split(" ", 1)[1])
            elif line.startswith("msgid "):
                last, entry.msgid = "msgid", ast.literal_eval(line.split(" ", 1)[1])
            elif line.startswith("msgstr"):
                last = "msgstr"
                entry.msgstr.append(ast.literal_eval(line.split(" ", 1)[1]))
            elif line.startswith('"') and last == "msgstr":
                entry.msgstr[-1] += ast.literal_eval(line)
            elif line.startswith('"') and last == "msgid":
                entry.msgid += ast.literal_eval(line)
            elif line.startswith('"') and last == "msgid_plural" and entry.msgid_plural is not None:
                entry.msgid_plural += ast.literal_eval(line)
        if entry.msgid:
            entries.append(entry)
    return entries


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    """LocaleMiddleware leaves a request's language active on the thread: put back the one before the test."""
    before = translation.get_language()
    yield
    if before:
        translation.activate(before)
    else:
        translation.deactivate()


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_login_page_is_in_chinese_by_default(client: Client) -> None:
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "工作人员登录" in page
    assert "用户名" in page
    assert "Staff sign-in" not in page


def test_the_login_page_is_in_english_with_the_language_cookie(client: Client) -> None:
    page = _english(client).get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page
    assert "Staff sign-in" in page
    assert "Username" in page
    assert "工作人员登录" not in page


@pytest.mark.django_db
def test_the_portal_home_is_in_chinese_by_default(client: Client) -> None:
    page = client.get(reverse("disclosure:home")).content.decode()
    assert "行政执法公示平台" in page
    assert "救济渠道" in page
    assert "Remedies" not in page


@pytest.mark.django_db
def test_the_portal_home_is_in_english_with_the_language_cookie(client: Client) -> None:
    page = _english(client).get(reverse("disclosure:home")).content.decode()
    assert "Administrative Enforcement Publication Portal" in page
    assert "Remedies" in page
    assert "救济渠道" not in page


@pytest.mark.django_db
def test_the_switcher_posts_to_set_language_and_the_choice_sticks(client: Client) -> None:
    home = reverse("disclosure:home")
    page = client.get(home).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language" value="en"' in page
    response = client.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.status_code == 302
    assert response["Location"] == home
    assert "Remedies" in client.get(home).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": home})
    assert "救济渠道" in client.get(home).content.decode()


def test_every_catalog_entry_is_translated_and_none_is_fuzzy() -> None:
    entries = _catalog()
    assert len(entries) > 100
    untranslated = [e.msgid for e in entries if not e.msgstr or not all(e.msgstr)]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalog_matches_the_po_file() -> None:
    """Every msgstr of the .po is what gettext returns in English, so the .mo was compiled from it."""
    stale = []
    with translation.override("en"):
        for entry in _catalog():
            msgid, plural = entry.msgid, entry.msgid_plural
            if plural is None:
                got = [translation.gettext(msgid)]
            else:
                got = [translation.ngettext(msgid, plural, 1), translation.ngettext(msgid, plural, 2)]
            if got != entry.msgstr:
                stale.append((msgid, got, entry.msgstr))
    assert stale == []


def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client, db):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "工作人员登录" in body
