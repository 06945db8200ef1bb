"""People precision and recall against the hand-checked table tests/fixtures/people_gold.tsv.

Reads the real archive pages in ../shared (the two seed listings and the CSV export),
finds each record's persons with the same ingest a user runs, and compares them with
the table. Run: `make eval-people` (or `python bench/people_eval.py --verbose`).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.records.authority import Authority, load_authority  # noqa: E402
from indexer.records.text import compact_key, match_key  # noqa: E402
from indexer.sources.ingest import ingest  # noqa: E402

GOLD = ROOT / "tests" / "fixtures" / "people_gold.tsv"
TITLES = ROOT / "tests" / "fixtures" / "people_titles.tsv"
BLIND = ROOT / "tests" / "fixtures" / "people_blind.tsv"
SHARED = ROOT.parent / "shared"
CORPORA = {
    "seeds": [SHARED / "seeds"],
    "csv": [SHARED / "archive-sample" / "wilson_archive_sample.csv"],
}


@dataclass
class GoldRow:
    corpus: str
    date: str
    title: str
    persons: list[str]


def read_gold(path: Path = GOLD) -> list[GoldRow]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", "corpus\t")):
            continue
        corpus, date, title, persons = ([*line.split("\t"), ""])[:4]
        rows.append(
            GoldRow(corpus, date, title, [p.strip() for p in persons.split(";") if p.strip()])
        )
    return rows


def person_key(name: str, authority: Authority) -> str:
    """Compare names as persons: any authority form is its canonical name."""
    person = authority.resolve(name)
    return person.name if person else compact_key(name)


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def evaluate(verbose: bool = False) -> tuple[Score, list[str]]:
    authority = load_authority()
    gold = read_gold()
    score, report = Score(), []
    for corpus, paths in CORPORA.items():
        for path in paths:
            if not path.exists():
                raise SystemExit(
                    f"{path} is missing: the evaluation reads the shared archive sample"
                )
        records = {(match_key(r.title), r.date or ""): r for r in ingest(paths, authority).records}
        for row in (g for g in gold if g.corpus == corpus):
            record = records.get((match_key(row.title), row.date))
            if record is None:
                report.append(f"MISSING RECORD {corpus} {row.date} {row.title[:70]}")
                score.false_negatives += len(row.persons)
                continue
            expected = {person_key(p, authority) for p in row.persons}
            found = {person_key(p, authority) for p in record.persons}
            _tally(score, report, expected, found, f"{row.date} {row.title[:70]}", verbose)
    return score, report


def _tally(
    score: Score, report: list[str], expected: set, found: set, label: str, verbose: bool
) -> None:
    """Count one record's persons (compared as persons) and note any difference."""
    score.true_positives += len(expected & found)
    score.false_positives += len(found - expected)
    score.false_negatives += len(expected - found)
    if verbose or expected != found:
        report.append(
            f"{'ok  ' if expected == found else 'DIFF'} {label}\n"
            f"       extra: {sorted(found - expected)}  missed: {sorted(expected - found)}"
        )


def read_titles(path: Path = TITLES) -> list[tuple[int, str, list[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", "year\t")):
            continue
        year, title, persons = ([*line.split("\t"), ""])[:3]
        rows.append((int(year), title, [p.strip() for p in persons.split(";") if p.strip()]))
    return rows


def evaluate_titles(verbose: bool = False) -> tuple[Score, list[str]]:
    """Titles written apart from the corpus: how the rules do on names they were not built on."""
    from indexer.records.people import PersonFinder

    authority = load_authority()
    finder = PersonFinder(authority)
    score, report = Score(), []
    for year, title, persons in read_titles():
        expected = {person_key(p, authority) for p in persons}
        found = {person_key(p, authority) for p in finder.find(title, "", [], year).persons}
        _tally(score, report, expected, found, f"{year} {title[:70]}", verbose)
    return score, report


def same_person(gold: str, found: str, authority: Authority) -> bool:
    """One person, however each side wrote them: 'A.M. Puzanov' is 'Alexander Puzanov'."""
    if person_key(gold, authority) == person_key(found, authority):
        return True
    numerals = {"i", "ii", "iii", "iv", "v", "vi"}  # "Makarios III" is "Makarios"
    gold_words = [w for w in match_key(gold.replace(".", ". ")).split() if w not in numerals]
    found_words = [w for w in match_key(found.replace(".", ". ")).split() if w not in numerals]
    if not gold_words or not found_words or gold_words[-1] != found_words[-1]:
        return False
    return len(gold_words) == 1 or len(found_words) == 1 or gold_words[0][0] == found_words[0][0]


def score_sets(
    expected: list[str], found: list[str], authority: Authority, score: Score
) -> tuple[list[str], list[str]]:
    """Pair gold and found names one to one; return (extra, missed)."""
    unmatched = list(found)
    missed = []
    for gold in expected:
        match = next((f for f in unmatched if same_person(gold, f, authority)), None)
        if match is None:
            missed.append(gold)
        else:
            unmatched.remove(match)
            score.true_positives += 1
    score.false_positives += len(unmatched)
    score.false_negatives += len(missed)
    return unmatched, missed


def evaluate_blind(verbose: bool = False) -> tuple[Score, list[str]]:
    """Records written by someone who never saw this code: titles and summaries, no tags."""
    from indexer.records.people import PersonFinder

    authority = load_authority()
    finder = PersonFinder(authority)
    score, report = Score(), []
    for line in BLIND.read_text(encoding="utf-8").splitlines()[1:]:
        year, title, summary, persons = ([*line.split("\t"), ""])[:4]
        expected = [p.strip() for p in persons.split(";") if p.strip()]
        found = finder.find(title, summary, [], int(year)).persons
        extra, missed = score_sets(expected, found, authority, score)
        if verbose or extra or missed:
            report.append(
                f"{'ok  ' if not (extra or missed) else 'DIFF'} {year} {title[:70]}\n"
                f"       extra: {extra}  missed: {missed}"
            )
    return score, report


def _line(label: str, score: Score) -> str:
    return (
        f"{label}: precision {score.precision:.3f}, recall {score.recall:.3f} "
        f"({score.true_positives} right, {score.false_positives} extra, "
        f"{score.false_negatives} missed)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--verbose", action="store_true", help="list every record, not only the differences"
    )
    args = parser.parse_args()
    score, report = evaluate(args.verbose)
    title_score, title_report = evaluate_titles(args.verbose)
    blind_score, blind_report = evaluate_blind(args.verbose)
    print("\n".join(report + title_report + blind_report))
    print(_line("records in ../shared (seeds + CSV), 48 hand-checked", score))
    print(
        _line(
            f"titles written apart (tests/fixtures/people_titles.tsv), {len(read_titles())}",
            title_score,
        )
    )
    print(
        _line(
            "blind records by a writer who never saw the code "
            "(tests/fixtures/people_blind.tsv), 90",
            blind_score,
        )
    )


if __name__ == "__main__":
    main()
