"""A document's text from every reader, and the bad input around it: overlong texts,
malformed list cells, broken list values, a text that is not text. Each is a problem naming
its file and item, and the record is kept."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.records.text import clean_paragraphs, clean_text, cut_at_whitespace
from indexer.sources import Problem, RawRecord, read_file
from indexer.sources import base as sources_base
from indexer.sources.base import MAX_TEXT_CHARACTERS, MAX_VALUE_CHARACTERS
from indexer.sources.csv_export import CsvExportReader
from indexer.sources.ingest import ingest


def split(items):
    items = list(items)
    records = [i for i in items if isinstance(i, RawRecord)]
    problems = [i for i in items if isinstance(i, Problem)]
    return records, problems


def csv_bodies(sample_csv: Path) -> dict[str, str]:
    """Record ID -> text_body, read with the csv module alone."""
    with sample_csv.open(encoding="utf-8", newline="") as handle:
        return {row["record_id"]: row["text_body"] for row in csv.DictReader(handle)}


def paragraphs_of(body: str) -> list[str]:
    """What the text should be, worked out apart from the readers: the export writes one
    paragraph a line; spaces inside one are collapsed."""
    return [" ".join(line.split()) for line in body.splitlines() if line.strip()]


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = ["title", "original_publication_date", "summary", "associated_places", "text_body"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({"original_publication_date": "May 1, 1950", "summary": "S."} | row)
    return path


# -- the archive sample -------------------------------------------------------------------


def test_the_csv_export_gives_each_records_text_body_as_paragraphs(sample_csv):
    records, problems = split(read_file(sample_csv))
    assert problems == []
    bodies = csv_bodies(sample_csv)
    assert len(records) == len(bodies) == 11
    for record in records:
        expected = paragraphs_of(bodies[record.record_id])
        paragraphs = record.text.split("\n\n")
        assert len(paragraphs) == len(expected), record.title
        assert record.text[:50] == "\n\n".join(expected)[:50]
        assert record.text[-50:] == "\n\n".join(expected)[-50:]
        assert paragraphs == expected


def test_record_pages_give_the_text_of_their_active_tab_pane(record_pages, sample_csv):
    """The sample's pages hold the first 1,500 or so characters of each text, a <p> a line
    of the export: each page's text is where its CSV text starts, paragraph for paragraph."""
    bodies = csv_bodies(sample_csv)
    for page in record_pages:
        (record,), problems = split(read_file(page))
        assert problems == [], page
        pane = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").select_one(
            ".tab-pane.active"
        )
        paragraphs = record.text.split("\n\n")
        assert len(paragraphs) == len(pane.find_all("p")), page
        expected = paragraphs_of(bodies[record.record_id])
        assert record.text[:50] == "\n\n".join(expected)[:50]
        assert paragraphs[:-1] == expected[: len(paragraphs) - 1]
        assert expected[len(paragraphs) - 1].startswith(paragraphs[-1])
        assert 1_000 < len(record.text) < 2_000


def test_a_record_page_and_its_csv_row_are_one_record_with_the_whole_text(sample_dir, sample_csv):
    page = (
        sample_dir / "records" / "statement-nakajima-kenzo-chairman-board-opposing-visit-prime.html"
    )
    (page_copy,), _ = split(read_file(page))
    result = ingest([page, sample_csv])
    assert result.report.problems == []
    assert (result.report.items, result.report.records) == (12, 11)
    (record,) = [r for r in result.records if r.record_id == page_copy.record_id]
    assert sorted(Path(s.split("#")[0]).name for s in record.sources) == [
        page.name,
        sample_csv.name,
    ]
    # The page shows the text's start; the export has all of it, and the longer text wins.
    expected = "\n\n".join(paragraphs_of(csv_bodies(sample_csv)[record.record_id]))
    assert record.text == expected
    assert record.text.startswith(page_copy.text) and len(page_copy.text) < len(expected)
    assert record.to_dict()["text"] == expected


