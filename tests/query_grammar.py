"""Hypothesis strategies that write query text from the grammar of Whoosh's query language.

Not words with some syntax sprinkled in: fields (the ones a person searches, the
index's own, ones that do not exist, in any case), terms with wildcards, fuzzy ~n,
^boosts; "phrases" with ~n proximity; [a TO b] and {a TO b} ranges, open, half-open
and unclosed; > < >= <= comparisons; groups, closed or not; AND OR NOT ANDNOT ANDMAYBE,
+ and -; and the noise people type (backslashes, stray quotes, any Unicode). Used by
tests/test_query_grammar.py (a few thousand examples in `make test`) and bench/fuzz.py
(`make fuzz`, 100,000 with a fixed seed).
"""

from __future__ import annotations

from hypothesis import strategies as st

# Fields a person searches, the index's own, the date filters, and names that are none.
FIELDS = st.one_of(
    st.sampled_from(
        [
            *("title", "summary", "person", "persons", "people", "names", "year", "date"),
            # The full text and the facets searched by their words, and their own fields.
            *("text", "type", "types", "subject", "subjects", "place", "language", "archive"),
            *("authors", "subject_words", "type_words", "author_words", "Subject", "PLACE"),
            *(
                "id",
                "record",
                "date_start",
                "date_end",
                "date_sort",
                "date_sort_desc",
                "title_sort",
            ),
            *("Title", "YEAR", "Date", "subject", "foo", "http", "Note"),
        ]
    ),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,7}", fullmatch=True),
)
WORDS = st.sampled_from(
    [
        "Stalin",
        "mao",
        "Zedong",
        "telegram",
        "telegrams",
        "Korea",
        "soviet",
        "Tse-tung",
        "Ho",
        "a",
        "the",
        "zzz",
        "Molotv",
        "Zhou",
        "Kwaśniewski",
        "Ürümchi",
        "日本",
        "x",
        "TO",
        "to",
        "Filippov",
        "Chou",
        "En-lai",
        "1950",
        "0",
    ]
)
DATES = st.one_of(
    st.sampled_from(
        [
            "1950",
            "1952-06",
            "1952-06-25",
            "1953",
            "1952-13",
            "1952-02-30",
            "2200",
            "19",
            "abc",
            "*",
            "0999",
            "1950-6",
            "-1",
        ]
    ),
    st.from_regex(r"\d{4}(-\d{1,2}){0,2}", fullmatch=True),
)
NOISE = st.one_of(
    st.sampled_from(
        [
            '"',
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "\\",
            ":",
            "^",
            "~",
            "*",
            "?",
            "+",
            "-",
            "!",
            "&&",
            "||",
            "/",
            "TO",
            "AND",
            "OR",
            "NOT",
            "\u202e",
            "\x00",
            "\t",
        ]
    ),
    st.text(max_size=4),
)
VALUE = st.one_of(
    WORDS,
    WORDS,
    DATES,
    st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=8),
)


@st.composite
def terms(draw: st.DrawFn) -> str:
    """A word, perhaps a pattern, a near spelling (~n, ~n/p) or boosted (^n)."""
    word = draw(VALUE)
    if draw(st.integers(0, 4)) == 0:
        position = draw(st.integers(0, len(word)))
        word = word[:position] + draw(st.sampled_from(["*", "?", "**"])) + word[position:]
    suffix = draw(
        st.sampled_from(
            ["", "", "", "~", "~1", "~2", "~3", "~9", "~1/2", "^2", "^0.5", "^", "^x", "~x"]
        )
    )
    return word + suffix


@st.composite
def phrases(draw: st.DrawFn) -> str:
    inside = " ".join(draw(st.lists(VALUE, min_size=0, max_size=4)))
    return f'"{inside}"' + draw(st.sampled_from(["", "", "~2", "~0", "~100", "^3"]))


@st.composite
def ranges(draw: st.DrawFn) -> str:
    """[a TO b], {a TO b} and the mixed forms, with ends left open, or the range unclosed."""
    low = draw(st.one_of(st.just(""), st.just("*"), VALUE))
    high = draw(st.one_of(st.just(""), st.just("*"), VALUE))
    opening = draw(st.sampled_from("[{"))
    closing = draw(st.sampled_from(["]", "}", "]", "}", "]", "}", "]", "}", "", " "]))
    middle = draw(st.sampled_from([" TO ", " TO ", " TO ", " to ", " TO", "TO ", " ", " TO TO "]))
    return f"{opening}{low}{middle}{high}{closing}"


@st.composite
def comparisons(draw: st.DrawFn) -> str:
    return draw(st.sampled_from([">", "<", ">=", "<=", "=>", "><"])) + draw(VALUE)


def fielded(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    values = st.one_of(
        terms(),
        terms(),
        phrases(),
        ranges(),
        ranges(),
        comparisons(),
        inner.map(lambda text: f"({text})"),
        st.sampled_from(["", " "]),
    )
    return st.builds(lambda name, value: f"{name}:{value}", FIELDS, values)


def atoms(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly well-formed pieces (each kind a parser must handle), some broken, a little noise."""
    return st.one_of(
        terms(),
        terms(),
        terms(),
        phrases(),
        ranges(),
        fielded(inner),
        fielded(inner),
        fielded(inner),
        fielded(inner),
        inner.map(lambda text: f"({text})"),
        inner.map(lambda text: f"({text})"),
        st.builds(
            lambda sign, atom: sign + atom, st.sampled_from(["+", "-", "NOT ", "!"]), terms()
        ),
        st.builds(
            lambda sign, atom: sign + atom, st.sampled_from(["+", "-", "NOT "]), fielded(inner)
        ),
    )


OPERATORS = st.sampled_from(
    [
        " ",
        " ",
        " ",
        " AND ",
        " OR ",
        " NOT ",
        " ANDNOT ",
        " ANDMAYBE ",
        " && ",
        " || ",
        "",
        " AND OR ",
        " OR ",
    ]
)


def _expressions(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda first, rest: first + "".join(op + atom for op, atom in rest),
        atoms(inner),
        st.lists(st.tuples(OPERATORS, atoms(inner)), max_size=3),
    )


WELL_FORMED = st.recursive(terms(), _expressions, max_leaves=12)


@st.composite
def _broken(draw: st.DrawFn) -> str:
    """A well-formed text with something broken put in: noise, or a group left open."""
    text = draw(WELL_FORMED)
    position = draw(st.integers(0, len(text)))
    piece = draw(st.one_of(NOISE, comparisons(), st.just("("), st.just(" OR"), st.just('"')))
    return text[:position] + piece + text[position:]


# One text in four has something broken in it; the rest must get past the checks to
# reach the parser, the validator and the engine.
QUERY_TEXT = st.one_of(WELL_FORMED, WELL_FORMED, WELL_FORMED, _broken())
