"""`make fuzz`: query text from the grammar, 100,000 examples with a fixed seed, against
the engine and every HTTP route; prints how the texts were answered, per kind.

Each text must give results (perhaps with a plain-word fallback and its reason, or a
note on a year:/date: clause left out) or a QueryError naming q; each route 200 or a
400 naming a parameter. A failure is appended to tests/fixtures/query_regressions.jsonl,
which `make test` replays, and the run exits 1.

    python bench/fuzz.py --examples 100000 --http-examples 20000 --seed 20261201
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ["ARCHIVE_SEARCH_API_RATE_LIMIT"] = ""

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from query_grammar import QUERY_TEXT  # noqa: E402

from indexer.index.build import build_index  # noqa: E402
from indexer.search import Engine, QueryError, make_query  # noqa: E402
from indexer.sources.ingest import ingest  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.params import SEARCH_PARAMS  # noqa: E402

REGRESSIONS = ROOT / "tests" / "fixtures" / "query_regressions.jsonl"
ROUTES = ("/search", "/api/search", "/embed", "/search.atom", "/search.json")


def record_failure(text: str, error: str) -> None:
    """Keep every input that ever failed, once, for `make test` to replay."""
    known = {
        json.loads(line)["text"]
        for line in REGRESSIONS.read_text(encoding="utf-8").splitlines()
        if line
    }
    if text not in known:
        with REGRESSIONS.open("a", encoding="utf-8") as handle:
            entry = {"text": text, "error": error, "found": time.strftime("%Y-%m-%d")}
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--examples", type=int, default=100_000)
    options.add_argument("--http-examples", type=int, default=20_000)
    options.add_argument("--seed", type=int, default=20261201)
    args = options.parse_args()

    index = Path(tempfile.mkdtemp(prefix="fuzz-")) / "index"
    build_index(ingest([ROOT.parent / "shared" / "seeds"]).records, index)
    engine = Engine(index)
    client = create_app({"INDEX_PATH": str(index)}).test_client()
    answers: collections.Counter[str] = collections.Counter()
    failures: collections.Counter[str] = collections.Counter()
    statuses: collections.Counter[int] = collections.Counter()

    @seed(args.seed)
    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(text=QUERY_TEXT)
    def engine_property(text: str) -> None:
        try:
            results = engine.search(make_query(text, per_page=5))
        except QueryError as error:
            answers[f"refused: {error.param} ({error.message.split(' ')[0]} ...)"] += 1
            return
        except Exception as error:
            where = traceback.extract_tb(error.__traceback__)[-1]
            kind = f"{type(error).__name__} at {Path(where.filename).name}:{where.lineno}"
            failures[kind] += 1
            record_failure(text, f"{type(error).__name__}: {error}")
            return
        answers[
            f"fallback: {results.fallback_kind}" if results.fallback_kind else "read as written"
        ] += 1
        for note in results.query.notes:
            answers["note: " + note.split(" was left out")[0].split(":")[0] + ": left out"] += 1

    @seed(args.seed)
    @settings(
        max_examples=args.http_examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(text=QUERY_TEXT, route=st.sampled_from(ROUTES))
    def http_property(text: str, route: str) -> None:
        response = client.get(f"{route}?{urlencode({'q': text})}")
        statuses[response.status_code] += 1
        named = (
            response.status_code != 400
            or not route.startswith("/api")
            or (response.get_json()["error"]["param"] in SEARCH_PARAMS)
        )
        if response.status_code not in (200, 400) or not named:
            failures[f"HTTP {response.status_code} on {route}"] += 1
            record_failure(text, f"HTTP {response.status_code} on {route}")

    started = time.perf_counter()
    engine_property()
    engine_seconds = time.perf_counter() - started
    http_property()
    print(f"engine: {sum(answers.values()):,} texts in {engine_seconds:.0f} s (seed {args.seed})")
    for kind, count in answers.most_common():
        print(f"  {count:>7,}  {kind}")
    answered = ", ".join(f"{count:,} x {status}" for status, count in sorted(statuses.items()))
    print(f"http: {sum(statuses.values()):,} requests over {', '.join(ROUTES)}: {answered}")
    print(f"failures: {sum(failures.values())}")
    for kind, count in failures.most_common():
        print(f"  {count:>7,}  {kind}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
