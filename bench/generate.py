"""A deterministic generator of archive-like records, for benchmarks and long-running tests.

Records follow the archive's shapes: dates at day, month and year precision over
1945-1991; titles in its grammar ("Cable, A to B", "Memorandum of Conversation between
A and B", embassy telegrams); summaries of 30-90 words whose words follow a Zipf law
(English words by real frequency, from wordfreq); persons drawn by a Zipf law over
~1,500 names (the authority file's people and generated ones). The same seed and
count always give the same records.

Generator version 2 adds the archive's labelled lists and, for a share of the records,
the document's full text. Every choice is drawn in bulk (numpy) from its own stream of
the seed, so titles, summaries and dates are those version 1 gave, and the lists are the
same whatever the share of texts. Counts per record (the share of records with each):

- ``subjects``: 0-4 (10%, 20%, 30%, 25%, 15%; mean 2.15) of 300 subject headings in the
  archive's style ("Cold War", "Korean War, 1950-1953", "China--Foreign relations--Soviet
  Union"), Zipf (exponent 1.0) over the pool, a curated head first;
- ``places``: 0-3 (15%, 40%, 30%, 15%) of 84 places, countries (the nations of the titles
  and others) ranked before cities, Zipf (exponent 1.0);
- ``languages``: 1 (85%) or 2 (15%) of 15, by fixed weights (Russian 30%, Chinese 14%,
  English 12%, German 10%, Polish 6%, Hungarian 5%, Czech 4%, Romanian, Bulgarian and
  Korean 3% each, Vietnamese, Mongolian, Spanish, French and Japanese 2% each);
- ``original_archive``: 0 (15%) or 1 (85%) of 43 archives, Zipf (exponent 1.0);
- ``authors``: 0 (45%), 1 (45%) or 2 (10%) persons, the first the title's sender
  (60%) or, like the second, drawn by the persons' Zipf law;
- ``text`` (only with ``text_ratio`` > 0): each record has one with probability
  ``text_ratio`` (TEXT_RATIO, 25%, for the full-text benchmark). Its length in words is
  log-uniform over 200-3,000 (median 775, mean 1,034; the archive's sample texts run
  440-3,800). Sentences of 6-32 words (uniform), capitalised and ending in a full stop;
  paragraphs of 2-8 sentences, separated by "\n\n". Words follow a Zipf law over the
  20,000 English words of the summaries (exponent 1.0, the same ranks) continued by
  1,000,000 synthesised word forms (exponent 2.3 beyond rank 20,000), so the vocabulary
  keeps growing with the corpus as Heaps' law has it (about 95,000, 150,000, 250,000 and
  390,000 distinct words at 2.6, 7.8, 26 and 78 million words; a flat pool of 50,000
  forms would be used up by 30,000 records). A person's name replaces one word in 80
  (the title's two persons first, then by the persons' Zipf law).

Corpus files are named by the generator's version (and the share of texts), so a file
an older generator wrote is never taken for this one's: see ``corpus_path``.

    python bench/generate.py --count 30000                   # records-v2-text25-30000.jsonl
    python bench/generate.py --count 30000 --text-ratio 0    # records-v2-30000.jsonl
"""

from __future__ import annotations

import argparse
import calendar
import functools
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.records.authority import load_authority  # noqa: E402

