from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from maillage.core.env import (
    embedded_secret_key,
    env_bool,
    env_int,
    env_json,
    env_list,
    env_secret,
    env_str,
)

VARIABLE = "MAILLAGE_TEST_VARIABLE"


@pytest.fixture(autouse=True)
def _unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VARIABLE, raising=False)
    monkeypatch.delenv(f"{VARIABLE}_FILE", raising=False)


def test_env_str_returns_the_stripped_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VARIABLE, "  maillage.example.fr \n")
    assert env_str(VARIABLE, "default") == "maillage.example.fr"


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_env_str_falls_back_to_the_default_when_unset_or_blank(
    monkeypatch: pytest.MonkeyPatch, raw: str | None
) -> None:
    if raw is not None:
        monkeypatch.setenv(VARIABLE, raw)
    assert env_str(VARIABLE, "default") == "default"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("TRUE", True),
        (" yes ", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("off", False),
        ("", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv(VARIABLE, raw)
    assert env_bool(VARIABLE, not expected) is expected


def test_env_bool_uses_the_default_when_unset() -> None:
    assert env_bool(VARIABLE, True) is True
    assert env_bool(VARIABLE, False) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "oui", "y e s"])
def test_env_bool_refuses_anything_else_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv(VARIABLE, raw)
    with pytest.raises(ImproperlyConfigured, match=f"^{VARIABLE} must be a boolean"):
        env_bool(VARIABLE)


def test_env_int_reads_an_integer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VARIABLE, " 42 ")
    assert env_int(VARIABLE, 7) == 42


@pytest.mark.parametrize("raw", [None, ""])
def test_env_int_uses_the_default_when_unset_or_empty(
    monkeypatch: pytest.MonkeyPatch, raw: str | None
) -> None:
    if raw is not None:
        monkeypatch.setenv(VARIABLE, raw)
    assert env_int(VARIABLE, 7) == 7


@pytest.mark.parametrize("raw", ["forty", "4.2", "0x10", "12s"])
def test_env_int_refuses_a_non_integer_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv(VARIABLE, raw)
    with pytest.raises(ImproperlyConfigured, match=f"^{VARIABLE} must be an integer"):
        env_int(VARIABLE, 1)


def test_env_int_refuses_a_value_below_the_minimum_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(VARIABLE, "-1")
    with pytest.raises(ImproperlyConfigured, match=f"^{VARIABLE} must be at least 0, got -1"):
        env_int(VARIABLE, 60, minimum=0)


def test_env_int_accepts_the_minimum_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VARIABLE, "0")
    assert env_int(VARIABLE, 60, minimum=0) == 0


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VARIABLE, " a.example.fr, ,b.example.fr ,")
    assert env_list(VARIABLE) == ["a.example.fr", "b.example.fr"]


def test_env_list_returns_a_copy_of_the_default_when_unset() -> None:
    default = ["127.0.0.1"]
    value = env_list(VARIABLE, default)
    value.append("changed")
    assert default == ["127.0.0.1"]
    assert env_list(VARIABLE) == []


def test_env_json_parses_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VARIABLE, '[{"urls": "stun:turn.example.fr:3478"}]')
    assert env_json(VARIABLE, []) == [{"urls": "stun:turn.example.fr:3478"}]


def test_env_json_uses_the_default_when_unset() -> None:
    assert env_json(VARIABLE, {"default": True}) == {"default": True}


def test_env_json_refuses_malformed_json_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(VARIABLE, "[{urls: stun}]")
    with pytest.raises(ImproperlyConfigured, match=f"^{VARIABLE} must be valid JSON"):
        env_json(VARIABLE, [])


def test_env_secret_reads_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VARIABLE, "from-the-environment")
    assert env_secret(VARIABLE) == "from-the-environment"


def test_env_secret_prefers_the_file_named_by_the_file_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-the-file\n", encoding="utf-8")
    monkeypatch.setenv(VARIABLE, "from-the-environment")
    monkeypatch.setenv(f"{VARIABLE}_FILE", str(secret_file))
    assert env_secret(VARIABLE) == "from-the-file"


def test_env_secret_ignores_an_empty_file_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(f"{VARIABLE}_FILE", "")
    assert env_secret(VARIABLE, "default") == "default"


def test_env_secret_with_an_unreadable_file_names_the_file_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere"
    monkeypatch.setenv(f"{VARIABLE}_FILE", str(missing))
    with pytest.raises(ImproperlyConfigured, match=f"^{VARIABLE}_FILE points to") as excinfo:
        env_secret(VARIABLE)
    assert str(missing) in str(excinfo.value)


def test_env_secret_with_a_binary_file_names_the_file_variable_without_its_content(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret_file = tmp_path / "random"
    secret_file.write_bytes(b"\xff\xfe\x80secret-bytes")
    monkeypatch.setenv(f"{VARIABLE}_FILE", str(secret_file))
    with pytest.raises(ImproperlyConfigured, match=f"^{VARIABLE}_FILE points to") as excinfo:
        env_secret(VARIABLE)
    assert "secret-bytes" not in str(excinfo.value)


def test_embedded_secret_key_is_created_once_and_then_reused(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secret_key"
    first = embedded_secret_key(path)
    second = embedded_secret_key(path)
    assert len(first) >= 50
    assert first == second
    assert path.stat().st_mode & 0o777 == 0o600
