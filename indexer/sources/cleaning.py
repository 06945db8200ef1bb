"""The rules of cleaning: one raw record made clean, and one spelling per unknown person.

A raw record's date is parsed at its precision and its people named (clean_record);
across the corpus, every spelling of an unknown person becomes one
(replacements_for_unknown_persons). spool.py runs them over a corpus on every core;
ingest.py is the API over both.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from indexer.records.authority import Authority, surname_of
from indexer.records.dates import parse_archive_date
from indexer.records.doctypes import document_type
from indexer.records.people import PersonFinder, surnames_match
from indexer.records.record import Record, make_record_id, merge_into, record_key, source_fields
from indexer.records.text import accent_count, clean_text, compact_key, match_key

from .base import Problem, RawRecord


@dataclass
class IngestReport:
    files: int = 0
    items: int = 0
    records: int = 0
    problems: list[Problem] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)

    @property
    def merged(self) -> int:
        """How many copies of documents were folded into another copy."""
        return self.items - self.records

    def summary(self) -> str:
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(self.kinds.items()))
        return (
            f"{self.files} files read, {self.items} items ({kinds or 'none'}), "
            f"{self.records} records, {self.merged} merged duplicates, "
            f"{len(self.problems)} problems"
        )


_SOURCE_NAMES = tuple(item.name for item in source_fields())


def clean_record(raw: RawRecord, finder: PersonFinder) -> tuple[Record, list[Problem]]:
    """One raw record made clean: its date parsed at its precision, its people named."""
    problems = []
    parsed = raw.parsed_date or parse_archive_date(raw.date_text)
    file_name, _, item = raw.where.partition("#")
    if parsed.note:
        problems.append(
            Problem(file_name, f"item {item}" if item else None, parsed.note, "kept the record")
        )
    title, summary = clean_text(raw.title), clean_text(raw.summary)
    tags = raw.people_tags + raw.authors + raw.persons
    found = finder.find(title, summary, tags, parsed.year)
    # Lists copied, so the record never shares one with the raw record; texts as they are.
    given: dict[str, Any] = {
        name: list(value) if type(value) is list else value
        for name in _SOURCE_NAMES
        for value in (getattr(raw, name),)
    }
    given.update(
        title=title,
        summary=summary,
        persons=found.persons,
        authors=_authors(raw.authors, finder, parsed.year),
        organizations=list(dict.fromkeys(raw.organizations + found.organizations)),
    )
    record = Record(
        id=make_record_id(title, parsed.iso),
        date=parsed.iso,
        date_precision=parsed.precision,
        year=parsed.year,
        date_end=parsed.end,
        date_circa=parsed.circa,
        document_type=document_type(title),
        sources=[raw.where],
        **given,
    )
    return record, problems


def _authors(authors: list[str], finder: PersonFinder, year: int | None) -> list[str]:
    """The authors, a person among them under the one name the person facet shows ("Nehru,
    Jawaharlal" is Jawaharlal Nehru); institutions ("Japan. Foreign Ministry") as given."""
    named = []
    year = finder.authority.names_year(year)  # the years in which a name means the same
    for author in authors:
        key = (author, year)
        name = _AUTHOR_NAMES.get(key)
        if name is None:
            if len(_AUTHOR_NAMES) > _AUTHOR_NAMES_KEPT:
                _AUTHOR_NAMES.clear()
            persons = finder.find("", "", [author], year).persons
            name = _AUTHOR_NAMES[key] = persons[0] if len(persons) == 1 else author
        named.append(name)
    return list(dict.fromkeys(named))


# An author's name by (author, year), per process: authors recur across a corpus, and the
# person finder reads each in about 100 µs.
_AUTHOR_NAMES: dict[tuple[str, int | None], str] = {}
_AUTHOR_NAMES_KEPT = 100_000


def merge_records(records: list[tuple[int, Record]]) -> list[Record]:
    """Fold copies of one document together: same title and date, or same title and no date."""
    by_key: dict[str, Record] = {}
    for _, record in sorted(records, key=lambda pair: -pair[0]):
        key = record_key(record.title, record.date)
        if key in by_key:
            merge_into(by_key[key], record)
        else:
            by_key[key] = record
    by_title: dict[str, list[Record]] = defaultdict(list)
    for record in by_key.values():
        by_title[match_key(record.title)].append(record)
    merged: list[Record] = []
    for copies in by_title.values():
        dated = [r for r in copies if r.date]
        if len(dated) == 1:
            for undated in (r for r in copies if not r.date):
                merge_into(dated[0], undated)
            merged.extend(dated)
        else:
            merged.extend(copies)
    return sorted(merged, key=lambda r: (r.date is None, r.date or "", r.title))


def _one_deletion(key: str) -> set[str]:
    """The key itself and every string one letter shorter: what two keys one edit apart share."""
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}


def replacements_for_unknown_persons(
    person_lists: Iterable[Iterable[str]], authority: Authority
) -> dict[str, str]:
    """One spelling per unknown person across the corpus, and bare surnames joined to the
    full name: compact key of a name -> the name to use.

    Authority names are already canonical. For the others, every spelling that differs
    only in accents, case or spacing becomes the most informative one (accents kept,
    then the most used); a surname seen alone ("Managarov") becomes the one full name
    in the corpus that ends in it, when there is exactly one.
    """
    known = set(authority.by_name)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for persons in person_lists:
        for name in persons:
            if name not in known:
                spellings[compact_key(name)][name] += 1
    chosen = {
        key: max(counts, key=lambda name: (accent_count(name), counts[name], len(name)))
        for key, counts in spellings.items()
    }
    by_surname: dict[str, set[str]] = defaultdict(set)
    for name in known | {n for n in chosen.values() if len(n.split()) > 1}:
        by_surname[compact_key(surname_of(name, authority.lexicon))].add(name)
    # Surnames within one edit of each other share a one-letter deletion (or are one):
    # candidates come from that index, then surnames_match decides, as before, without
    # comparing every single-word name with every surname in the corpus.
    near: dict[str, set[str]] = defaultdict(set)
    for surname in by_surname:
        for variant in _one_deletion(surname):
            near[variant].add(surname)
    replace: dict[str, str] = {}
    for key, name in chosen.items():
        replace[key] = name
        if len(name.split()) == 1:
            candidates = {
                surname for variant in _one_deletion(key) for surname in near.get(variant, ())
            }
            owners = {
                n
                for surname in candidates
                if surnames_match(surname, key)
                for n in by_surname[surname]
            }
            if len(owners) == 1:
                replace[key] = owners.pop()
    return replace


def unify_persons(records: list[Record], authority: Authority) -> None:
    """Every record's persons under the one spelling the corpus settles on."""
    known = set(authority.by_name)
    replace = replacements_for_unknown_persons((record.persons for record in records), authority)
    for record in records:
        names = [name if name in known else replace[compact_key(name)] for name in record.persons]
        record.persons = list(dict.fromkeys(names))
