"""Archive date strings -> an ISO date at the precision the archive gave.

The archive writes "January 22, 1950", "February, 1950" or just "1956". A historian
must see exactly that precision: "February, 1950" is a month, not February 1st. We
parse with python-dateutil twice, with two different default dates: a part that
differs between the two parses was filled in by the default, not by the archive, so
it is dropped. Nothing is ever invented.

Decisions for the forms that are not a plain date (see docs/records.md):
- circa ("c. 1950", "ca. 1950", "circa 1950", "[1950]", "1950?"): the date at its
  precision, with ``circa`` set.
- ranges ("1950-1953", "January-April 1953", "May 12-15, 1950",
  "January 1950 - March 1951"), and decades ("1950s"): the date is the start at its
  precision and ``end`` the end at its own, so the index can give the record its
  whole span.
- undated ("Undated", "n.d.", "No date", empty): no date, and no problem either:
  the archive says so itself.
- anything else that still holds a single four-digit year: that year, with a note
  saying what was kept; without a year: no date, with a note.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from dateutil import parser as dateutil_parser

DAY, MONTH, YEAR = "day", "month", "year"
PRECISIONS = (DAY, MONTH, YEAR)
MIN_YEAR, MAX_YEAR = 1000, 2100

_DEFAULT_A = datetime(1, 1, 1)
_DEFAULT_B = datetime(2, 2, 2)
_YEAR = re.compile(r"(?<!\d)(1\d{3}|20\d{2})(?!\d)")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_UNDATED = re.compile(
    r"^(?:undated|n\.?\s?d\.?|no date|not dated|date unknown|unknown|none|null|n/?a|-+)$",
    re.IGNORECASE,
)
_CIRCA = re.compile(
    r"^(?:c\.|ca\.?|circa|approx\.?|approximately|about|around)\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"^\[(?P<rest>[^\]]+)\]$")
_QUESTIONED = re.compile(r"^(?P<rest>.+?)\s*\?$")
_DECADE = re.compile(r"^(?P<decade>1\d{2}0|20\d0)'?s$", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"^(?P<start>1\d{3}|20\d{2})\s*(?:-|/|to)\s*(?P<end>\d{2}|\d{4})$")
_RANGE_SEPARATOR = re.compile(r"\s*(?:\s-\s|-|\bto\b|\buntil\b|\bthrough\b)\s*", re.IGNORECASE)
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u00a0": " "})


@dataclass(frozen=True)
class ArchiveDate:
    """A date as precise as the archive gave it, and no more."""

    iso: str | None
    precision: str | None
    year: int | None
    end: str | None = None
    circa: bool = False
    note: str | None = None

    @property
    def is_dated(self) -> bool:
        return self.iso is not None


UNDATED = ArchiveDate(None, None, None)


def to_iso(day: date, precision: str) -> str:
    """The ISO text of a date at a precision: 1950-02-21, 1950-02 or 1950."""
    if precision == DAY:
        return day.isoformat()
    if precision == MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def parse_iso(text: str) -> tuple[date, str]:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD strictly; raise ValueError saying what is wrong."""
    match = _ISO.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year_text, month_text, day_text = match.groups()  # a day only ever follows a month
    year = int(year_text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{text!r}: year {year} is out of range")
    if month_text is None:
        return date(year, 1, 1), YEAR
    month = int(month_text)
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r}: month {month} does not exist")
    if day_text is None:
        return date(year, month, 1), MONTH
    day = int(day_text)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"{text!r}: day {day} does not exist in that month")
    return date(year, month, day), DAY


def span(iso: str, end_iso: str | None = None) -> tuple[date, date]:
    """The first and last day a date (or range) covers: '1950-02' -> Feb 1..Feb 28, 1950."""
    start, _ = parse_iso(iso)
    last, precision = parse_iso(end_iso or iso)
    if precision == YEAR:
        return start, date(last.year, 12, 31)
    if precision == MONTH:
        return start, date(last.year, last.month, calendar.monthrange(last.year, last.month)[1])
    return start, last


_MONTHS = {
    **{calendar.month_name[n].lower(): n for n in range(1, 13)},
    **{calendar.month_abbr[n].lower(): n for n in range(1, 13)},
    "sept": 9,
}
_MONTH_FIRST = re.compile(r"^(?P<month>[A-Za-z]+)\.?(?:\s+(?P<day>\d{1,2}))?,?\s+(?P<year>\d{4})$")
_DAY_FIRST = re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\.?,?\s+(?P<year>\d{4})$")


def _parse_known_shape(text: str) -> tuple[date, str] | None:
    """The archive's own shapes ('January 22, 1950', 'February, 1950', '12 September 1996').

    A fast path only: it gives exactly what dateutil gives for these shapes (a test
    holds them equal), and anything it does not recognise goes to dateutil.
    """
    match = _MONTH_FIRST.match(text) or _DAY_FIRST.match(text)
    if not match or match.group("month").lower() not in _MONTHS:
        return None
    year, month = int(match.group("year")), _MONTHS[match.group("month").lower()]
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if match.group("day") is None:
        return date(year, month, 1), MONTH
    day = int(match.group("day"))
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day), DAY


