"""Build one reference engine's index in a process of its own, for its time and its memory.

    python bench/reference_build.py tantivy bench/corpus/records-v2-10000.jsonl /tmp/index

Reads the corpus as `archive-search build` does (ingest), then times the engine's build
from the records in memory (reading and cleaning them is not the engine's work), and
prints one line of JSON: the records, the build's seconds, and three resident sizes of this
process in MB: once the records are read (``records_rss_mb``), its peak while the engine
builds (``build_peak_mb``, the kernel's high-water mark reset just before the build) and its
peak over the whole run (``peak_rss_mb``: reading the corpus and building, the scope of
the peak perf.py measures for our own build). A process of its own, so that the figures
are the engine's and not the benchmark's: perf.py then searches the index this one wrote.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import fts5_reference, tantivy_reference  # noqa: E402 (path set above)
from indexer.sources.ingest import ingest  # noqa: E402 (path set above)

ENGINES = {"fts5": fts5_reference, "tantivy": tantivy_reference}


def _status_mb(key: str) -> float:
    """A size from /proc/self/status (VmRSS: now, VmHWM: the high-water mark), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(key)


def _reset_peak() -> bool:
    """Reset the kernel's high-water mark of this process's RSS (Linux 4.0 and later)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engine", choices=sorted(ENGINES))
    parser.add_argument("corpus", type=Path)
    parser.add_argument("index", type=Path)
    args = parser.parse_args()
    engine = ENGINES[args.engine]
    records = ingest([args.corpus]).records
    gc.collect()
    whole_run_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    records_rss = _status_mb("VmRSS")
    reset = _reset_peak()
    started = time.perf_counter()
    engine.build(records, args.index)  # committed: the process's end closes it
    seconds = time.perf_counter() - started
    build_peak = _status_mb("VmHWM")
    whole_run_peak = max(whole_run_peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(
        json.dumps(
            {
                "records": len(records),
                "seconds": seconds,
                "records_rss_mb": round(records_rss),
                "build_peak_mb": round(build_peak) if reset else None,
                "peak_rss_mb": round(whole_run_peak),
            }
        )
    )


if __name__ == "__main__":
    main()