def test_a_cp1252_export_with_a_text_body_is_read_and_reported_as_before(tmp_path):
    export = tmp_path / "export.csv"
    data = (
        "title,original_publication_date,summary,text_body\r\n"
        '"Caf\u00e9 talks","May 1, 1950","A summary.",'
        '"He said \u201cno\u201d.\r\n\r\nThe end \u2013 signed."\r\n'
    ).encode("cp1252")
    export.write_bytes(data)
    first_byte_not_utf8 = data.index("\u00e9".encode("cp1252"))
    result = ingest([export])
    assert [str(p) for p in result.report.problems] == [
        f"{export}, byte {first_byte_not_utf8}: not valid UTF-8; read it as cp1252"
    ]
    (record,) = result.records
    assert record.title == "Caf\u00e9 talks"
    assert record.text == "He said \u201cno\u201d.\n\nThe end \u2013 signed."


# -- the text: paragraphs and its limit ---------------------------------------------------


@pytest.mark.parametrize(
    "paragraphs, text",
    [
        ([], ""),
        (["", "  ", "\t"], ""),
        (["One  line\twith   spaces "], "One line with spaces"),
        (["First", "", "Second"], "First\n\nSecond"),
        (["a\u00a0b\u200bc", "\x00d\x07"], "a bc\n\nd"),
        (["First\n\nSecond"], "First Second"),  # clean_paragraphs is given paragraphs, not text
    ],
)
def test_paragraphs_are_cleaned_and_joined_by_a_blank_line(paragraphs, text):
    assert clean_paragraphs(paragraphs) == text


@pytest.mark.parametrize(
    "text, limit, kept",
    [
        ("short", 10, "short"),
        ("one two three", 9, "one two"),
        ("one two three", 7, "one two"),
        ("one\n\ntwo three", 8, "one\n\ntwo"),
        ("one two", 3, "one"),
        ("abcdefghij klm", 5, "abcde"),  # no whitespace in its second half: cut hard
    ],
)
def test_an_overlong_text_is_cut_at_a_whitespace(text, limit, kept):
    assert cut_at_whitespace(text, limit) == kept


