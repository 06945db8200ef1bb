"""What the researcher's pages cost: people pages, related records and citations.

    python bench/pages.py --records 100000 --samples 200      # part of `make bench`

Builds an index of the corpus (or uses --index), then times through the real Flask app
(its test client, one process, after one warm-up request): the first people list of a
generation (worked out once, timed on a fresh Engine),
/people, a person's page for the most and least named persons, /api/people/<slug>,
Engine.related alone, and record pages (related records and a Chicago citation
included) for random records. Prints p50/p95 in milliseconds and writes JSON to
bench/results/pages-<date>.json.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import write_corpus  # noqa: E402
from bench.perf import build_quietly  # noqa: E402
from indexer.search import Engine, make_query  # noqa: E402
from webapp import create_app  # noqa: E402


def timed(action: Callable[[], object], repeat: int) -> dict[str, float]:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        seconds.append((time.perf_counter() - started) * 1000)
    seconds.sort()
    return {
        "p50_ms": round(statistics.median(seconds), 2),
        "p95_ms": round(seconds[min(len(seconds) - 1, int(len(seconds) * 0.95))], 2),
        "n": len(seconds),
    }


def get_ok(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


@click.command()
@click.option("--corpus", type=click.Path(path_type=Path))
@click.option("--records", type=int, default=None, help="Generate (once) a corpus of this size.")
@click.option("--index", "index_path", type=click.Path(path_type=Path))
@click.option("--samples", default=200, show_default=True)
@click.option("--seed", default=1, show_default=True)
def main(
    corpus: Path | None, records: int | None, index_path: Path | None, samples: int, seed: int
) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    if records is not None:
        corpus = write_corpus(records)
    if index_path is None:
        if corpus is None:
            raise click.UsageError("give --corpus to build, or --index")
        index_path = work / "index"
        started = time.perf_counter()
        build_quietly(corpus, index_path)
        print(f"built {corpus.name} in {time.perf_counter() - started:.1f} s")
    engine = Engine(index_path)
    records = engine.info.records  # the index's count from here on
    started = time.perf_counter()
    people = engine.people()
    first_people_ms = (time.perf_counter() - started) * 1000
    # No rate limit: one client asks hundreds of times a second here.
    app = create_app({"INDEX_PATH": str(index_path), "TESTING": True, "API_RATE_LIMIT": ""})
    client = app.test_client()
    get_ok(client, "/people")  # the app's own engine opens the index and lists people once
    most = max(people, key=lambda person: person.count)
    least = min(people, key=lambda person: person.count)
    rng = random.Random(seed)
    pages = max(1, min(records // 100, 10_000))
    chosen = [
        rng.choice(
            engine.search(make_query(sort="date", page=rng.randint(1, pages), per_page=100)).results
        ).id
        for _ in range(samples)
    ]
    ids = iter(chosen * 3)
    results = {
        "records": records,
        "people": len(people),
        "most_named": {"name": most.name, "count": most.count},
        "first_people_list_ms": round(first_people_ms, 1),
        "people_page": timed(lambda: get_ok(client, "/people"), 20),
        "people_filter": timed(lambda: get_ok(client, "/people?q=zhou"), 20),
        "person_page_most_named": timed(lambda: get_ok(client, f"/people/{most.slug}"), 20),
        "person_page_least_named": timed(lambda: get_ok(client, f"/people/{least.slug}"), 20),
        "person_api_most_named": timed(lambda: get_ok(client, f"/api/people/{most.slug}"), 20),
        "related_alone": timed(lambda: engine.related(next(ids)), samples),
        "record_page": timed(lambda: get_ok(client, f"/records/{next(ids)}"), samples),
        "cite_api_apa": timed(
            lambda: get_ok(client, f"/api/records/{next(ids)}/cite?style=apa"), samples
        ),
    }
    print(json.dumps(results, indent=2))
    out = ROOT / "bench" / "results" / f"pages-{date.today().isoformat()}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
