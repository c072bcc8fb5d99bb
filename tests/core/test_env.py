import pytest
from django.core.exceptions import ImproperlyConfigured

from treem.env import env_bool, env_choice, env_int, env_list


def test_env_bool_parses_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("X", "Yes")
    assert env_bool("X") is True
    monkeypatch.setenv("X", "off")
    assert env_bool("X", default=True) is False


def test_env_bool_fails_loudly_on_a_typo(monkeypatch):
    monkeypatch.setenv("X", "ture")
    with pytest.raises(ImproperlyConfigured, match="X must be one of"):
        env_bool("X")


def test_env_int_fails_loudly_and_enforces_a_minimum(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured, match="integer"):
        env_int("N", 1)
    monkeypatch.setenv("N", "3")
    with pytest.raises(ImproperlyConfigured, match="at least 8"):
        env_int("N", 10, minimum=8)


def test_env_list_and_choice(monkeypatch):
    monkeypatch.setenv("L", " a, b ,,c ")
    assert env_list("L") == ["a", "b", "c"]
    monkeypatch.setenv("C", "Production")
    assert env_choice("C", "development", ("development", "production")) == "production"
    monkeypatch.setenv("C", "prod")
    with pytest.raises(ImproperlyConfigured):
        env_choice("C", "development", ("development", "production"))


def test_env_example_lists_every_variable_the_settings_read():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    settings_text = (root / "treem" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z_]+)"', settings_text))
    listed = set(re.findall(r"^([A-Z_]+)=", (root / ".env.example").read_text(), re.M))
    assert read - listed == set()
