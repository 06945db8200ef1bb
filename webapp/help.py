"""The search help page: every piece of the query language, each with a live example.

The examples are data, so a test can follow every one of them and hold the page to
what the search really does (tests/test_query_pages.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, render_template

help_pages = Blueprint("help", __name__)


@dataclass(frozen=True)
class Example:
    text: str
    finds: str

    @property
    def url(self) -> str:
        return "/search?" + urlencode({"q": self.text})


SYNTAX = (
    (
        "Words",
        (
            Example(
                "railway agreement",
                "records with both words, in the title, summary or names (AND is the default)",
            ),
            Example("telegrams", "every form of the word: telegram, telegrams (words are stemmed)"),
            Example("Urumchi", "accents do not matter: finds \u201cÜrümchi\u201d"),
        ),
    ),
    (
        "Phrases",
        (
            Example('"Central Committee"', "the words side by side, in this order"),
            Example('"Soviet government"~3', "the words at most 3 words apart, in any order"),
        ),
    ),
    (
        "Either, and not",
        (
            Example("Zhou OR Nehru", "either word"),
            Example("Stalin NOT Mao", "the first without the second; also written Stalin -Mao"),
            Example(
                "Korea +Stalin",
                "with +, only the + words are required: Stalin, records that also say Korea first",
            ),
            Example("Stalin ANDMAYBE Mao", "Stalin, and records that also name Mao first"),
            Example("(Zhou OR Nehru) Indochina", "brackets group: either name, and Indochina"),
        ),
    ),
    (
        "Fields",
        (
            Example("title:cable", "the word in titles only"),
            Example("summary:rubber", "the word in summaries only"),
            Example("person:Molotov", "records naming Molotov, in any form of his name"),
            Example("title:(cable Stalin)", "brackets after a field: both words in the title"),
            Example("text:fortnight", "the word in the documents' own text only"),
            Example("type:telegram", "documents whose type is a telegram (or a ciphered one)"),
            Example("subject:pakistan", "records with a subject heading holding the word"),
            Example("place:kazakhstan", "records about a place"),
            Example("language:japanese", "documents in Japanese"),
            Example("archive:barch", "documents from an original archive: here, BArch"),
            Example("author:nehru", "documents by an author"),
        ),
    ),
    (
        "Patterns and near spellings",
        (
            Example("rubb*", "words starting rubb: rubber"),
            Example("telegr?m", "? is one letter: telegram"),
            Example("Molotv~", "words one letter away: Molotov (~2 for two letters)"),
        ),
    ),
    (
        "Ranges and weight",
        (
            Example("title:[a TO c]", "title words from a to c; { } leave the ends out"),
            Example("title:>w", "title words after w (> < >= <= compare)"),
            Example("Stalin^3 Mao", "both words; where Stalin matches counts three times as much"),
        ),
    ),
)

DATES = (
    Example("Stalin year:1953", "Stalin, in 1953: the same as picking 1953 under Years"),
    Example("year:(1950 OR 1953) Mao", "Mao, in 1950 or 1953"),
    Example("year:[1950 TO 1952] Korea", "Korea, from 1950 to 1952: the From and To filter"),
    Example("date:1952-08", "records of August 1952 (and those dated only 1952)"),
    Example("date:>1952-06 Zhou", "Zhou, after June 1952 (> < >= <= and { } leave the date out)"),
)

NAMES = (
    Example("Mao Tse-tung", "every record of Mao Zedong, whichever spelling it uses"),
    Example("Chou En-lai", "Zhou Enlai, in Wade-Giles"),
    Example("Filippov", "Stalin: the name he signed his cables with"),
)


@help_pages.get("/help")
def help_page() -> str:
    return render_template(
        "help.html",
        syntax=SYNTAX,
        dates=DATES,
        names=NAMES,
        page_title="How to search",
        description="Every piece of the archive's search language, with examples to try.",
    )
