"""Name forms: how a found name is shown, compared, and read from the archive's tags.

The archive tags people as "Last, First (Other form)" ("Chiang, Ching-kuo (Jiang
Jingguo)", 'Blair, Anthony Charles Lynton ("Tony")'), beside organisations written
the same way ("Japan. Foreign Ministry"). East Asian family names keep their place
("Mao, Zedong" is Mao Zedong); others are turned round ("Kohl, Helmut" is Helmut Kohl).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .authority import Authority, Lexicon, Person, surname_of
from .text import compact_key, fold_accents, match_key
from .tokens import PARTICLES, Token

_LIFE_DATES = re.compile(r",?\s*(?:b\.|d\.|born|died)?\s*\d{4}\??\s*-?\s*(?:\d{4}\??)?\s*$")
_QUOTE_MARKS = " \"'\u201c\u201d"


@dataclass(frozen=True, slots=True)
class Mention:
    """A person found in one record: an authority person, or a name with evidence.

    Frozen: the finder remembers what a phrase or tag names, and hands the same mention to
    every record that has it.
    """

    display: str
    person: Person | None = None
    surname: str = ""
    given: str = ""
    from_tag: bool = False

    @property
    def key(self) -> str:
        return self.person.name if self.person else compact_key(self.display)


def display_name(tokens: Sequence[Token]) -> str:
    """How an unknown name is shown: 'G.S. DOBASHIN' -> 'G.S. Dobashin', possessive dropped."""
    words = []
    for token in tokens:
        text = token.base
        if token.kind == "initials":
            text = re.sub(r"\s+", "", text)
        elif "/" in text:
            text = text.split("/")[0]  # "Filyashev/Filyashkii": the first spelling
        if text.isupper() and len(text) > 1 and token.kind != "initials":
            text = "-".join(part.capitalize() for part in text.split("-"))
        words.append(text.replace("\u2019", "'"))
    return " ".join(words)


def _edit_distance_at_most_one(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :] or (len(a) == len(b) and a[i + 1 :] == b[i + 1 :])


def surnames_match(a: str, b: str) -> bool:
    """Same family name, allowing one letter's difference in a long name (Nazarbaev/Nazarbayev)."""
    a, b = compact_key(a), compact_key(b)
    if not a or not b:
        return False
    return a == b or (min(len(a), len(b)) >= 6 and _edit_distance_at_most_one(a, b))


_PINYIN_INITIALS = (
    "zh",
    "ch",
    "sh",
    "b",
    "p",
    "m",
    "f",
    "d",
    "t",
    "n",
    "l",
    "g",
    "k",
    "h",
    "j",
    "q",
    "x",
    "r",
    "z",
    "c",
    "s",
    "y",
    "w",
    "",
)
_PINYIN_FINALS = frozenset(
    [
        "a",
        "o",
        "e",
        "i",
        "u",
        "v",
        "ai",
        "ei",
        "ui",
        "ao",
        "ou",
        "iu",
        "ie",
        "ve",
        "ue",
        "er",
        "an",
        "en",
        "in",
        "un",
        "vn",
        "ang",
        "eng",
        "ing",
        "ong",
        "ia",
        "iao",
        "ian",
        "iang",
        "iong",
        "ua",
        "uo",
        "uai",
        "uan",
        "uang",
        "ueng",
    ]
)
_ROMANISED_SYLLABLE = re.compile(r"^[a-z]{1,6}$")


def _pinyin_syllables(word: str, most: int = 2) -> bool:
    """Can this word be read as one or two Pinyin syllables ('qun', 'liguo', 'shaoqi')?"""
    if not word:
        return True
    if most == 0:
        return False
    for initial in _PINYIN_INITIALS:
        if not word.startswith(initial):
            continue
        rest = word[len(initial) :]
        for end in range(len(rest), 0, -1):
            if rest[:end] in _PINYIN_FINALS and _pinyin_syllables(rest[end:], most - 1):
                return True
    return False


