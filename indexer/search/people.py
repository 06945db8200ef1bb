"""The people of an index, as a name authority shows them: each with an address, a count
and what the authority file knows of them.

A person's address is a slug of their canonical name ("Joseph Stalin" ->
``joseph-stalin``, "Aleksander Kwaśniewski" -> ``aleksander-kwasniewski``; letters of
other scripts are kept). Two names that fold to the same slug ("Zhou Enlai" and a
"Zhou En-lai" the authority file does not know) both keep an address: the one most
records name gets the plain slug, the other the slug and a short hash of its name, which
does not change while both are in the index.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from indexer.records.authority import Authority, load_authority, surname_of
from indexer.records.text import fold_accents

_NOT_SLUG = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class PersonName:
    """A person the index holds: canonical name, address, records naming them, and the
    letter of the A-Z list they are filed under (their family name's)."""

    name: str
    slug: str
    count: int
    initial: str
    sort_key: str


@dataclass(frozen=True)
class PseudonymUse:
    name: str
    start: int | None
    end: int | None


@dataclass(frozen=True)
class AuthorityEntry:
    """What the authority file (indexer/data/people.tsv) says of a person."""

    name: str
    aliases: tuple[str, ...]
    short: tuple[str, ...]
    pseudonyms: tuple[PseudonymUse, ...]
    born: int | None
    died: int | None
    role: str
    source: str


def person_slug(name: str) -> str:
    """The address of a name: folded accents, lower case, words joined by hyphens."""
    folded = unicodedata.normalize("NFC", fold_accents(name)).lower().replace("'", "")
    return _NOT_SLUG.sub("-", folded).strip("-_") or "person"


def _filed_under(name: str, authority: Authority) -> tuple[str, str]:
    """(initial, sort key): by family name, as a library files names ("Stalin, Joseph")."""
    surname = surname_of(name, authority.lexicon) or person_slug(name)
    initial = surname[:1].upper()
    return (initial if "A" <= initial <= "Z" else "#"), f"{surname} {person_slug(name)}"


def named_people(counts: list[tuple[str, int]]) -> list[PersonName]:
    """Every person with their count, in A-Z order, each with an address of their own."""
    authority = load_authority()
    by_slug: dict[str, list[tuple[str, int]]] = {}
    for name, count in counts:
        by_slug.setdefault(person_slug(name), []).append((name, count))
    people = []
    for slug, names in by_slug.items():
        names.sort(key=lambda pair: (-pair[1], pair[0]))
        for place, (name, count) in enumerate(names):
            address = slug
            if place:
                address += "-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
            initial, sort_key = _filed_under(name, authority)
            people.append(PersonName(name, address, count, initial, sort_key))
    people.sort(key=lambda person: (person.sort_key, person.name))
    return people


def authority_entry(name: str) -> AuthorityEntry | None:
    """The authority file's row for a canonical name, or None for a name it does not know
    (a person found in a record's title by the name finder)."""
    person = load_authority().by_name.get(name)
    if person is None:
        return None
    return AuthorityEntry(
        name=person.name,
        aliases=person.aliases,
        short=person.short,
        pseudonyms=tuple(PseudonymUse(p.name, p.start, p.end) for p in person.pseudonyms),
        born=person.born,
        died=person.died,
        role=person.role,
        source=person.source,
    )
