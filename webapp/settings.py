"""Every setting of the web app, declared once: name, type, default and what it is for.

Settings come from a mapping given to ``create_app`` and from environment variables of
the same name prefixed ``ARCHIVE_SEARCH_`` (the mapping wins). A malformed value, or an
``ARCHIVE_SEARCH_`` variable that names no setting, is a ``SettingError``: one sentence
naming the variable, raised by ``archive-search serve`` before any worker starts and by
``create_app`` in any other host. docs/deployment.md lists them; a test holds the two
lists equal.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from limits import parse_many
from limits.storage import SCHEMES as STORAGE_SCHEMES

ENVIRONMENT_PREFIX = "ARCHIVE_SEARCH_"


class SettingError(ValueError):
    """A setting with a value the app cannot use, in one sentence that names it."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {type(value).__name__}")
    return value


def _whole_number(low: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError("must be a whole number, not true or false")
        if isinstance(value, int):
            number = value
        else:
            text = str(value).strip()
            if not text.lstrip("-").isdigit():
                raise ValueError(f"must be a whole number, not {text[:40]!r}")
            number = int(text)
        if number < low:
            raise ValueError(f"must be {low} or more, not {number}")
        return number

    return parse


def _seconds(value: Any) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"must be a number of seconds, not {str(value)[:40]!r}") from None
    if not 0 <= seconds <= 3600:  # 0 stops every search at once: for testing partial answers
        raise ValueError(f"must be from 0 to 3600 seconds, not {seconds:g}")
    return seconds


def _rate_limit(value: Any) -> str:
    text = _text(value).strip()
    if text:
        try:
            parse_many(text)
        except ValueError:
            raise ValueError(
                "must be limits such as '600 per minute; 30 per second' (or empty for none), "
                f"not {text[:60]!r}"
            ) from None
    return text


def _origins(value: Any) -> str | list[str]:
    """'*', or origins separated by commas or spaces (or a list of them, from a mapping)."""
    if isinstance(value, (list, tuple)):
        origins = [_text(origin).strip() for origin in value]
    else:
        origins = _text(value).replace(",", " ").split()
    if not origins:
        raise ValueError("must be '*' or at least one origin such as https://library.example.edu")
    if origins == ["*"]:
        return "*"
    for origin in origins:
        if not origin.startswith(("http://", "https://")):
            raise ValueError(
                f"must be '*' or origins such as https://library.example.edu, not {origin[:60]!r}"
            )
    return origins


def _storage_uri(value: Any) -> str:
    text = _text(value).strip()
    scheme = text.split("://", 1)[0] if "://" in text else ""
    if scheme not in STORAGE_SCHEMES:
        raise ValueError(
            f"must be a storage URI such as memory:// or redis://host:6379, not {text[:60]!r}"
        )
    return text


@dataclass(frozen=True)
class Setting:
    name: str
    parse: Callable[[Any], Any]
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "INDEX_PATH", _text, "data/index", "The index to serve: the link to its current generation."
    ),
    Setting(
        "SITE_NAME", _text, "Archive Search", "The site's name, in the header and page titles."
    ),
    Setting(
        "SITE_TAGLINE",
        _text,
        "Wilson Center Digital Archive \u00b7 International History Declassified",
        "The line under the site's name.",
    ),
    Setting(
        "MAX_CONTENT_LENGTH",
        _whole_number(0),
        64 * 1024,
        "The largest request body in bytes; a larger one is refused with 413.",
    ),
    Setting(
        "CORS_ORIGINS",
        _origins,
        "*",
        "Which origins may call the API from a browser: '*' for any, "
        "or origins separated by commas.",
    ),
    Setting(
        "CACHE_SECONDS",
        _whole_number(0),
        60,
        "How long a client may reuse a search answer before revalidating it.",
    ),
    Setting(
        "COMPRESS_MIN_SIZE",
        _whole_number(0),
        500,
        "Answers smaller than this many bytes are not compressed.",
    ),
    Setting(
        "SEARCH_TIME_BUDGET",
        _seconds,
        2.0,
        "Seconds one search may run before it stops and answers with what it found, "
        "flagged partial.",
    ),
    Setting(
        "API_RATE_LIMIT",
        _rate_limit,
        "600 per minute; 30 per second",
        "The per-client limit on /api/* and /search.json; empty for none.",
    ),
    Setting(
        "RATE_LIMIT_STORAGE",
        _storage_uri,
        "memory://",
        "Where the rate limit counts: memory:// (each worker alone) or redis://host:6379 "
        "(one count for every worker and replica; fails open while unreachable).",
    ),
    Setting(
        "TRUSTED_PROXIES",
        _whole_number(0),
        0,
        "How many reverse proxies in front set X-Forwarded-For; 0 when clients connect directly.",
    ),
)
BY_NAME = {setting.name: setting for setting in SETTINGS}


def read_settings(
    config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Every setting's value, parsed: the default, then the environment, then ``config``.

    Keys of ``config`` that name no setting are passed through untouched (Flask's own,
    such as TESTING); an ``ARCHIVE_SEARCH_`` variable that names no setting is an error,
    since it is surely a misspelt one.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {setting.name: setting.default for setting in SETTINGS}
    sources: list[tuple[str, str, Any]] = []
    for key, value in environ.items():
        if key.startswith(ENVIRONMENT_PREFIX):
            name = key[len(ENVIRONMENT_PREFIX) :]
            if name not in BY_NAME:
                raise SettingError(
                    f"{key}: there is no setting {name} (the settings are {', '.join(BY_NAME)})"
                )
            sources.append((key, name, value))
    for name, value in (config or {}).items():
        if name in BY_NAME:
            sources.append((name, name, value))
        else:
            values[name] = value
    for shown, name, value in sources:
        try:
            values[name] = BY_NAME[name].parse(value)
        except ValueError as error:
            raise SettingError(f"{shown}: {error}") from None
    return values