def east_asian_name_shape(words: list[str], lexicon: Lexicon) -> bool:
    """A family name then a romanised given name: 'Ye Qun', 'Lin Liguo', 'Pak Kum-chol'.

    The given name is one or two Pinyin syllables, or Korean/Wade-Giles syllables joined
    by a hyphen ('Kum-chol', 'Hsiao-ping'). Places are labelled before this is asked.
    """
    if len(words) != 2 or match_key(words[0]) not in lexicon.east_asian_surnames:
        return False
    given = fold_accents(words[1])
    if not given[:1].isupper() or given[1:] != given[1:].lower():
        return False
    parts = given.lower().split("-")
    if len(parts) == 2:
        return all(_ROMANISED_SYLLABLE.match(part) for part in parts)
    return len(parts) == 1 and _pinyin_syllables(parts[0])


def name_like(text: str, lexicon: Lexicon, places_allowed: bool = False) -> bool:
    """Capitalised words that are not an institution, place or nationality.

    ``places_allowed`` is for a tag that is surely a person's ("Jordan, Hamilton",
    "Tōgō, Fumihiko"), where a surname may also be a place.
    """
    words = re.findall(r"[^\W\d_][\w'\u2019.\-]*", text)
    if not words or re.search(r"[\d&]", text):
        return False
    key = match_key(text)
    if key in lexicon.institution_names or (
        not places_allowed and (key in lexicon.places or key in lexicon.demonyms)
    ):
        return False
    for word in words:
        word_key = match_key(word)
        if word_key in lexicon.institution_words or (
            not places_allowed and word_key in lexicon.places
        ):
            return False
    return all(word[0].isupper() or word.lower() in PARTICLES | {"e"} for word in words)


def _authority_mention(person: Person, lexicon: Lexicon) -> Mention:
    return Mention(person.name, person, surname_of(person.name, lexicon), from_tag=True)


def tag_person(tag: str, authority: Authority) -> Mention | None:
    """A person from one of the archive's tags, or None when the tag names an organisation."""
    lexicon = authority.lexicon
    tag = _LIFE_DATES.sub("", tag.strip())  # "Stalin, Joseph, 1879-1953"
    alternates = re.findall(r"\(([^()]+)\)", tag)
    bare = re.sub(r"\s*\([^()]*\)", "", tag).strip()
    nicknames = [a.strip(_QUOTE_MARKS) for a in alternates if re.match(r"^[\"'\u201c]", a.strip())]
    alternates = [a for a in alternates if a.strip(_QUOTE_MARKS) not in nicknames]
    if "," not in bare:
        if not name_like(bare, lexicon):
            return None
        person = next(
            filter(None, (authority.full(c) or authority.short(c) for c in [bare, *alternates])),
            None,
        )
        if person:
            return _authority_mention(person, lexicon)
        return (
            Mention(bare, None, surname_of(bare, lexicon), from_tag=True)
            if len(bare.split()) > 1
            else None
        )
    last, first = (part.strip() for part in bare.split(",", 1))
    if not match_key(last) or not match_key(first):
        return None  # a part with no letter or digit left once folded (yogh, "0"): not a name
    east_asian = match_key(last).split()[0] in lexicon.east_asian_surnames
    given = first.split()[0]
    # A known given name or East Asian family name makes "Last, First" surely a person's.
    sure = east_asian or match_key(given) in lexicon.given_names
    if not name_like(last, lexicon, places_allowed=sure) or not name_like(
        first, lexicon, places_allowed=sure
    ):
        return None
    full = f"{last} {first}" if east_asian else f"{first} {last}"
    candidates = (
        [full] + [f"{nick} {last}" for nick in nicknames] + alternates + [f"{given} {last}"]
    )
    person = next(filter(None, (authority.full(c) or authority.short(c) for c in candidates)), None)
    if person is None:
        # "Primakov, Yevgeni Maksimovich": a tag is surely a person, so the one authority
        # person with that surname and first initial is them, whatever the spelling.
        person = authority.by_surname(last)
        if person and fold_accents(person.name)[:1].lower() not in (
            fold_accents(given)[:1].lower(),
            fold_accents(last)[:1].lower(),
        ):
            person = None
    if person:
        return _authority_mention(person, lexicon)
    shown = full if east_asian else f"{nicknames[0] if nicknames else given} {last}"
    return Mention(shown, None, surname_of(shown, lexicon), given=given, from_tag=True)
