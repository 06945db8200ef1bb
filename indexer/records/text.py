"""Text normalisation shared by every reader, the people matcher and the record ids.

Pages saved from the archive disagree in small ways about the same text: curly or
straight quotes, entities, non-breaking spaces, lines wrapped by a browser, accents
kept or dropped. Everything that compares text goes through these functions so that
the same document read from two sources compares equal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200b": "",
        "\ufeff": "",
    }
)
_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Control characters other than tab/newline never belong in a record's text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Letters that NFKD does not decompose into a base letter plus an accent.
_SPECIAL_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",  # noqa: RUF001  # Turkish dotless i, folded on purpose
        "þ": "th",
        "Þ": "Th",
    }
)


def clean_text(text: str | None) -> str:
    """Collapse whitespace and drop control characters, keeping letters and accents."""
    if not text:
        return ""
    if isinstance(text, str) and _already_clean(text):
        return text  # (not a str: normalize raises, as it always did, for readers to report)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text).replace("\ufeff", "").replace("\u200b", "")
    return _SPACE.sub(" ", text).strip()


def _already_clean(text: str) -> bool:
    """Would clean_text give the text back unchanged? Most text a reader meets already is.

    Printable text holds no control character, no zero-width space or byte-order mark and
    no whitespace but the plain space (str.isprintable refuses every one of them), so it
    is clean when it is NFC, its spaces are single and none is at an end. Checking that
    is a few passes in C, where cleaning is a normalisation and two regex passes.
    """
    return (
        text.isprintable()
        and text[0] != " "
        and text[-1] != " "
        and "  " not in text
        and (text.isascii() or unicodedata.is_normalized("NFC", text))
    )


def display_text(text: str | None) -> str:
    """Clean text for display: straight quotes and plain dashes, as the archive's listing shows."""
    return clean_text(clean_text(text).translate(_QUOTES))


def fold_accents(text: str) -> str:
    """'Kwaśniewski' -> 'Kwasniewski', 'Ürümchi' -> 'Urumchi', 'Gomułka' -> 'Gomulka'."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def accent_count(text: str) -> int:
    """How many letters carry accents: the more, the more a spelling tells ('Kenzō' > 'Kenzo')."""
    # Folding can change the length ('ß' -> 'ss'): compare the letters both texts have.
    return sum(
        1 for original, folded in zip(text, fold_accents(text), strict=False) if original != folded
    )


def _straight_quotes(text: str) -> str:
    """text.translate(_QUOTES), which looks every character up in a dict: of ASCII text,
    where the backtick is the only character it changes, a plain replace does the same."""
    return text.replace("`", "'") if text.isascii() else text.translate(_QUOTES)


@lru_cache(maxsize=262144)
def match_key(text: str) -> str:
    """A key for comparing text: folded accents, lower case, words separated by one space."""
    folded = fold_accents(_straight_quotes(text)).lower().replace("'", "")
    return _NON_WORD.sub(" ", folded).strip()


@lru_cache(maxsize=262144)
def compact_key(text: str) -> str:
    """A key that also ignores word breaks: 'Zhou En-lai' and 'Zhou Enlai' give 'zhouenlai'."""
    return match_key(text).replace(" ", "")


@lru_cache(maxsize=32768)
def slugify(text: str, max_words: int = 8) -> str:
    """URL-safe words of a title, for readable record ids (remembered: titles repeat)."""
    words = match_key(text).split()
    return "-".join(words[:max_words]) or "untitled"


def clean_paragraphs(paragraphs: Iterable[str]) -> str:
    """A document's text as paragraphs: each cleaned as clean_text cleans (whitespace inside
    collapsed), empty ones dropped, the rest joined by a blank line, so a record page can
    show them as paragraphs and cleaning it again gives it back unchanged."""
    return "\n\n".join(cleaned for cleaned in map(clean_text, paragraphs) if cleaned)


def cut_at_whitespace(text: str, limit: int) -> str:
    """The text's first ``limit`` characters at most, cut at the last whitespace within
    them so no word is cut in two (hard at ``limit`` when the second half has none)."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(" ", 0, limit + 1), text.rfind("\n", 0, limit + 1))
    return text[: cut if cut > limit // 2 else limit].rstrip()
