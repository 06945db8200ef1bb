"""A deterministic generator of archive-like records, for benchmarks and long-running tests.

Records follow the archive's shapes: dates at day, month and year precision over
1945-1991; titles in its grammar ("Cable, A to B", "Memorandum of Conversation between
A and B", embassy telegrams); summaries of 30-90 words whose words follow a Zipf law
(English words by real frequency, from wordfreq); persons drawn by a Zipf law over
~1,500 names (the authority file's people and generated ones). The same seed and
count always give the same records.

    python bench/generate.py --count 30000 --out bench/corpus/records-30000.jsonl
"""

from __future__ import annotations

import argparse
import calendar
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.records.authority import load_authority  # noqa: E402

PERSON_COUNT = 1500
VOCABULARY = 20000
_SYLLABLES = [
    "ko",
    "va",
    "lev",
    "ro",
    "shin",
    "dob",
    "ma",
    "na",
    "gar",
    "ov",
    "ni",
    "ki",
    "tin",
    "sky",
    "pol",
    "ya",
    "zar",
    "bu",
    "lin",
    "chen",
    "ost",
    "rov",
    "mir",
    "dan",
    "tu",
    "sen",
    "ber",
    "gov",
]
_COUNTRIES = [
    ("Soviet", "Moscow"),
    ("Chinese", "Beijing"),
    ("Polish", "Warsaw"),
    ("Hungarian", "Budapest"),
    ("East German", "Berlin"),
    ("Czechoslovak", "Prague"),
    ("Romanian", "Bucharest"),
    ("Bulgarian", "Sofia"),
    ("Mongolian", "Ulaanbaatar"),
    ("North Korean", "Pyongyang"),
    ("Vietnamese", "Hanoi"),
    ("Cuban", "Havana"),
    ("Indian", "New Delhi"),
    ("Yugoslav", "Belgrade"),
]
_TITLES = [
    "Cable, {a} to {b}",
    "Ciphered Telegram from {a} to {b}",
    "Letter from {a} to {b}",
    "Memorandum of Conversation between {a} and {b}",
    "Record of Talks between {a} and {b}",
    "Report, {a} to {b}",
    "Minutes of Conversation, {a} and {b}",
    "Note from {a} to {b}",
    "Telegram from the {nation} Embassy in {city} to the {nation} Foreign Ministry",
    "Information on the Talks between {a} and {b}",
    "Letter, {a} to Comrade {b}",
]


def _zipf_weights(count: int, exponent: float = 1.07, offset: float = 2.7) -> np.ndarray:
    weights = 1.0 / (np.arange(count) + offset) ** exponent
    return weights / weights.sum()


def person_pool(rng: np.random.Generator) -> list[str]:
    """The authority's people first (most named), then generated minor officials."""
    names = [person.name for person in load_authority().persons]
    given = [
        "Ivan",
        "Pavel",
        "Nikolai",
        "Andrei",
        "Sergei",
        "Mikhail",
        "Jan",
        "Karl",
        "Ferenc",
        "Petr",
        "Li",
        "Wang",
    ]
    while len(names) < PERSON_COUNT:
        surname = "".join(rng.choice(_SYLLABLES, size=int(rng.integers(2, 4)))).capitalize()
        names.append(f"{rng.choice(given)} {surname}")
    return names[:PERSON_COUNT]


def vocabulary() -> list[str]:
    from wordfreq import top_n_list

    return [w for w in top_n_list("en", VOCABULARY * 2) if w.isalpha() and len(w) > 1][:VOCABULARY]


def _date(rng: np.random.Generator) -> str:
    year = int(rng.integers(1945, 1992))
    month = int(rng.integers(1, 13))
    roll = rng.random()
    if roll < 0.05:
        return f"{year}"
    if roll < 0.20:
        return f"{calendar.month_name[month]}, {year}"
    day = int(rng.integers(1, calendar.monthrange(year, month)[1] + 1))
    return f"{calendar.month_name[month]} {day:02d}, {year}"


def generate(count: int, seed: int = 1948) -> list[dict]:
    """``count`` records in our JSON Lines format (dates as the archive writes them)."""
    rng = np.random.default_rng(seed)
    persons = person_pool(rng)
    person_weights = _zipf_weights(len(persons))
    words = vocabulary()
    word_weights = _zipf_weights(len(words), exponent=1.0)
    # Everything is drawn up front, in bulk: one pass of numpy per kind of choice.
    first = rng.choice(len(persons), size=count, p=person_weights)
    second = rng.choice(len(persons), size=count, p=person_weights)
    second = np.where(second == first, (second + 1) % len(persons), second)
    nations = rng.integers(len(_COUNTRIES), size=count)
    templates = rng.integers(len(_TITLES), size=count)
    lengths = rng.integers(30, 91, size=count)
    word_draws = rng.choice(len(words), size=int(lengths.sum()), p=word_weights)
    extra_persons = rng.choice(len(persons), size=count * 2, p=person_weights)
    extra_counts = rng.integers(0, 3, size=count)
    records, cursor = [], 0
    for i in range(count):
        nation, city = _COUNTRIES[nations[i]]
        title = _TITLES[templates[i]].format(
            a=persons[first[i]], b=persons[second[i]], nation=nation, city=city
        )
        body = [words[w] for w in word_draws[cursor : cursor + lengths[i]]]
        cursor += lengths[i]
        for k in range(extra_counts[i]):
            body[(i * 7 + k * 13) % len(body)] = persons[extra_persons[2 * i + k]]
        summary = " ".join(body)
        records.append(
            {"title": title, "summary": summary[:1].upper() + summary[1:] + ".", "date": _date(rng)}
        )
    return records


def write_corpus(count: int, out: Path, seed: int = 1948) -> Path:
    """Write (once) and return the JSON Lines file of ``count`` generated records."""
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_suffix(".partial")
    with temporary.open("w", encoding="utf-8") as handle:
        for record in generate(count, seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    temporary.rename(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30000)
    parser.add_argument("--seed", type=int, default=1948)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or ROOT / "bench" / "corpus" / f"records-{args.count}.jsonl"
    print(write_corpus(args.count, out, args.seed))


if __name__ == "__main__":
    main()
