"""The person authority file and the word lists that tell names from places and offices.

``data/people.tsv`` gives each person of the period one canonical display name and
every other form documents use: transliterations, initials, pseudonyms (Stalin
signed cables as "Filippov"). Matching ignores accents, case, hyphens and spaces, so
"Kwasniewski" is "Kwaśniewski" and "Zhou En-lai" is "Zhou Enlai". The format and
sources are in docs/authority.md.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

from wordfreq import zipf_frequency

from .text import compact_key, match_key

_COLUMNS = ["name", "aliases", "short", "pseudonyms", "born", "died", "role", "source"]
_PSEUDONYM = re.compile(r"^(?P<name>[^@]+?)\s*(?:@\s*(?P<start>\d{4})\s*-\s*(?P<end>\d{4}))?$")
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
COMMON_WORD_ZIPF = 4.0


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    return zipf_frequency(word, "en") if word else 0.0


class AuthorityError(ValueError):
    """The authority file breaks one of its rules; the message names the line."""


@dataclass(frozen=True)
class Pseudonym:
    name: str
    start: int | None = None
    end: int | None = None

    def applies(self, year: int | None) -> bool:
        """A dated pseudonym only stands for its person in its years."""
        if self.start is None or self.end is None:  # the parser sets both years or neither
            return True
        return year is not None and self.start <= year <= self.end


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...] = ()
    short: tuple[str, ...] = ()
    pseudonyms: tuple[Pseudonym, ...] = ()
    born: int | None = None
    died: int | None = None
    role: str = ""
    source: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        """Every full form of the name: canonical first."""
        return (self.name, *self.aliases)

    @cached_property
    def form_keys(self) -> frozenset[str]:
        """The compact keys of every full form: worked out once, records compare names to them."""
        return frozenset(compact_key(form) for form in self.forms)


def _read_lines(file_name: str) -> list[str]:
    text = resources.files("indexer").joinpath("data", file_name).read_text(encoding="utf-8")
    return text.splitlines()


def word_list(file_name: str, sections: tuple[str, ...] = ()) -> dict[str, frozenset[str]]:
    """A data word list as match keys, split at '# SECTION' lines; other '#' lines are comments."""
    found: dict[str, set[str]] = {section: set() for section in ("", *sections)}
    current = ""
    for line in (raw.strip() for raw in _read_lines(file_name)):
        if line.startswith("#"):
            heading = line.lstrip("#").strip().lower()
            if heading in sections:
                current = heading
        elif line:
            found[current].add(match_key(line))
    if sections and found[""]:
        raise AuthorityError(
            f"{file_name}: entries before the first section heading ({', '.join(sections)})"
        )
    return {section: frozenset(entries) for section, entries in found.items()}


@dataclass(frozen=True)
class Lexicon:
    """Word lists that decide what a capitalised word in a title is."""

    given_names: frozenset[str]
    east_asian_surnames: frozenset[str]
    places: frozenset[str]
    demonyms: frozenset[str]
    institution_words: frozenset[str]
    institution_names: frozenset[str]
    ranks: frozenset[str]
    not_names: frozenset[str]

    def is_common_word(self, word: str) -> bool:
        """An everyday English word ('Participate', 'Operational'), which a headline capitalises.

        Measured by wordfreq's Zipf frequency: ordinary words score above 4, surnames
        the authority file does not know score near 0 ("Managarov", "Roshchin").
        """
        return _zipf(match_key(word)) >= COMMON_WORD_ZIPF


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    institutions = word_list("institutions.txt", ("words", "names"))
    context = word_list("name_context.txt", ("ranks", "not names"))
    return Lexicon(
        given_names=word_list("given_names.txt")[""],
        east_asian_surnames=word_list("east_asian_surnames.txt")[""],
        places=word_list("places.txt")[""],
        demonyms=word_list("demonyms.txt")[""],
        institution_words=institutions["words"],
        institution_names=institutions["names"] - institutions["words"],
        ranks=context["ranks"],
        not_names=context["not names"],
    )


def surname_of(name: str, lexicon: Lexicon) -> str:
    """The family name of a display name: first word for 'Mao Zedong', last for 'Helmut Kohl'."""
    words = [w for w in match_key(name).split() if w not in _SUFFIXES]
    if not words:
        return ""
    if len(words) > 1 and words[0] in lexicon.east_asian_surnames:
        return words[0]
    return words[-1]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _year(cell: str, line: int) -> int | None:
    if not cell.strip():
        return None
    if not re.fullmatch(r"\d{4}", cell.strip()):
        raise AuthorityError(f"people.tsv line {line}: {cell!r} is not a four-digit year")
    return int(cell)


def _parse_pseudonym(text: str, line: int) -> Pseudonym:
    match = _PSEUDONYM.match(text)
    if not match:
        raise AuthorityError(
            f"people.tsv line {line}: pseudonym {text!r} is not NAME or NAME@YYYY-YYYY"
        )
    start, end = match.group("start"), match.group("end")
    return Pseudonym(match.group("name"), int(start) if start else None, int(end) if end else None)


class Authority:
    """Who is who: canonical persons, and every key that leads to one of them."""

    def __init__(self, persons: list[Person], lexicon: Lexicon):
        self.persons = persons
        self.lexicon = lexicon
        self.by_name = {person.name: person for person in persons}
        self._full: dict[str, Person] = {}
        self._short: dict[str, Person] = {}
        self._pseudonyms: dict[str, list[tuple[Pseudonym, Person]]] = {}
        self._surnames: dict[str, set[str]] = {}
        # The years some dated pseudonym is in use (Pseudonym.applies): a few at most.
        self._pseudonym_years = frozenset(
            year
            for person in persons
            for pseudonym in person.pseudonyms
            if pseudonym.start is not None and pseudonym.end is not None
            for year in range(pseudonym.start, pseudonym.end + 1)
        )
        for person in persons:
            for form in person.forms:
                self._claim(self._full, compact_key(form), person, form)
                surname = surname_of(form, lexicon)
                if surname:
                    self._surnames.setdefault(surname, set()).add(person.name)
            for form in person.short:
                self._claim(self._short, compact_key(form), person, form)
            for pseudonym in person.pseudonyms:
                self._pseudonyms.setdefault(compact_key(pseudonym.name), []).append(
                    (pseudonym, person)
                )

    @staticmethod
    def _claim(table: dict[str, Person], key: str, person: Person, form: str) -> None:
        owner = table.get(key)
        if owner is not None and owner.name != person.name:
            raise AuthorityError(
                f"people.tsv: {form!r} is given for both {owner.name!r} and {person.name!r}"
            )
        table[key] = person

    def full(self, text: str) -> Person | None:
        """The person whose full name (or an alias of it) this is."""
        return self._full.get(compact_key(text))

    def short(self, text: str) -> Person | None:
        """The person a short form ('Stalin', 'Mao') alone stands for."""
        return self._short.get(compact_key(text))

    def pseudonym(self, text: str, year: int | None) -> Person | None:
        """The person behind a cover name, in the years it was used."""
        return self.pseudonym_by_key(compact_key(text), year)

    def named_by_key(self, key: str, year: int | None) -> Person | None:
        """full(), short() or pseudonym() for a compact key already computed (the hot path)."""
        return self._full.get(key) or self._short.get(key) or self.pseudonym_by_key(key, year)

    def pseudonym_by_key(self, key: str, year: int | None) -> Person | None:
        for pseudonym, person in self._pseudonyms.get(key, ()):
            if pseudonym.applies(year):
                return person
        return None

    def names_year(self, year: int | None) -> int | None:
        """The year as far as who a name is goes: None when no dated pseudonym is in use.

        A year changes who a name is only through the dated pseudonyms in use then
        ("Semenov" is Stalin in 1952-1953); in any other year every name is read as in an
        undated record, so what is remembered of names under None serves all those years.
        """
        return year if year in self._pseudonym_years else None

    def is_pseudonym(self, text: str) -> bool:
        return compact_key(text) in self._pseudonyms

    def by_surname(self, surname: str) -> Person | None:
        """The one person of the file with this family name, when there is exactly one."""
        names = self._surnames.get(match_key(surname), set())
        return self.by_name[next(iter(names))] if len(names) == 1 else None

    def resolve(self, text: str, year: int | None = None) -> Person | None:
        """Any form that names a person on its own: full name, alias, short form, pseudonym."""
        return self.full(text) or self.short(text) or self.pseudonym(text, year)

    def variants(self, name: str) -> tuple[str, ...]:
        """Every form a query for this person should also match (for name-variant search)."""
        person = self.resolve(name)
        if person is None:
            return ()
        return person.forms + person.short + tuple(p.name for p in person.pseudonyms)


def parse_people(lines: list[str], lexicon: Lexicon) -> list[Person]:
    rows = csv.reader((line for line in lines), delimiter="\t", quoting=csv.QUOTE_NONE)
    persons: list[Person] = []
    header_seen = False
    for number, row in enumerate(rows, 1):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if not header_seen:
            if [cell.strip() for cell in row] != _COLUMNS:
                raise AuthorityError(
                    f"people.tsv line {number}: the header must be {' '.join(_COLUMNS)}"
                )
            header_seen = True
            continue
        if len(row) != len(_COLUMNS):
            raise AuthorityError(
                f"people.tsv line {number}: {len(row)} columns, expected {len(_COLUMNS)}"
            )
        cells = dict(zip(_COLUMNS, (cell.strip() for cell in row), strict=True))
        if not cells["name"]:
            raise AuthorityError(f"people.tsv line {number}: no name")
        persons.append(
            Person(
                name=cells["name"],
                aliases=tuple(_split(cells["aliases"])),
                short=tuple(_split(cells["short"])),
                pseudonyms=tuple(_parse_pseudonym(p, number) for p in _split(cells["pseudonyms"])),
                born=_year(cells["born"], number),
                died=_year(cells["died"], number),
                role=cells["role"],
                source=cells["source"],
            )
        )
    return persons


@lru_cache(maxsize=1)
def load_authority() -> Authority:
    """The authority shipped with the package, loaded once per process."""
    lexicon = load_lexicon()
    return Authority(parse_people(_read_lines("people.tsv"), lexicon), lexicon)
