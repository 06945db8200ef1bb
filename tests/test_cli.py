"""The `archive-search` command, run as a user runs it: output, report, errors as sentences."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from indexer.cli import main

CORE_FIELDS = (
    "id",
    "title",
    "summary",
    "date",
    "date_precision",
    "year",
    "persons",
    "source_url",
    "sources",
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_records_prints_json_lines_and_a_report(runner, seeds_dir):
    result = runner.invoke(main, ["records", str(seeds_dir)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 37
    records = [json.loads(line) for line in lines]
    assert all(set(CORE_FIELDS) <= set(record) for record in records)
    assert result.stderr.strip().splitlines()[-1] == (
        "2 files read, 40 items (40 listing-text), 37 records, 3 merged duplicates, 0 problems"
    )
    cable = next(r for r in records if r["title"] == "Cable, Mao Zedong to Filippov [Stalin]")
    assert (
        cable["date"] == "1952-02-21" and cable["date_precision"] == "day" and cable["year"] == 1952
    )
    assert "Filippov" not in cable["persons"] and len(cable["persons"]) == 2


def test_problems_go_to_stderr_with_file_and_item_and_strict_fails(runner, tmp_path, seeds_dir):
    (tmp_path / "good.txt").write_bytes((seeds_dir / "000_2fa1fff422d2efeb.txt").read_bytes())
    (tmp_path / "bad.bin").write_bytes(b"\x00\x01\x02" * 100)
    relaxed = runner.invoke(main, ["records", str(tmp_path)])
    assert relaxed.exit_code == 0
    assert len(relaxed.stdout.splitlines()) == 20
    assert f"problem: {tmp_path / 'bad.bin'}: binary data" in relaxed.stderr
    strict = runner.invoke(main, ["records", "--strict", str(tmp_path)])
    assert strict.exit_code == 1
    assert "1 problems and --strict was given" in strict.stderr
    assert "Traceback" not in strict.output


def test_a_missing_path_is_a_sentence_not_a_traceback(runner, tmp_path):
    result = runner.invoke(main, ["records", "--strict", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert f"problem: {tmp_path / 'nope'}: no such file or directory; skipped it" in result.stderr
    assert "Traceback" not in result.output


def test_records_needs_a_source(runner):
    result = runner.invoke(main, ["records"])
    assert result.exit_code == 2
    assert "Missing argument 'SOURCES...'" in result.output


def test_the_installed_console_script_runs(seeds_dir):
    script = [
        sys.executable,
        "-m",
        "indexer.cli",
        "records",
        str(seeds_dir / "004_fd41f8afa043c1fe.txt"),
    ]
    done = subprocess.run(script, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 20


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory, seeds_dir):
    path = tmp_path_factory.mktemp("cli") / "index"
    result = CliRunner().invoke(main, ["build", str(seeds_dir), "--index", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("indexed 37 records (3 merged duplicates, 0 problems) into ")
    return path


def test_search_prints_the_records_as_the_archive_shows_them(runner, cli_index):
    result = runner.invoke(main, ["search", "Stalin", "--year", "1953", "--index", str(cli_index)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "1 - 4 of 4 results for 'Stalin'"
    assert (
        "  January 12, 1953" in lines
        and "  Ciphered Telegram from Vasilevsky and Sokolovsky to Stalin" in lines
    )
    assert sum(1 for line in lines if line.startswith("  id: ")) == 4


def test_search_json_is_the_engine_result(runner, cli_index):
    result = runner.invoke(main, ["search", "Molotv", "--json", "--index", str(cli_index)])
    data = json.loads(result.stdout)
    assert data["total"] == 0 and data["suggestion"] == "Molotov"
    # The seed listings give dates, persons and titles (whose types are a facet), nothing
    # else: a facet no record holds is left out.
    assert set(data["facets"]) == {"year", "person", "type"}


def test_search_says_when_it_read_plain_words(runner, cli_index):
    result = runner.invoke(main, ["search", '"Mao Zedong', "--index", str(cli_index)])
    assert "(searched as plain words: a quotation mark is not closed)" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "19x2"], "--year: year must be a whole number"),
        (["--from", "1950-13"], "--from: from: '1950-13': month 13 does not exist"),
        (["--page", "0"], "--page: page must be from 1 to 10000, not 0"),
    ],
)
def test_search_refuses_wrong_options_by_name(runner, cli_index, args, message):
    result = runner.invoke(main, ["search", "Stalin", *args, "--index", str(cli_index)])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_search_without_an_index_says_how_to_build_one(runner, tmp_path):
    result = runner.invoke(main, ["search", "Stalin", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "there is no index at" in result.output and "archive-search build" in result.output


def test_build_update_adds_records(runner, tmp_path, seeds_dir, listing_html):
    path = tmp_path / "index"
    runner.invoke(
        main, ["build", str(seeds_dir / "000_2fa1fff422d2efeb.txt"), "--index", str(path)]
    )
    result = runner.invoke(main, ["build", "--update", str(listing_html), "--index", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("updated 20 records")
    searched = runner.invoke(main, ["search", "--index", str(path), "--json"])
    assert json.loads(searched.stdout)["total"] == 37


def test_build_strict_builds_nothing_on_a_problem(runner, tmp_path, seeds_dir):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_bytes((seeds_dir / "000_2fa1fff422d2efeb.txt").read_bytes())
    (tmp_path / "src" / "b.bin").write_bytes(b"\x00" * 64)
    result = runner.invoke(
        main, ["build", "--strict", str(tmp_path / "src"), "--index", str(tmp_path / "index")]
    )
    assert result.exit_code == 1 and "nothing built" in result.output
    assert not (tmp_path / "index").exists()


def test_serve_without_an_index_is_one_sentence(runner, tmp_path):
    result = runner.invoke(main, ["serve", "--index", str(tmp_path / "none"), "--port", "1"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: there is no index at {tmp_path / 'none'}; build one with "
        f"`archive-search build data/ --index {tmp_path / 'none'}`"
    )


def test_serve_on_a_taken_port_is_one_sentence(runner, cli_index):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(main, ["serve", "--index", str(cli_index), "--port", str(port)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: port {port} on 127.0.0.1 is already in use; stop the other server or pass --port"
    )
