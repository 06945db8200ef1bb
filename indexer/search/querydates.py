"""year: and date: in the query text become the filters they mean.

A historian types ``Stalin year:1950`` or ``Korea date:>1952-06``. The year and date
filters already say exactly that, with their facet counts and chips, so a clause that
narrows the whole search is lifted out of the text into those filters: one meaning,
whichever way it was asked for (docs/search.md, "Dates in the query text").

| clause | filter |
|---|---|
| ``year:1950``, ``year:(1950 OR 1951)`` | the year facet (any of these years) |
| ``year:[1950 TO 1953]``, ``year:>=1950``, ``year:<1953`` | from/to, at year precision |
| ``date:1952-06`` | from 1952-06 to 1952-06 (the whole month) |
| ``date:[1950 TO 1952-06]``, ``date:>1952-06``, ``date:<=1953-03-05`` | from/to |

Braces and > / < exclude the bound: ``date:>1952-06`` starts with July 1952. A clause
inside brackets, after OR or NOT, or OR'd with something cannot be a filter of the whole
search: it is left in the text, where the parser refuses it with a reason, and
``lift_dates(text, force=True)`` gives the search with it as a filter, to offer instead.
A clause with a value that is not a year or a date is left out, with a note saying why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from indexer.records.dates import DAY, MAX_YEAR, MIN_YEAR, MONTH, YEAR, parse_iso, span, to_iso

DATE_FIELDS = ("year", "date")
MAX_LIFTED_YEARS = 20
_CLAUSE = re.compile(
    r"(?<![\w\\:.])(?P<field>year|date):(?P<value>"
    r"[\[{][^\[\]{}()\"]*[\]}]"  # a range
    r"|\([^()\"]*\)"  # a group of values
    r"|(?:>=|<=|>|<)?[^\s()\[\]{}\"]+)",  # one value, perhaps compared
    re.IGNORECASE,
)
_JOINS = {"OR", "NOT", "ANDNOT", "ANDMAYBE", "||", "!"}
_RANGE = re.compile(
    r"^(?P<open>[\[{])\s*(?P<start>\S*?)\s+TO\s+(?P<end>\S*?)\s*(?P<close>[\]}])$"
    r"|^(?P<open2>[\[{])\s*(?P<start2>\S*?)\s+TO\s*(?P<close2>[\]}])$"
    r"|^(?P<open3>[\[{])\s*TO\s+(?P<end3>\S*?)\s*(?P<close3>[\]}])$"
)


class DateClauseError(ValueError):
    """A year: or date: value that is not a year or a date, in words."""


@dataclass(frozen=True)
class LiftedDates:
    """The text without the clauses that became filters, and those filters."""

    text: str
    years: tuple[int, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    notes: tuple[str, ...] = ()
    nested: tuple[str, ...] = ()  # clauses left in the text: they cannot be filters there
    lifted: tuple[str, ...] = field(default=())


def lift_dates(text: str, force: bool = False) -> LiftedDates:
    """Lift every year:/date: clause that narrows the whole search out of ``text``.

    With ``force``, nested clauses are lifted too: the search to offer instead of one
    that cannot be read as it was typed.
    """
    years: list[int] = []
    froms: list[str] = []
    tos: list[str] = []
    notes: list[str] = []
    nested: list[str] = []
    lifted: list[str] = []
    cuts: list[tuple[int, int]] = []
    for match in _CLAUSE.finditer(text):
        if _inside_quotes(text, match.start()):
            continue
        clause = match.group(0)
        if not _narrows_everything(text, match.start(), match.end()):
            nested.append(clause)
            # Offered as a filter only when that keeps its meaning: "NOT year:1950" is
            # no year filter, so a negated clause is never offered.
            if not force or _negated(text, match.start()):
                continue
        cuts.append(_with_joining_operator(text, match.start(), match.end()))
        try:
            found_years, low, high = _meaning(match.group("field").lower(), match.group("value"))
        except DateClauseError as error:
            notes.append(f"{clause} was left out: {error}")
            continue
        lifted.append(clause)
        years += found_years
        froms += [low] if low else []
        tos += [high] if high else []
    date_from = max(froms, key=lambda iso: span(iso)[0]) if froms else None
    date_to = min(tos, key=lambda iso: span(iso)[1]) if tos else None
    if date_from and date_to and span(date_from)[0] > span(date_to)[1]:
        notes.append(f"the dates in the search exclude each other ({date_from} is after {date_to})")
        date_from = date_to = None
    if len(set(years)) > MAX_LIFTED_YEARS:
        notes.append(f"at most {MAX_LIFTED_YEARS} years can be picked; use year:[first TO last]")
        years = []
    return LiftedDates(
        _cut(text, cuts),
        tuple(sorted(set(years))),
        date_from,
        date_to,
        tuple(notes),
        tuple(nested),
        tuple(lifted),
    )


def _meaning(field_name: str, value: str) -> tuple[list[int], str | None, str | None]:
    """(years, from, to) that a clause's value means; DateClauseError when it means nothing."""
    parse = _year if field_name == "year" else _date
    if value.startswith("(") and field_name == "year":
        parts = [part for part in value[1:-1].split() if part.upper() != "OR"]
        if not parts or any(part.upper() in ("AND", "NOT") for part in parts):
            raise DateClauseError("year:( ) takes years joined by OR, such as year:(1950 OR 1953)")
        return [int(parse(part)) for part in parts], None, None
    if value.startswith("("):
        raise DateClauseError("date: takes one date or a range, such as date:[1950 TO 1952-06]")
    if value[:1] in "[{":
        return [], *_range(field_name, value, parse)
    for operator in (">=", "<=", ">", "<"):
        if value.startswith(operator):
            bound = parse(value[len(operator) :])
            if operator == ">":
                return [], _step(bound, 1), None
            if operator == ">=":
                return [], bound, None
            if operator == "<":
                return [], None, _step(bound, -1)
            return [], None, bound
    bound = parse(value)
    if field_name == "year":
        return [int(bound)], None, None
    return [], bound, bound