@given(text=st.text(alphabet=st.sampled_from("ab \n"), max_size=60), limit=st.integers(1, 40))
def test_a_cut_text_is_the_start_of_the_text_and_ends_before_a_space(text, limit):
    kept = cut_at_whitespace(text, limit)
    assert text.startswith(kept) and len(kept) <= limit
    if len(text) > limit:
        hard = not re.search(r"\s", text[limit // 2 + 1 : limit + 1])
        assert hard or text[len(kept)].isspace()


# clean_text drops C0 control characters after it composes accents, so a control character
# between a letter and its accent leaves text it would change again: left out here.
_TEXT_CHARACTERS = st.characters(blacklist_categories=("Cc",)) | st.sampled_from("\n\r\t \u2028")


@given(st.lists(st.text(_TEXT_CHARACTERS, max_size=30), max_size=6))
def test_a_text_read_again_is_the_same_text(paragraphs):
    """What JSON Lines writes reads back unchanged."""
    text = clean_paragraphs(paragraphs)
    assert clean_paragraphs(text.splitlines()) == text
    assert "\n\n\n" not in text and text == text.strip()


def test_a_5_mb_text_body_keeps_its_first_million_characters(tmp_path):
    export = write_csv(
        tmp_path / "export.csv", [{"title": "Huge", "text_body": "word " * 1_000_000}]
    )
    (record,), problems = split(read_file(export))
    assert record.title == "Huge" and record.summary == "S."
    assert len(record.text) <= MAX_TEXT_CHARACTERS == 1_000_000
    assert record.text.endswith(" word") and MAX_TEXT_CHARACTERS - len(record.text) < 5
    assert problems == [
        Problem(
            str(export),
            "row 1, column text_body",
            "text is 4,999,999 characters",
            f"kept the first {len(record.text):,}",
        )
    ]


PAGE = """<!DOCTYPE html><html><head><title>{title} | Wilson Center Digital Archive</title></head>
<body><main><div class="document-header"><div class="date">May 1, 1950</div>
<h1 class="title">{title}</h1></div>
<div class="tab-content"><div class="tab-pane active">{text}</div></div>
<div class="summary"><h2 class="title">Summary</h2><div class="text-block"><p>S.</p></div></div>
{lists}
</main></body></html>"""


def pills(heading: str, names: list[str]) -> str:
    pill = '<div class="pill"><a class="name"><span>{}</span></a></div>'
    body = "".join(pill.format(name) for name in names)
    return (
        f'<div class="pill-block"><h2 class="title">{heading}</h2>'
        f'<div class="pills">{body}</div></div>'
    )


def test_an_overlong_text_is_cut_in_every_reader(tmp_path, monkeypatch):
    monkeypatch.setattr(sources_base, "MAX_TEXT_CHARACTERS", 20)
    page = tmp_path / "page.html"
    page.write_text(
        PAGE.format(title="Cable", text="<p>One two three</p><p>four five six</p>", lists=""),
        encoding="utf-8",
    )
    lines = tmp_path / "records.jsonl"
    lines.write_text(json.dumps({"title": "Cable", "text": "One two three four five six"}) + "\n")
    for path, item, text in [
        (page, "record page", "One two three\n\nfour"),
        (lines, "line 1", "One two three four"),
    ]:
        (record,), problems = split(read_file(path))
        assert record.text == text
        expected_reason = f"text is {28 if path == page else 27} characters"
        assert problems == [
            Problem(str(path), item, expected_reason, f"kept the first {len(text)}")
        ]


# -- list cells in the CSV export ---------------------------------------------------------

_DROPPED_CELL = "kept the row without that column"


@pytest.mark.parametrize(
    "cell, places, reason, action",
    [
        ('["Korea", "China"]', ["Korea", "China"], None, None),
        ("[]", [], None, None),
        ("", [], None, None),
        ("Korea; China", ["Korea", "China"], None, None),
        ('"Big" Bill; Korea', ['"Big" Bill', "Korea"], None, None),
        ('["Korea", ', [], "not a readable list (Expecting value", _DROPPED_CELL),
        ("[Korea, China]", [], "not a readable list (Expecting value", _DROPPED_CELL),
        ("[" * 5000, [], "not a readable list (", _DROPPED_CELL),
        ('{"place": "Korea"}', [], "not a list but a JSON object", _DROPPED_CELL),
        ('"Korea"', ["Korea"], "a JSON string, not a list", "read it as one value"),
        (
            '["Korea", 1950, null]',
            ["Korea"],
            "2 of its 3 values are not text ('[1950, null]')",
            "dropped them, kept the other 1",
        ),
        ('[["Korea"]]', [], "1 of its 1 values is not text", "dropped it, kept the other 0"),
    ],
)
def test_a_malformed_list_cell_is_reported_with_its_column(tmp_path, cell, places, reason, action):
    export = write_csv(
        tmp_path / "export.csv",
        [
            {"title": "Cable", "associated_places": cell},
            {"title": "Next", "associated_places": '["Japan"]'},
        ],
    )
    records, problems = split(read_file(export))
    assert [r.title for r in records] == ["Cable", "Next"]
    assert records[0].places == places and records[1].places == ["Japan"]
    if reason is None:
        assert problems == []
    else:
        (problem,) = problems
        assert (problem.file, problem.item, problem.action) == (
            str(export),
            "row 1, column associated_places",
            action,
        )
        assert problem.reason.startswith(reason)


@pytest.mark.parametrize(
    "values, places, reasons",
    [
        (["Korea", "korea", " KOREA ", "Ko  rea", "China"], ["Korea", "China"], []),
        (["  North\n Korea  "], ["North Korea"], []),
        (["Korea", "", "   "], ["Korea"], []),
        (["Korea\u0001", "China"], ["China"], ["value 'Korea\\x01' holds control characters"]),
        (["Korea\u0085"], [], ["value 'Korea\\x85' holds control characters"]),
        (
            ["x" * (MAX_VALUE_CHARACTERS + 1), "China"],
            ["China"],
            [f"value '{'x' * 60}\u2026' is 201 characters (more than 200)"],
        ),
        (["y" * MAX_VALUE_CHARACTERS], ["y" * MAX_VALUE_CHARACTERS], []),
    ],
)
def test_list_values_are_cleaned_and_broken_ones_dropped(tmp_path, values, places, reasons):
    export = write_csv(
        tmp_path / "export.csv", [{"title": "Cable", "associated_places": json.dumps(values)}]
    )
    (record,), problems = split(read_file(export))
    assert record.places == places
    assert [(p.file, p.item, p.reason, p.action) for p in problems] == [
        (str(export), "row 1, column associated_places", reason, "dropped the value")
        for reason in reasons
    ]


def _reading(cell: str) -> list[str] | None:
    """The values of a well-formed list cell (a JSON array of strings, or plain text that
    does not open like JSON), before cleaning; None for a cell the reader must report."""
    cell = cell.strip()
    try:
        parsed = json.loads(cell)
    except (ValueError, RecursionError):
        parsed = ValueError
    if cell.startswith(("[", "{")):
        if isinstance(parsed, list) and all(isinstance(item, str) for item in parsed):
            return parsed
        return None
    if cell.startswith('"') and parsed is not ValueError:
        return None
    return cell.split(";") if cell else []


def _clean_values(raw: list[str]) -> list[str] | None:
    values: list[str] = []
    for value in raw:
        if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", value):
            return None
        value = clean_text(value)
        if len(value) > MAX_VALUE_CHARACTERS:
            return None
        if value and "".join(value.casefold().split()) not in {
            "".join(v.casefold().split()) for v in values
        }:
            values.append(value)
    return values


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
_CELLS = st.one_of(
    st.text(max_size=40),
    st.lists(st.text(max_size=15), max_size=5).map(json.dumps),
    st.lists(st.text(max_size=15), max_size=5).map(lambda v: json.dumps(v, ensure_ascii=False)),
    _JSON.map(json.dumps),
    # A JSON array cut anywhere: a broken export.
    st.tuples(st.lists(st.text(max_size=10), max_size=4), st.integers(0, 60)).map(
        lambda cut: json.dumps(cut[0])[: cut[1]]
    ),
    st.lists(
        st.sampled_from(["Korea", " korea", "China ", "", "\x01", ";", "x" * 201]), max_size=5
    ).map(";".join),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(cell=_CELLS)
def test_any_list_cell_gives_a_clean_list_or_a_problem(cell):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["title", "associated_places", "summary"])
    writer.writerow(["Cable", cell, "S."])
    (record,), problems = split(CsvExportReader().read(buffer.getvalue(), "cells.csv"))
    assert record.title == "Cable"
    keys = ["".join(value.casefold().split()) for value in record.places]
    assert len(keys) == len(set(keys))
    for value in record.places:
        assert value and value == clean_text(value) and len(value) <= MAX_VALUE_CHARACTERS
        assert not re.search(r"[\x00-\x1f\x7f-\x9f]", value)
    assert all(
        (p.file, p.item) == ("cells.csv", "row 1, column associated_places") for p in problems
    )
    raw = _reading(cell)
    expected = None if raw is None else _clean_values(raw)
    if expected is None:
        assert problems, cell
    else:
        assert problems == [] and record.places == expected


# -- record pages -------------------------------------------------------------------------


def test_record_page_lists_drop_empty_and_broken_values_and_read_the_rest(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        PAGE.format(
            title="Cable",
            text=(
                "<p>First <em>para</em>graph,\n  wrapped.</p>"
                "<p>Second<br>line</p><div>Third</div>tail"
            ),
            lists="".join(
                [
                    pills("Associated Places", ["", "  ", "Korea\x01", "korea", "KOREA ", "China"]),
                    pills("Subjects Discussed", []),
                    '<div class="pill-block"><h2 class="title">Language</h2></div>',
                    (
                        '<div class="pill-block"><h2 class="title">Original Archive</h2>'
                        '<div class="pills"><div class="pill"></div>'
                        '<div class="pill"><a class="name"></a></div>'
                        '<div class="pill">Archive of the President</div></div></div>'
                    ),
                    pills("Author(s)", ["z" * 300]),
                ]
            ),
        ),
        encoding="utf-8",
    )
    (record,), problems = split(read_file(page))
    assert record.text == "First paragraph, wrapped.\n\nSecond\n\nline\n\nThird\n\ntail"
    assert record.places == ["korea", "China"]
    assert record.subjects == [] and record.languages == [] and record.authors == []
    assert record.original_archive == ["Archive of the President"]
    assert [(p.file, p.item, p.reason[:40], p.action) for p in problems] == [
        (
            str(page),
            "record page",
            "Associated Places value 'Korea\\x01' hold",
            "dropped the value",
        ),
        (str(page), "record page", f"Author(s) value '{'z' * 23}", "dropped the value"),
    ]
    assert problems[1].reason.endswith("is 300 characters (more than 200)")


def test_labels_inside_the_text_label_the_text_not_the_record(tmp_path):
    """A transcript's own "Summary", "Source" or "Language" is part of its text."""
    page = tmp_path / "page.html"
    page.write_text(
        PAGE.format(
            title="Cable",
            text=(
                "<h2>Summary</h2><p>Of the talks.</p><p><strong>Source:</strong> Embassy</p>"
                "<p><strong>Language</strong></p><ul><li>Morse</li></ul>"
            ),
            lists=(
                '<div class="information-block"><h3 class="sub-title">Source</h3>'
                '<div class="text"><p>BArch</p></div></div>' + pills("Language", ["German"])
            ),
        ),
        encoding="utf-8",
    )
    (record,), problems = split(read_file(page))
    assert problems == []
    assert (record.summary, record.source_note, record.languages) == ("S.", "BArch", ["German"])
    assert record.text == "Summary\n\nOf the talks.\n\nSource: Embassy\n\nLanguage\n\nMorse"


ACTIVE = '<div class="tab-pane active">{}</div>'
PANE = '<div class="tab-pane">{}</div>'


@pytest.mark.parametrize(
    "panes, text",
    [
        (ACTIVE.format("<p>Shown</p>") + PANE.format("<p>Hidden</p>"), "Shown"),
        (PANE.format("<p>Hidden</p>") + ACTIVE.format("<p>Shown</p>"), "Shown"),
        (ACTIVE.format(" ") + PANE.format("<p>Other</p>"), "Other"),
        (ACTIVE.format("<!-- a comment --><p>a<b>b</b>c</p>"), "abc"),
        (ACTIVE.format("<ul><li>one</li><li>two</li></ul>"), "one\n\ntwo"),
        ("", ""),
    ],
)
def test_the_text_is_the_active_tab_pane(tmp_path, panes, text):
    page = tmp_path / "page.html"
    page.write_text(
        PAGE.format(title="Cable", text="", lists="").replace(
            '<div class="tab-content"><div class="tab-pane active"></div></div>', panes
        ),
        encoding="utf-8",
    )
    (record,), problems = split(read_file(page))
    assert problems == [] and record.text == text


# -- JSON Lines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, kind",
    [(["a", "b"], "array"), (5, "number"), ({"a": 1}, "object"), (True, "boolean")],
)
def test_a_json_lines_text_that_is_not_a_string_is_reported_and_ignored(tmp_path, value, kind):
    lines = tmp_path / "records.jsonl"
    lines.write_text(
        json.dumps({"title": "Cable", "summary": "S.", "text": value, "places": ["Korea"]})
        + "\n"
        + json.dumps({"title": "Next", "text": "Its text."})
        + "\n",
        encoding="utf-8",
    )
    (first, second), problems = split(read_file(lines))
    assert (first.title, first.summary, first.places, first.text) == ("Cable", "S.", ["Korea"], "")
    assert second.text == "Its text."
    assert problems == [
        Problem(
            str(lines),
            "line 1",
            f"text is not a string but a JSON {kind}",
            "ignored it, kept the record",
        )
    ]


def test_json_lines_text_and_lists_are_cleaned_like_every_source(tmp_path):
    lines = tmp_path / "records.jsonl"
    lines.write_text(
        json.dumps(
            {
                "title": "Cable",
                "text": "First  para\n\n\nSecond\r\n",
                "places": ["Korea\u0001", "x" * 201, "China", "china "],
            }
        )
        + "\n"
        + json.dumps({"title": "Null text", "text": None})
        + "\n",
        encoding="utf-8",
    )
    (record, untexted), problems = split(read_file(lines))
    assert record.text == "First para\n\nSecond" and untexted.text == ""
    assert record.places == ["China"]
    assert [(p.item, p.reason[:22], p.action) for p in problems] == [
        ("line 1", "places value 'Korea\\x0", "dropped the value"),
        ("line 1", "places value 'xxxxxxxx", "dropped the value"),
    ]


def test_a_records_text_reads_back_from_json_lines(sample_csv, tmp_path):
    first = ingest([sample_csv]).records
    out = tmp_path / "records.jsonl"
    out.write_text("".join(json.dumps(r.to_dict()) + "\n" for r in first), encoding="utf-8")
    again = ingest([out])
    assert again.report.problems == []
    assert [r.text for r in again.records] == [r.text for r in first]
    assert all(r.text for r in first)


def test_a_json_line_nested_too_deep_is_reported_not_raised(tmp_path):
    lines = tmp_path / "records.jsonl"
    lines.write_text(json.dumps({"title": "Cable"}) + "\n" + "[" * 100_000 + "\n", encoding="utf-8")
    (record,), problems = split(read_file(lines))
    assert record.title == "Cable"
    assert [(p.item, p.action) for p in problems] == [("line 2", "skipped the line")]
