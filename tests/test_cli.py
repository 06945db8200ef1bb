"""The `archive-search` command, run as a user runs it: output, report, errors as sentences."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.records import CORE_FIELDS


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
    assert cable["date"] == "1952-02-21" and cable["date_precision"] == "day" and cable["year"] == 1952
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
    script = [sys.executable, "-m", "indexer.cli", "records", str(seeds_dir / "004_fd41f8afa043c1fe.txt")]
    done = subprocess.run(script, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 20