def _parse_with_dateutil(text: str) -> tuple[date, str] | None:
    try:
        first = dateutil_parser.parse(text, default=_DEFAULT_A)
        second = dateutil_parser.parse(text, default=_DEFAULT_B)
    except (ValueError, OverflowError):
        return None
    written_years = {int(year) for year in _YEAR.findall(text)}
    if first.year != second.year or written_years != {first.year}:
        # dateutil read a day as the year ("May 12-15, 1950" -> 2015), or there are two years.
        return None
    if first.month != second.month:
        return date(first.year, 1, 1), YEAR
    if first.day != second.day:
        return date(first.year, first.month, 1), MONTH
    return first.date(), DAY


def _parse_single(text: str) -> tuple[date, str] | None:
    """One date at its precision, or None when it is not a single date."""
    text = _ORDINAL.sub("", text.strip().strip(",. ")).strip()
    if not text or not _YEAR.search(text):
        return None
    if _ISO.match(text):
        try:
            return parse_iso(text)
        except ValueError:
            return None
    return _parse_known_shape(text) or _parse_with_dateutil(text)


def _borrow_missing_parts(left: str, right: str) -> str:
    """Give the left side of 'January-April 1953' or 'May 12-15, 1950' what it leaves
    to the right."""
    if _YEAR.search(left):
        return left
    right_year = _YEAR.search(right)
    assert right_year is not None  # _parse_range only borrows from a right side with a year
    year = right_year.group(0)
    if left.strip().isdigit():
        # "12-15 May 1950" or "May 12-15, 1950": the left is a bare day.
        month = re.search(r"[A-Za-z]+\.?", right)
        return f"{left} {month.group(0)} {year}" if month else left
    return f"{left} {year}"


def _parse_range(text: str) -> ArchiveDate | None:
    years = _YEAR_RANGE.match(text)
    if years:
        start = int(years.group("start"))
        end_text = years.group("end")
        end = int(end_text) if len(end_text) == 4 else start // 100 * 100 + int(end_text)
        if end < start:
            return None
        return ArchiveDate(str(start), YEAR, start, end=str(end))
    month_day_range = re.match(r"^([A-Za-z]+\.?)\s+(\d{1,2})\s*-\s*(\d{1,2}),?\s+(\d{4})$", text)
    if month_day_range:
        month, first_day, last_day, year = month_day_range.groups()
        left, right = f"{month} {first_day}, {year}", f"{month} {last_day}, {year}"
    else:
        parts = _RANGE_SEPARATOR.split(text, maxsplit=1)
        if len(parts) != 2 or not _YEAR.search(parts[1]):
            return None
        left, right = _borrow_missing_parts(parts[0], parts[1]), parts[1]
    first, last = _parse_single(left), _parse_single(right)
    if not first or not last or last[0] < first[0]:
        return None
    return ArchiveDate(to_iso(*first), first[1], first[0].year, end=to_iso(*last))


@lru_cache(maxsize=65536)
def parse_archive_date(raw: str | None) -> ArchiveDate:
    """Read a date as the archive writes it; never raises, never invents a day or month."""
    text = re.sub(r"\s+", " ", (raw or "").translate(_DASHES)).strip().strip(",;")
    if not text or _UNDATED.match(text):
        return UNDATED
    circa = False
    for pattern in (_CIRCA, _BRACKETED, _QUESTIONED):
        match = pattern.match(text)
        if match:
            text, circa = match.group("rest").strip(), True
    decade = _DECADE.match(text)
    if decade:
        start = int(decade.group("decade"))
        return ArchiveDate(str(start), YEAR, start, end=str(start + 9), circa=circa)
    single = _parse_single(text)
    if single:
        return ArchiveDate(to_iso(*single), single[1], single[0].year, circa=circa)
    ranged = _parse_range(text)
    if ranged:
        return ArchiveDate(ranged.iso, ranged.precision, ranged.year, ranged.end, circa=circa)
    years = set(_YEAR.findall(text))
    if len(years) == 1:
        year = int(years.pop())
        return ArchiveDate(
            str(year),
            YEAR,
            year,
            circa=True,
            note=f"date {raw!r} is not a form we know; kept its year {year} as circa",
        )
    return ArchiveDate(
        None, None, None, note=f"date {raw!r} could not be read; record kept undated"
    )


_MONTH_NAMES = [calendar.month_name[number] for number in range(13)]


def format_archive_date(iso: str | None, precision: str | None) -> str:
    """The archive's own way of writing a date: 'January 22, 1950', 'February, 1950', '1956'."""
    if not iso or not precision:
        return "Undated"
    day, _ = parse_iso(iso)
    if precision == DAY:
        return f"{_MONTH_NAMES[day.month]} {day.day:02d}, {day.year}"
    if precision == MONTH:
        return f"{_MONTH_NAMES[day.month]}, {day.year}"
    return str(day.year)
