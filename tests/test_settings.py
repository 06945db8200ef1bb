"""Settings: declared once, documented, and refused in one sentence when malformed."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT

from webapp import create_app
from webapp.settings import SETTINGS, SettingError, read_settings


def test_every_setting_is_documented_with_its_default():
    """docs/deployment.md's table lists exactly the declared settings, defaults included."""
    text = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| `([A-Z_]+)` \| `([^`]*)` \|", text, re.MULTILINE))
    assert documented == {setting.name: str(setting.default) for setting in SETTINGS}


@pytest.mark.parametrize(
    "variable, value, message",
    [
        (
            "CACHE_SECONDS",
            "soon",
            "ARCHIVE_SEARCH_CACHE_SECONDS: must be a whole number, not 'soon'",
        ),
        ("CACHE_SECONDS", "-5", "ARCHIVE_SEARCH_CACHE_SECONDS: must be 0 or more, not -5"),
        ("MAX_CONTENT_LENGTH", "64KB", "ARCHIVE_SEARCH_MAX_CONTENT_LENGTH: must be a whole number"),
        (
            "SEARCH_TIME_BUDGET",
            "forever",
            "ARCHIVE_SEARCH_SEARCH_TIME_BUDGET: must be a number of seconds",
        ),
        ("SEARCH_TIME_BUDGET", "7200", "ARCHIVE_SEARCH_SEARCH_TIME_BUDGET: must be from 0 to 3600"),
        ("API_RATE_LIMIT", "lots", "ARCHIVE_SEARCH_API_RATE_LIMIT: must be limits such as"),
        (
            "RATE_LIMIT_STORAGE",
            "postgres://x",
            "ARCHIVE_SEARCH_RATE_LIMIT_STORAGE: must be a storage URI",
        ),
        (
            "CORS_ORIGINS",
            "guides.example.edu",
            "ARCHIVE_SEARCH_CORS_ORIGINS: must be '*' or origins",
        ),
        ("TRUSTED_PROXIES", "one", "ARCHIVE_SEARCH_TRUSTED_PROXIES: must be a whole number"),
        ("CACHE_SECOND", "60", "ARCHIVE_SEARCH_CACHE_SECOND: there is no setting CACHE_SECOND"),
    ],
)
def test_a_malformed_environment_value_names_the_variable(variable, value, message):
    with pytest.raises(SettingError) as caught:
        read_settings(environ={f"ARCHIVE_SEARCH_{variable}": value})
    assert str(caught.value).startswith(message)


def test_values_are_parsed_to_their_types():
    """MAX_CONTENT_LENGTH from the environment is a number, not a string compared as one."""
    values = read_settings(
        environ={
            "ARCHIVE_SEARCH_MAX_CONTENT_LENGTH": "1024",
            "ARCHIVE_SEARCH_SEARCH_TIME_BUDGET": "0.5",
            "ARCHIVE_SEARCH_CORS_ORIGINS": "https://a.example.edu, https://b.example.edu",
            "ARCHIVE_SEARCH_API_RATE_LIMIT": "",
        }
    )
    assert values["MAX_CONTENT_LENGTH"] == 1024
    assert values["SEARCH_TIME_BUDGET"] == 0.5
    assert values["CORS_ORIGINS"] == ["https://a.example.edu", "https://b.example.edu"]
    assert values["API_RATE_LIMIT"] == ""
    assert values["CACHE_SECONDS"] == 60  # the default


def test_the_mapping_wins_over_the_environment_and_other_keys_pass_through():
    values = read_settings(
        {"CACHE_SECONDS": 5, "TESTING": True}, environ={"ARCHIVE_SEARCH_CACHE_SECONDS": "9"}
    )
    assert values["CACHE_SECONDS"] == 5 and values["TESTING"] is True


def test_a_body_limit_from_the_environment_is_enforced_as_a_number(seed_index, monkeypatch):
    monkeypatch.setenv("ARCHIVE_SEARCH_MAX_CONTENT_LENGTH", "100")
    client = create_app({"INDEX_PATH": str(seed_index)}).test_client()
    assert client.get("/search", data=b"x" * 99).status_code == 200
    assert client.get("/search", data=b"x" * 101).status_code == 413


def test_serve_refuses_a_malformed_setting_before_starting(seed_index):
    """One line naming the variable, exit status 1, and no worker ever started."""
    done = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "serve", "--index", str(seed_index), "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "ARCHIVE_SEARCH_CACHE_SECONDS": "soon"},
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "Error: ARCHIVE_SEARCH_CACHE_SECONDS: must be a whole number, not 'soon'"
    ]
