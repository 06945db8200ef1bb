"""Split titles and summaries into runs of capitalised words, where names can be.

A run is what a reader would take for one name-shaped phrase: "Chairman Mao Zedong",
"G.S. DOBASHIN", "Soviet Ambassador Roshchin". Lower-case words, numbers and
punctuation end a run; particles ("de", "von") stay inside one. The archive's
editorial brackets are resolved first: "Filippov [Stalin]" is Stalin, "Liu [Shaoqi]"
is Liu Shaoqi, "[Li] Fuchun" is Li Fuchun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple, Protocol

PARTICLES = frozenset(
    {
        "de",
        "da",
        "di",
        "van",
        "von",
        "der",
        "den",
        "du",
        "la",
        "le",
        "del",
        "bin",
        "ibn",
        "al",
        "el",
        "y",
        "dos",
        "das",
        "ter",
        "zu",
    }
)
_TOKEN = re.compile(
    r"(?P<abbreviation>\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Adm|Amb|Prof|Sen|Gov|Sgt|Rev|Hon|Pres|Sec|Messrs)\.)"
    r"|(?P<initials>(?:[A-Z]\.\s?){1,3}(?=\s*[A-Z][A-Za-z]))"
    r"|(?P<word>[^\W\d_](?:[\w'\u2019/\-]*[^\W_])?(?:['\u2019]s?)?)"
    r"|(?P<number>\d[\d.,:]*)"
    r"|(?P<punct>[^\w\s])"
)
_POSSESSIVE = re.compile(r"['\u2019]s?$")


@dataclass(slots=True)
class Token:
    text: str
    kind: str  # name, caps, initials, particle, lower, number, punct
    possessive: bool = False

    @property
    def base(self) -> str:
        """The word without a possessive ending: "Kohl's" -> "Kohl"."""
        return _POSSESSIVE.sub("", self.text) if self.possessive else self.text


@dataclass
class NameRun:
    tokens: list[Token]
    before: str = ""  # the lower-case word or punctuation just before, "" at the start
    after: str = ""
    possessive: bool = False


_PREFIXED_NAME = re.compile(
    r"^(?:al|el|ad|ud|ul|as|ash|at|az|ibn|bin|abu|d)[-'\u2019][^\W\d_]", re.IGNORECASE
)


def _kind(word: str) -> str:
    """name, caps, particle or lower; the first letter decides most words cheaply."""
    if word[0].islower():
        if (
            ("-" in word or "'" in word or "\u2019" in word)
            and _PREFIXED_NAME.match(word)
            and word.split("-")[-1][:1].isupper()
        ):
            return "name"  # "al-Bakr", "ul-Haq": an Arabic name, not a lower-case word
        return "particle" if word in PARTICLES else "lower"
    if len(word) > 1 and word.isupper():
        return "caps"
    return "name"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        assert kind is not None  # every alternative of _TOKEN is a named group
        value = match.group(kind)
        if kind == "word":
            possessive = (
                ("'" in value or "\u2019" in value)
                and len(value) > 2
                and bool(_POSSESSIVE.search(value))
            )
            append(Token(value, _kind(value), possessive))
        elif kind == "abbreviation":
            append(
                Token(value[:-1], "name")
            )  # "Mr." is a rank word before a name, not a sentence end
        else:
            append(Token(value.strip(), kind))
    return tokens


def _context(token: Token | None) -> str:
    if token is None:
        return ""
    return token.text.lower() if token.kind != "punct" else token.text


class Stretch(NamedTuple):
    """Words between two plain lower-case words, where runs can be, and those two words."""

    text: str  # its words, joined by single spaces
    before: str  # the plain lower-case word just before, "" at the start
    after: str  # the one just after, "" at the end


def stretches(text: str) -> list[Stretch]:
    """The text cut at its plain lower-case words, which can never be in a run.

    A loop of str methods, which run in C: faster than each regex pass tried instead.
    """
    found: list[Stretch] = []
    stretch: list[str] = []
    before = ""
    for chunk in text.split():
        if _is_plain(chunk):
            if stretch:
                found.append(Stretch(" ".join(stretch), before, chunk))
                stretch = []
            before = chunk
        else:
            stretch.append(chunk)
    if stretch:
        found.append(Stretch(" ".join(stretch), before, ""))
    return found


def _is_plain(chunk: str) -> bool:
    """A plain lower-case word ('the', 'café'), which is never in a run; a particle is not."""
    return chunk.islower() and chunk.isalpha() and chunk not in PARTICLES


def stretches_with_capitals(text: str) -> list[str]:
    """The texts of stretches(text), less some that hold no run: for text whose stretches
    are read without the words around them (a summary).

    In ASCII text, a stretch of lower-case words only ('the.', 'e.g.,') holds no run: each
    of its words starts with a lower-case letter, and it has no capital for initials. Most
    of a summary is such words, so only a word that is not lower case is judged with its
    neighbours, to find its stretch. Other text is cut in full.
    """
    if not text.isascii():
        return [stretch.text for stretch in stretches(text)]
    chunks = text.split()
    found: list[str] = []
    end = -1
    for index, chunk in enumerate(chunks):
        if index <= end or chunk.islower():
            continue  # in the stretch just found, or lower case
        start = end = index
        while start > 0 and not _is_plain(chunks[start - 1]):
            start -= 1
        while end + 1 < len(chunks) and not _is_plain(chunks[end + 1]):
            end += 1
        found.append(" ".join(chunks[start : end + 1]))
    return found


def name_runs(text: str) -> list[NameRun]:
    """Maximal runs of capitalised words (with initials and inner particles).

    Plain lower-case words can never be in a run, so the text is first cut at them
    (stretches); only the stretches between them are tokenised.
    """
    runs: list[NameRun] = []
    for stretch in stretches(text):
        runs.extend(stretch_runs(stretch))
    return runs


def stretch_runs(stretch: Stretch) -> list[NameRun]:
    """The runs of one stretch; its first and last runs see the words around the stretch."""
    runs: list[NameRun] = []
    before_text, after_text = stretch.before, stretch.after
    tokens = tokenize(stretch.text)
    current: list[Token] = []
    start = 0

    def context(index: int, outside: str) -> str:
        return _context(tokens[index]) if 0 <= index < len(tokens) else outside

    def close(end: int) -> None:
        nonlocal current
        while current and current[-1].kind == "particle":
            current.pop()
            end -= 1
        if current:
            runs.append(
                NameRun(
                    current,
                    before=context(start - 1, before_text),
                    after=context(end, after_text),
                    possessive=current[-1].possessive,
                )
            )
        current = []

    for index, token in enumerate(tokens):
        if token.kind in ("name", "caps", "initials") or (token.kind == "particle" and current):
            if not current:
                start = index
            current.append(token)
            if token.possessive:
                close(index + 1)
        else:
            close(index)
    close(len(tokens))
    return runs


_BRACKETED = re.compile(
    r"(?P<prev>[^\W\d_][\w'\u2019\-]*)?(?P<gap>\s*)"
    r"(?P<open>[\[(])(?P<inner>[^\[\]()]{1,80})[\])]"
    r"(?P<next>\s+[^\W\d_][\w'\u2019\-]*)?"
)


class BracketJudge(Protocol):
    """What bracket rewriting needs to know about names (the person finder answers)."""

    def bracket_person(self, text: str) -> bool: ...

    def known_name(self, text: str) -> bool: ...

    def is_pseudonym(self, text: str) -> bool: ...


def rewrite_brackets(text: str, judge: BracketJudge) -> str:
    """Resolve editorial brackets into plain names, leaving every other bracket as it is."""
    is_person = judge.bracket_person

    def replace(match: re.Match[str]) -> str:
        prev, gap, inner, following = (
            (match.group("prev") or ""),
            match.group("gap"),
            match.group("inner").strip(),
            match.group("next") or "",
        )
        inner_base = _POSSESSIVE.sub("", inner) if re.search(r"['\u2019]s$", inner) else inner
        suffix = "'s" if inner_base != inner or re.search(r"['\u2019]s$", prev) else ""
        prev_base = _POSSESSIVE.sub("", prev) if re.search(r"['\u2019]s$", prev) else prev
        single = len(inner_base.split()) == 1
        square = match.group("open") == "["
        if not square:
            if prev and judge.is_pseudonym(prev_base) and is_person(inner_base):
                return inner_base + suffix + following  # "Filippov (Stalin)"
            unchanged: str = match.group(0)  # group 0, the whole match, is never None
            return unchanged
        joined = f"{prev_base} {inner_base}"
        if (
            prev
            and prev[0].isupper()
            and (judge.known_name(joined) or (single and not is_person(inner_base)))
        ):
            return f"{prev_base} {inner_base}{suffix}{following}"  # "Liu [Shaoqi]"
        if prev and prev[0].isupper() and is_person(inner_base):
            return (
                f"{inner_base}{suffix}{following}"  # "Filippov [Stalin]", "Chairman [Mao Zedong]"
            )
        if single and following.strip()[:1].isupper() and not is_person(inner_base):
            return f"{prev}{gap}{inner_base}{following}"  # "[Li] Fuchun"
        if is_person(inner_base):
            return f"{prev}{gap}{inner_base}{suffix}{following}"
        return f"{prev}{gap}({inner}){following}"

    return _BRACKETED.sub(replace, text)
