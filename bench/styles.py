"""How many of the installed CSL styles citeproc-py renders a record in.

    python bench/styles.py --sample 400 --seed 1      # a random sample
    python bench/styles.py                            # every installed style (minutes)

A style that fails is refused by name on the record page and the API (a 400); this
counts them, with the exception each raised inside citeproc-py.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import date

import click

from webapp.citations import StyleProblem, cite, installed_styles, style_name

RECORD = {
    "id": "r1",
    "title": "Cable, Mao Zedong to Filippov [Stalin]",
    "date": "1950-02",
    "date_precision": "month",
    "document_type": "Cable",
    "source_note": "APRF, f. 45, op. 1, d. 334",
    "original_archive": ["Archive of the President of the Russian Federation (APRF)"],
}


@click.command()
@click.option("--sample", type=int, default=0, help="Styles to draw at random (0: all).")
@click.option("--seed", type=int, default=1)
def main(sample: int, seed: int) -> None:
    names = installed_styles()
    chosen = random.Random(seed).sample(names, sample) if sample else names
    failures: Counter[str] = Counter()
    without_title = 0
    started = time.perf_counter()
    for name in chosen:
        try:
            cited = cite(RECORD, "https://example.org/r1", style_name(name), date(2026, 12, 2))
        except StyleProblem as problem:
            failures[type(problem.__cause__).__name__] += 1
            continue
        without_title += "Filippov" not in cited.bibliography_text
    seconds = time.perf_counter() - started
    rendered = len(chosen) - sum(failures.values())
    print(f"{len(names):,} styles installed; {len(chosen):,} tried in {seconds:.1f} s")
    print(f"rendered: {rendered:,} ({rendered / len(chosen):.1%}); refused: {dict(failures)}")
    print(f"rendered without the title in the bibliography entry: {without_title:,}")


if __name__ == "__main__":
    main()