# Bump when the records change for a seed and count: corpus files carry it in their names.
GENERATOR_VERSION = 2
CORPUS_DIR = ROOT / "bench" / "corpus"
PERSON_COUNT = 1500
VOCABULARY = 20000
TEXT_RATIO = 0.25  # the share of records with a full text in the full-text benchmark
TEXT_WORDS = (200, 3000)  # a text's length in words: log-uniform between these
TEXT_FORMS = 1_000_000  # synthesised word forms after the English words, in texts only
TEXT_TAIL_EXPONENT = 2.3  # the Zipf exponent beyond the English words
SENTENCE_WORDS = (6, 32)
PARAGRAPH_SENTENCES = (2, 8)
WORDS_PER_NAME = 80
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
# The places the nations of _COUNTRIES are, in the archive's forms, then other countries.
_COUNTRY_NAMES = [
    "Soviet Union",
    "China",
    "Poland",
    "Hungary",
    "Germany (East)",
    "Czechoslovakia",
    "Romania",
    "Bulgaria",
    "Mongolia",
    "Korea (North)",
    "Vietnam",
    "Cuba",
    "India",
    "Yugoslavia",
]
_OTHER_COUNTRIES = [
    "United States",
    "Japan",
    "Korea (South)",
    "Germany (West)",
    "Taiwan",
    "France",
    "Great Britain",
    "Albania",
    "Afghanistan",
    "Iran",
    "Egypt",
    "Israel",
    "Indonesia",
    "Pakistan",
    "Laos",
    "Cambodia",
    "Austria",
    "Finland",
    "Italy",
    "Turkey",
    "Angola",
    "Ethiopia",
    "Nicaragua",
    "Chile",
]
_OTHER_CITIES = [
    "Washington, D.C.",
    "Tokyo",
    "Seoul",
    "Taipei",
    "Paris",
    "London",
    "Bonn",
    "Geneva",
    "Vienna",
    "Helsinki",
    "Tirana",
    "Kabul",
    "Tehran",
    "Cairo",
    "Jakarta",
    "Shanghai",
    "Leningrad",
    "Kyiv",
    "Gdańsk",
    "Kraków",
    "Dresden",
    "Leipzig",
    "Bratislava",
    "Saigon",
    "Vientiane",
    "Phnom Penh",
    "Panmunjom",
    "Harbin",
    "Lhasa",
    "Karachi",
    "Luanda",
    "Addis Ababa",
]
# The most used headings, most used first; the rest of the pool follows in a fixed
# shuffled order (subject_pool).
_SUBJECT_HEAD = [
    "Cold War",
    "Nuclear weapons",
    "Korean War, 1950-1953",
    "China--Foreign relations--Soviet Union",
    "Soviet Union--Foreign relations--United States",
    "Warsaw Treaty Organization",
    "Vietnam War, 1961-1975",
    "Sino-Soviet split",
    "North Atlantic Treaty Organization",
    "Communism",
]
_SUBJECT_TOPICS = [
    "Communist parties",
    "Socialism",
    "Cuban Missile Crisis, 1962",
    "Hungary--History--Revolution, 1956",
    "Czechoslovakia--History--Intervention, 1968",
    "Berlin Wall, Berlin, Germany, 1961-1989",
    "Berlin (Germany)--History--Blockade, 1948-1949",
    "Nuclear arms control",
    "Nuclear nonproliferation",
    "Nuclear energy",
    "Espionage",
    "Intelligence service",
    "Propaganda",
    "Decolonization",
    "Non-Aligned Movement",
    "Economic assistance",
    "Military assistance",
    "Technical assistance",
    "International trade",
    "Collectivization of agriculture",
    "Great Leap Forward, 1958-1961",
    "China--History--Cultural Revolution, 1966-1976",
    "Solidarność (Labor organization)",
    "Taiwan Strait Crisis, 1958",
    "Détente",
    "Human rights",
    "Conference on Security and Co-operation in Europe",
    "Strategic Arms Limitation Talks",
    "Afghanistan--History--Soviet occupation, 1979-1989",
    "Arab-Israeli conflict",
    "Ballistic missiles",
    "Outer space--Exploration",
    "Refugees",
    "Boundaries",
    "Council for Mutual Economic Assistance",
    "Geneva Conference (1954)",
    "Bandung Conference (1955)",
    "Korean Armistice Agreement (1953)",
    "Prisoners of war",
    "Chemical weapons",
    "Disarmament",
    "Students",
    "Religion",
    "Dissenters",
    "Labor movement",
]
_SUBJECT_ASPECTS = [
    "Politics and government",
    "Economic conditions",
    "Military policy",
    "History",
    "Economic policy",
]
_ARCHIVES = [
    "Archive of the President of the Russian Federation (APRF)",
    "Archive of Foreign Policy of the Russian Federation (AVPRF)",
    "Chinese Foreign Ministry Archive",
    "Russian State Archive of Contemporary History (RGANI)",
    "Polish Central Archives of Modern Records (AAN)",
    "Hungarian National Archives (MNL OL)",
    "German Federal Archives (BArch)",
    "Russian State Archive of Socio-Political History (RGASPI)",
    "National Archives and Records Administration (NARA)",
    "Political Archive of the Federal Foreign Office (PA AA)",
    "Foundation Archives of Parties and Mass Organizations of the GDR (SAPMO-BArch)",
    "National Archives of the Czech Republic",
    "Romanian National Archives",
    "Central State Archive, Sofia",
    "Diplomatic Archives of the Ministry of Foreign Affairs of Japan",
    "Mongolian Foreign Ministry Archive",
    "Vietnam National Archives Center III",
    "Archives of Yugoslavia",
    "Albanian Central State Archive (AQSH)",
    "Nehru Memorial Museum and Library (NMML)",
    "The National Archives of the UK (TNA)",
    "Stasi Records Agency (BStU)",
    "Institute of National Remembrance (IPN)",
    "Security Services Archive, Prague (ABS)",
    "Historical Archives of the Hungarian State Security (ABTL)",
    "Sectoral State Archive of the Security Service of Ukraine (HDA SBU)",
    "Central State Archive of Public Organizations of Ukraine (TsDAHO)",
    "Lithuanian Special Archives",
    "Diplomatic Archive of the Ministry of Foreign Affairs of Serbia",
    "Archive of the Ministry of Foreign Affairs of the Czech Republic",
    "Archive of the Ministry of Foreign Affairs of the Republic of Korea",
    "Cuban Council of State Archives",
    "Jimmy Carter Presidential Library",
    "Gerald R. Ford Presidential Library",
    "Lyndon B. Johnson Presidential Library",
    "Ronald Reagan Presidential Library",
    "Israel State Archives",
    "Swiss Federal Archives",
    "Austrian State Archives",
    "Shanghai Municipal Archive",
    "Jiangsu Provincial Archive",
    "Guangdong Provincial Archive",
    "Archives of the Ministry of Foreign Affairs of the Socialist Republic of Romania",
]
_LANGUAGES = {
    "Russian": 0.30,
    "Chinese": 0.14,
    "English": 0.12,
    "German": 0.10,
    "Polish": 0.06,
    "Hungarian": 0.05,
    "Czech": 0.04,
    "Romanian": 0.03,
    "Bulgarian": 0.03,
    "Korean": 0.03,
    "Vietnamese": 0.02,
    "Mongolian": 0.02,
    "Spanish": 0.02,
    "French": 0.02,
    "Japanese": 0.02,
}
# How many values a record has of each list, by share of records (index = count).
SUBJECT_COUNTS = (0.10, 0.20, 0.30, 0.25, 0.15)
PLACE_COUNTS = (0.15, 0.40, 0.30, 0.15)
LANGUAGE_COUNTS = (0.0, 0.85, 0.15)
ARCHIVE_COUNTS = (0.15, 0.85)
AUTHOR_COUNTS = (0.45, 0.45, 0.10)
AUTHOR_IS_SENDER = 0.6  # the share of first authors that are the title's first person
# Syllables of the synthesised words of texts: onset, vowel, coda.
_ONSETS = [
    *("b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z"),
    *("br", "cr", "dr", "gr", "pr", "st", "tr", "sh", "ch", "th", "pl"),
]
_VOWELS = ["a", "e", "i", "o", "u", "ia", "ou", "ea"]
_CODAS = ["", "n", "r", "s", "l", "t", "m", "nd", "st"]


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
    """The summaries' words: the 20,000 most frequent English words, most frequent first."""
    return list(_english_words())


