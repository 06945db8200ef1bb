"""Every form of date the archive writes, and the forms it might: precision is never invented."""

from datetime import date

import pytest

from indexer.records.dates import format_archive_date, parse_archive_date, parse_iso, span

DATE_FORMS = [
    # (as the archive writes it, iso, precision, year, end, circa)
    ("January 22, 1950", "1950-01-22", "day", 1950, None, False),
    ("September 01, 1952", "1952-09-01", "day", 1952, None, False),
    ("April 1, 1949", "1949-04-01", "day", 1949, None, False),
    ("12 September 1996", "1996-09-12", "day", 1996, None, False),
    ("1st April 1949", "1949-04-01", "day", 1949, None, False),
    ("1950-02-10", "1950-02-10", "day", 1950, None, False),
    ("February, 1950", "1950-02", "month", 1950, None, False),
    ("November 1967", "1967-11", "month", 1967, None, False),
    ("Feb 1950", "1950-02", "month", 1950, None, False),
    ("Sept. 1950", "1950-09", "month", 1950, None, False),
    ("1950-02", "1950-02", "month", 1950, None, False),
    ("1956", "1956", "year", 1956, None, False),
    ("  1956 ", "1956", "year", 1956, None, False),
    ("c. 1950", "1950", "year", 1950, None, True),
    ("ca. 1950", "1950", "year", 1950, None, True),
    ("circa February 1950", "1950-02", "month", 1950, None, True),
    ("[1950]", "1950", "year", 1950, None, True),
    ("1950?", "1950", "year", 1950, None, True),
    ("1950-1953", "1950", "year", 1950, "1953", False),
    ("1950\u20131953", "1950", "year", 1950, "1953", False),
    ("1950-53", "1950", "year", 1950, "1953", False),
    ("1950s", "1950", "year", 1950, "1959", False),
    ("January-April 1953", "1953-01", "month", 1953, "1953-04", False),
    ("May 12-15, 1950", "1950-05-12", "day", 1950, "1950-05-15", False),
    ("12-15 May 1950", "1950-05-12", "day", 1950, "1950-05-15", False),
    ("January 1950 - March 1951", "1950-01", "month", 1950, "1951-03", False),
]


@pytest.mark.parametrize("text, iso, precision, year, end, circa", DATE_FORMS)
def test_archive_date_forms(text, iso, precision, year, end, circa):
    parsed = parse_archive_date(text)
    assert (parsed.iso, parsed.precision, parsed.year, parsed.end, parsed.circa) == (
        iso,
        precision,
        year,
        end,
        circa,
    )
    assert parsed.note is None


@pytest.mark.parametrize(
    "text", ["", None, "Undated", "undated", "n.d.", "No date", "Date unknown", "-"]
)
def test_undated_forms_give_no_date_and_no_problem(text):
    parsed = parse_archive_date(text)
    assert parsed.iso is None and parsed.precision is None and parsed.year is None
    assert parsed.note is None


@pytest.mark.parametrize(
    "text, kept_year", [("Spring 1950", 1950), ("30 Feb 1950", 1950), ("Late 1962", 1962)]
)
def test_unknown_forms_keep_only_their_year_and_say_so(text, kept_year):
    parsed = parse_archive_date(text)
    assert (parsed.iso, parsed.precision, parsed.year, parsed.circa) == (
        str(kept_year),
        "year",
        kept_year,
        True,
    )
    assert text in parsed.note


@pytest.mark.parametrize("text", ["garbage", "the day after", "1953-1950", "February 21"])
def test_unreadable_dates_are_undated_with_a_note(text):
    parsed = parse_archive_date(text)
    assert parsed.iso is None
    assert parsed.note and "could not be read" in parsed.note


def test_dateutil_never_reads_a_day_as_the_year():
    # dateutil alone reads "May 12-15, 1950" as 2015-05-12.
    assert parse_archive_date("May 12-15, 1950").year == 1950


@pytest.mark.parametrize(
    "iso, first, last",
    [
        ("1950-02", date(1950, 2, 1), date(1950, 2, 28)),
        ("1952-02", date(1952, 2, 1), date(1952, 2, 29)),
        ("1956", date(1956, 1, 1), date(1956, 12, 31)),
        ("1950-01-22", date(1950, 1, 22), date(1950, 1, 22)),
    ],
)
def test_span_covers_the_whole_precision(iso, first, last):
    assert span(iso) == (first, last)


def test_span_of_a_range_runs_to_the_end_of_its_last_part():
    assert span("1953-01", "1953-04") == (date(1953, 1, 1), date(1953, 4, 30))


@pytest.mark.parametrize(
    "text, message",
    [
        ("1950-13", "month 13"),
        ("1950-02-30", "day 30"),
        ("yesterday", "YYYY"),
        ("19x2", "YYYY"),
        ("0999", "out of range"),
    ],
)
def test_parse_iso_rejects_with_a_reason(text, message):
    with pytest.raises(ValueError, match=message):
        parse_iso(text)


@pytest.mark.parametrize(
    "iso, precision, shown",
    [
        ("1950-01-22", "day", "January 22, 1950"),
        ("1952-09-01", "day", "September 01, 1952"),
        ("1950-02", "month", "February, 1950"),
        ("1956", "year", "1956"),
        (None, None, "Undated"),
    ],
)
def test_dates_are_shown_as_the_archive_writes_them(iso, precision, shown):
    assert format_archive_date(iso, precision) == shown


@pytest.mark.parametrize(
    "text", [t for t, *_ in DATE_FORMS if "-" not in t[4:] and t[-1:] != "s"][:12]
)
def test_format_then_parse_round_trips(text):
    parsed = parse_archive_date(text)
    assert parse_archive_date(format_archive_date(parsed.iso, parsed.precision)).iso == parsed.iso


def test_the_fast_path_gives_exactly_what_dateutil_gives():
    from indexer.records.dates import _parse_known_shape, _parse_with_dateutil

    forms = []
    for month in ("January", "February", "Sept.", "Sep", "Dec", "March"):
        for day in ("", " 1", " 01", " 9", " 28", " 29", " 30", " 31"):
            for year in ("1950", "1952", "1991"):
                forms += [f"{month}{day}, {year}", f"{month}{day} {year}"]
                if day:
                    forms.append(f"{day.strip()} {month} {year}")
    checked = 0
    for text in forms:
        fast = _parse_known_shape(text)
        if fast is not None:
            assert fast == _parse_with_dateutil(text), text
            checked += 1
    assert checked > 150
