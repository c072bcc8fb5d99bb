import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_the_interface_speaks_vietnamese_by_default(client):
    body = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập" in body and 'lang="vi"' in body


def test_english_through_the_language_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    body = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in body
    assert "Sign in" in body and "Đăng nhập" not in body


def test_validation_errors_come_in_english_too(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.post("/accounts/login/", {"username": "x", "password": "y"}).content.decode()
    assert "The username or password is incorrect" in body


def _entries(po: Path):
    text = po.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    for block in blocks[1:]:
        if block.lstrip().startswith("#~"):
            continue
        fuzzy = "#, fuzzy" in block
        ids = re.findall(r'^msgid "(.*)"', block, re.M)
        strs = re.findall(r'^msgstr(?:\[0\])? "(.*)"((?:\n".*")*)', block, re.M)
        if ids and strs:
            yield block, fuzzy, (strs[0][0] + strs[0][1]).strip('"\n ')


def test_every_english_catalogue_is_complete():
    catalogues = sorted(ROOT.glob("treem/**/locale/en/LC_MESSAGES/django.po"))
    assert catalogues, "no English catalogue found"
    missing = []
    for po in catalogues:
        for block, fuzzy, msgstr in _entries(po):
            if fuzzy or not msgstr:
                missing.append(f"{po.relative_to(ROOT)}: {block.splitlines()[-2][:80]}")
    assert missing == []


def test_a_browser_asking_for_english_still_gets_vietnamese_until_the_switch(client):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in body and "Đăng nhập" in body


def test_django_blank_choice_label_is_vietnamese():
    from django.db.models.fields import BLANK_CHOICE_LABEL
    from django.utils import translation

    with translation.override("vi"):
        assert str(BLANK_CHOICE_LABEL) == "- Chọn một mục -"
    with translation.override("en"):
        assert str(BLANK_CHOICE_LABEL) == "- Select an option -"