@functools.cache
def _english_words() -> tuple[str, ...]:
    from wordfreq import top_n_list

    words = [w for w in top_n_list("en", VOCABULARY * 2) if w.isalpha() and len(w) > 1]
    return tuple(words[:VOCABULARY])


@functools.cache
def _text_words() -> np.ndarray:
    """The texts' words, by rank: the English words, then TEXT_FORMS synthesised forms of
    two syllables (none an English word), shorter forms ranked first (commoner, as in
    every language), in a fixed order whatever the seed."""
    english = _english_words()
    syllables = np.array([o + v + c for o in _ONSETS for v in _VOWELS for c in _CODAS], object)
    picks = np.random.default_rng(1917).permutation(len(syllables) ** 2)[: TEXT_FORMS * 6 // 5]
    pairs = syllables[picks // len(syllables)] + syllables[picks % len(syllables)]
    taken = set(english)
    forms = [form for form in dict.fromkeys(pairs.tolist()) if form not in taken][:TEXT_FORMS]
    forms.sort(key=len)  # stable: in the shuffled order within a length
    return np.array([*english, *forms], object)


@functools.cache
def _text_weights(english: int, total: int) -> np.ndarray:
    """Zipf with exponent 1 over the English words (as the summaries'), continued with
    exponent TEXT_TAIL_EXPONENT over the synthesised forms."""
    ranks = np.arange(total) + 2.7
    weights = 1.0 / ranks
    weights[english:] = weights[english - 1] * (ranks[english] / ranks[english:]) ** (
        TEXT_TAIL_EXPONENT
    )
    return weights / weights.sum()


def subject_pool() -> list[str]:
    """300 subject headings in the archive's style: the head (most used first), then
    topics, countries' aspects and foreign relations in a fixed shuffled order."""
    countries = (_COUNTRY_NAMES + _OTHER_COUNTRIES)[:20]
    rest = [*_SUBJECT_TOPICS]
    rest += [f"{country}--{aspect}" for country in countries for aspect in _SUBJECT_ASPECTS]
    rest += [f"Nuclear weapons--{country}" for country in countries[:10]]
    rest += [f"{a}--Foreign relations--{b}" for a in countries for b in countries if a != b]
    shuffled = np.random.default_rng(1945).permutation(len(rest)).tolist()
    return list(dict.fromkeys([*_SUBJECT_HEAD, *(rest[k] for k in shuffled)]))[:300]


def place_pool() -> list[str]:
    """84 places: countries (the titles' nations first), then cities (their capitals first)."""
    return [
        *_COUNTRY_NAMES,
        *_OTHER_COUNTRIES,
        *(city for _, city in _COUNTRIES),
        *_OTHER_CITIES,
    ]


def _pick(
    rng: np.random.Generator,
    pool: list[str],
    weights: np.ndarray,
    shares: tuple[float, ...],
    count: int,
    leading: list[int | None] | None = None,
) -> list[list[str]]:
    """For each of ``count`` records: how many values (by ``shares``), then that many
    distinct values of ``pool`` by ``weights`` (a ``leading`` one first, when given)."""
    sizes = rng.choice(len(shares), size=count, p=np.asarray(shares) / sum(shares)).tolist()
    drawn = rng.choice(len(pool), size=(count, len(shares) + 3), p=weights).tolist()
    picked = []
    for i, (size, row) in enumerate(zip(sizes, drawn, strict=True)):
        if leading is not None and leading[i] is not None:
            row = [leading[i], *row]
        picked.append([pool[k] for k in list(dict.fromkeys(row))[:size]])
    return picked


def _lists(
    rng: np.random.Generator, count: int, persons: list[str], first: np.ndarray
) -> dict[str, list[list[str]]]:
    """The labelled lists of ``count`` records (see the module's docstring)."""
    subjects, places = subject_pool(), place_pool()
    languages = list(_LANGUAGES)
    sender = rng.random(count) < AUTHOR_IS_SENDER
    leading = [int(f) if s else None for f, s in zip(first.tolist(), sender.tolist(), strict=True)]
    return {
        "subjects": _pick(rng, subjects, _zipf_weights(len(subjects), 1.0), SUBJECT_COUNTS, count),
        "places": _pick(rng, places, _zipf_weights(len(places), 1.0), PLACE_COUNTS, count),
        "languages": _pick(
            rng, languages, np.array(list(_LANGUAGES.values())), LANGUAGE_COUNTS, count
        ),
        "original_archive": _pick(
            rng, _ARCHIVES, _zipf_weights(len(_ARCHIVES), 1.0), ARCHIVE_COUNTS, count
        ),
        "authors": _pick(rng, persons, _zipf_weights(len(persons)), AUTHOR_COUNTS, count, leading),
    }


def _texts(
    rng: np.random.Generator,
    count: int,
    text_ratio: float,
    persons: list[str],
    first: np.ndarray,
    second: np.ndarray,
) -> list[str | None]:
    """A full text for each record with probability ``text_ratio``, else None (see the
    module's docstring for the shapes)."""
    texts: list[str | None] = [None] * count
    has_text = np.flatnonzero(rng.random(count) < text_ratio)
    if not len(has_text):
        return texts
    words = _text_words()
    low, high = TEXT_WORDS
    lengths = np.rint(np.exp(rng.uniform(np.log(low), np.log(high), len(has_text))))
    lengths = lengths.astype(np.int64)
    total = int(lengths.sum())
    tokens = words[rng.choice(len(words), size=total, p=_text_weights(VOCABULARY, len(words)))]
    tokens = tokens.tolist()
    # Persons' names, each in place of a word: the title's two first, then by Zipf.
    names = rng.poisson(lengths / WORDS_PER_NAME)
    where = (rng.random(int(names.sum())) * np.repeat(lengths, names)).astype(np.int64)
    named = rng.choice(len(persons), size=int(names.sum()), p=_zipf_weights(len(persons)))
    low_sentence, high_sentence = SENTENCE_WORDS
    sentences = rng.integers(low_sentence, high_sentence + 1, total // low_sentence + len(lengths))
    paragraphs = rng.integers(PARAGRAPH_SENTENCES[0], PARAGRAPH_SENTENCES[1] + 1, len(sentences))
    sentences, paragraphs = sentences.tolist(), paragraphs.tolist()
    offset = name_cursor = sentence_cursor = paragraph_cursor = 0
    for number, record in enumerate(has_text.tolist()):
        length = int(lengths[number])
        body = tokens[offset : offset + length]
        offset += length
        for k in range(int(names[number])):
            person = first[record] if k == 0 else second[record] if k == 1 else named[name_cursor]
            body[where[name_cursor]] = persons[person]
            name_cursor += 1
        parts, position = [], 0
        while position < length:
            paragraph = []
            for _ in range(paragraphs[paragraph_cursor]):
                if position >= length:
                    break
                size = sentences[sentence_cursor]
                sentence_cursor += 1
                sentence = " ".join(body[position : position + size])
                position += size
                paragraph.append(f"{sentence[:1].upper()}{sentence[1:]}.")
            paragraph_cursor += 1
            parts.append(" ".join(paragraph))
        texts[record] = "\n\n".join(parts)
    return texts


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


def generate(count: int, seed: int = 1948, text_ratio: float = 0.0) -> list[dict]:
    """``count`` records in our JSON Lines format (dates as the archive writes them), a
    share ``text_ratio`` of them with a full text."""
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
    # Streams of their own: titles, summaries and dates stay version 1's, and the lists
    # do not depend on the share of texts.
    lists = _lists(np.random.default_rng([seed, 1]), count, persons, first)
    texts = _texts(np.random.default_rng([seed, 2]), count, text_ratio, persons, first, second)
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
        record = {
            "title": title,
            "summary": summary[:1].upper() + summary[1:] + ".",
            "date": _date(rng),
        }
        for name, values in lists.items():
            if values[i]:
                record[name] = values[i]
        if texts[i] is not None:
            record["text"] = texts[i]
        records.append(record)
    return records


def corpus_path(count: int, text_ratio: float = 0.0, seed: int = 1948) -> Path:
    """Where the benchmarks keep the corpus of ``count`` records: named by the generator's
    version, the share of texts (as a percentage) and a seed other than the default, so no
    file of another generator or share is ever reused for it."""
    name = f"records-v{GENERATOR_VERSION}"
    if text_ratio:
        name += f"-text{text_ratio * 100:g}"
    if seed != 1948:
        name += f"-seed{seed}"
    return CORPUS_DIR / f"{name}-{count}.jsonl"


def write_corpus(
    count: int, out: Path | None = None, seed: int = 1948, text_ratio: float = 0.0
) -> Path:
    """Write (once) and return the JSON Lines file of ``count`` generated records, at
    ``out`` or else at ``corpus_path``."""
    out = out or corpus_path(count, text_ratio, seed)
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_suffix(".partial")
    with temporary.open("w", encoding="utf-8") as handle:
        for record in generate(count, seed, text_ratio):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    temporary.rename(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30000)
    parser.add_argument("--seed", type=int, default=1948)
    parser.add_argument(
        "--text-ratio",
        type=float,
        default=TEXT_RATIO,
        help=f"the share of records with a full text (default {TEXT_RATIO}; 0: none, as "
        "the main benchmark's corpus)",
    )
    parser.add_argument("--out", type=Path, help="default: bench/corpus/, see corpus_path")
    args = parser.parse_args()
    print(write_corpus(args.count, args.out, args.seed, args.text_ratio))


if __name__ == "__main__":
    main()