def _range(
    field_name: str, value: str, parse: Callable[[str], str]
) -> tuple[str | None, str | None]:
    match = _RANGE.match(value)
    if not match:
        example = "[1950 TO 1953]" if field_name == "year" else "[1950-06 TO 1953-03]"
        raise DateClauseError(f"a range after {field_name}: is written {field_name}:{example}")
    groups = {key: item for key, item in match.groupdict().items() if item is not None}
    opening = groups.get("open") or groups.get("open2") or groups.get("open3") or "["
    closing = groups.get("close") or groups.get("close2") or groups.get("close3") or "]"
    start = groups.get("start") or groups.get("start2") or ""
    end = groups.get("end") or groups.get("end3") or ""
    low = parse(start) if start not in ("", "*") else None
    high = parse(end) if end not in ("", "*") else None
    if low and opening == "{":
        low = _step(low, 1)
    if high and closing == "}":
        high = _step(high, -1)
    if low is None and high is None:
        raise DateClauseError(f"a range after {field_name}: needs a first or a last {field_name}")
    return low, high


def _year(text: str) -> str:
    text = text.strip()
    if re.fullmatch(r"\d{4}", text) and MIN_YEAR <= int(text) <= MAX_YEAR:
        return text
    hint = ""
    try:
        parse_iso(text)
        hint = f" (for a month or a day, use date:{text})"
    except ValueError:
        pass
    raise DateClauseError(f"year: takes a year such as 1950{hint}")


def _date(text: str) -> str:
    try:
        parsed, precision = parse_iso(text.strip())
    except ValueError:
        raise DateClauseError("date: takes a date such as 1952, 1952-06 or 1952-06-25") from None
    return to_iso(parsed, precision)


def _step(iso: str, direction: int) -> str:
    """The period after (1) or before (-1) ``iso``, at its own precision."""
    parsed, precision = parse_iso(iso)
    if precision == YEAR:
        year = min(MAX_YEAR, max(MIN_YEAR, parsed.year + direction))
        return f"{year:04d}"
    if precision == MONTH:
        months = parsed.year * 12 + parsed.month - 1 + direction
        year = min(MAX_YEAR, max(MIN_YEAR, months // 12))
        return to_iso(date(year, months % 12 + 1, 1), MONTH)
    first, last = span(iso)
    moved = date.fromordinal((last if direction > 0 else first).toordinal() + direction)
    return to_iso(moved, DAY) if MIN_YEAR <= moved.year <= MAX_YEAR else iso


def _inside_quotes(text: str, position: int) -> bool:
    return text.count('"', 0, position) % 2 == 1


def _depth(text: str, position: int) -> int:
    """Brackets open at ``position``, counting only those outside quotes."""
    depth = 0
    quoted = False
    for char in text[:position]:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth = max(0, depth - 1)
    return depth


def _narrows_everything(text: str, start: int, end: int) -> bool:
    """True when the clause at start..end is one of the search's top-level conjuncts:
    not in brackets, not negated, not joined by OR (or ANDNOT/ANDMAYBE) to a neighbour."""
    if _depth(text, start):
        return False
    before = text[:start].split()
    after = text[end:].split()
    if text[start - 1 : start] in ("-", "!") or (before and before[-1] in _JOINS):
        return False
    return not (after and after[0] in _JOINS)


_JOINING_BEFORE = re.compile(r"(?:\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)|&&|\|\|)\s*$")
_JOINING_AFTER = re.compile(r"\s*(?:(?:AND|OR|ANDNOT|ANDMAYBE)\b|&&|\|\|)")


def _negated(text: str, start: int) -> bool:
    before = text[:start].split()
    return text[start - 1 : start] in ("-", "!") or bool(
        before and before[-1] in ("NOT", "ANDNOT", "!")
    )


def _with_joining_operator(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause's span, widened over its sign and the operator that joined it to its
    neighbour (the one before, else the one after), so none is left dangling."""
    if text[start - 1 : start] in ("+", "-", "!"):
        start -= 1
    before = _JOINING_BEFORE.search(text[:start])
    if before:
        return before.start(), end
    after = _JOINING_AFTER.match(text[end:])
    if after:
        return start, end + after.end()
    return start, end


def _cut(text: str, cuts: list[tuple[int, int]]) -> str:
    kept, last = [], 0
    for start, end in sorted(cuts):
        kept.append(text[last : max(last, start)])
        last = max(last, end)
    kept.append(text[last:])
    tidy = re.sub(r"\s+", " ", "".join(kept))
    tidy = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", tidy))
    return re.sub(r"\(\)", "", tidy).strip()
