"""What a user typed -> a Whoosh query, never an exception.

Whoosh's own parser reads words (AND by default), "phrases" (with ~n for proximity), OR,
NOT, ANDNOT, ANDMAYBE, +word and -word, title:/summary:/text:/person:/subject: ... fields,
wildcards, word~ for near spellings, ^ boosts, [a TO b] ranges and > < comparisons. The text is
checked first (querycheck.py); what Whoosh then builds is walked, and any node this
search cannot run as written (a field of the index's own, a year: that is not a
filter, a pattern over nothing) is refused with a reason: the text is searched as its
plain words, and the result says why.

A name the authority file knows ("Mao Tse-tung", "Chou En-lai", "Filippov") also
finds the records of its canonical person, whatever the spelling in those records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import qparser
from whoosh import query as wq
from whoosh.fields import Schema

from indexer.index.schema import DEFAULT_FIELDS, FIELD_BOOSTS, TEXT_FIELDS
from indexer.index.whoosh_internals import is_null_query
from indexer.records.authority import Authority
from indexer.records.text import compact_key

from .querycheck import (
    FIELDS_TO_SEARCH,
    MAX_FUZZY_DISTANCE,
    USER_FIELDS,
    Fallback,
    normalise_fields,
    plain_words,
    syntax_problem,
)
from .querydates import DATE_FIELDS

# What makes a text more than plain words (plain words may be widened to "any of them";
# "Filippov [Stalin]", copied from a title, stays plain: its brackets are not a range).
_SYNTAX = re.compile(
    r"[\"()*?:~^<>]|(?<![^\s(])[+\-]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b|[\[{][^\]}]*\bTO\b"
)
MAX_NAME_WORDS = 4
# The query nodes this search runs: matching.py and scoring.py handle the first ones in
# numpy, and hand the others to Whoosh.
_LEAVES = (wq.Term, wq.Phrase, wq.Prefix, wq.Wildcard, wq.FuzzyTerm, wq.TermRange)
_COMPOUNDS = (wq.And, wq.Or, wq.Not, wq.AndNot, wq.AndMaybe, wq.Require, wq.DisjunctionMax)
UNREADABLE = Fallback("unreadable", "part of it could not be read as search syntax")
NOTHING = Fallback("nothing", "nothing in it could be searched")


@dataclass
class ParsedText:
    """The query to run (None: every record), and what the user should be told."""

    query: wq.Query | None
    words: list[str] = field(default_factory=list)
    fallback: Fallback | None = None
    persons: list[str] = field(default_factory=list)
    plain: bool = False  # only words, no syntax: may be widened to "any of the words"

    @property
    def fallback_reason(self) -> str | None:
        return self.fallback.message if self.fallback else None


def unsupported(query: wq.Query) -> Fallback | None:
    """Why a parsed query holds a node this search cannot run as written, or None.

    Every kind of node Whoosh's parser can build is named here: leaves over the text
    fields, the boolean compounds, and, refused, the null query, a pattern over
    everything, a leaf over a field of the index's own or over year:, and anything else.
    """
    if is_null_query(query):
        return NOTHING
    if isinstance(query, wq.Every):
        return Fallback("bare-wildcard", "a wildcard has no letters to go with it")
    if isinstance(query, (*_LEAVES, wq.NumericRange)):
        name = query.field()
        if name in DATE_FIELDS:
            return Fallback(
                "date-not-a-filter",
                f"{name}: narrows the whole search, like the {name} filter, so it cannot stand "
                "inside brackets or next to OR or NOT",
            )
        if name not in TEXT_FIELDS or isinstance(query, wq.NumericRange):
            return Fallback(
                "internal-field",
                f"{name}: is not something to search by (search by {FIELDS_TO_SEARCH})",
            )
        if isinstance(query, wq.FuzzyTerm) and query.maxdist > MAX_FUZZY_DISTANCE:
            return Fallback(
                "fuzzy-distance",
                f"a ~ after a word allows at most {MAX_FUZZY_DISTANCE} letters of difference",
            )
        if isinstance(query, wq.FuzzyTerm) and query.prefixlength > len(query.text):
            # Whoosh's automaton reads past the end of the word (IndexError in lev.py).
            return Fallback(
                "fuzzy-prefix",
                f"in {query.text}~{query.maxdist}/{query.prefixlength} the word is shorter than "
                "the letters kept fixed after /",
            )
        return None
    if isinstance(query, _COMPOUNDS):
        for child in query.children():
            found = unsupported(child)
            if found is not None:
                return found
        return None
    return Fallback("unsupported", "part of it is not something this search can run")


class TextParser:
    """One parser per searcher: Whoosh's MultifieldParser over titles, summaries and names."""

    def __init__(self, schema: Schema, authority: Authority):
        self.authority = authority
        # The index's own fields (id:, record:, date_sort: ...): never searched by a person.
        self.internal_fields = frozenset(schema.names()) - set(TEXT_FIELDS)
        self.parser = qparser.MultifieldParser(
            list(DEFAULT_FIELDS),
            schema,
            fieldboosts=FIELD_BOOSTS,
            group=qparser.AndGroup,
        )
        # title:>m, summary:<=n; and word~ / word~2 for spellings one or two letters away.
        self.parser.add_plugin(qparser.GtLtPlugin())
        self.parser.add_plugin(qparser.FuzzyTermPlugin())
        # -word and +word only at the start of a word: "Tse-tung" is one name, not "Tse NOT tung".
        self.parser.add_plugin(
            qparser.PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-")
        )
        aliases: dict[str, list[str]] = {}
        for name, field_name in USER_FIELDS.items():
            if name != field_name:
                aliases.setdefault(field_name, []).append(name)
        self.parser.add_plugin(qparser.FieldAliasPlugin(aliases))
        # Any of the words, records with more of them first: for when no record has them all.
        self.any_parser = qparser.MultifieldParser(
            list(DEFAULT_FIELDS),
            schema,
            fieldboosts=FIELD_BOOSTS,
            group=qparser.OrGroup.factory(0.9),
        )

    def parse(self, text: str) -> ParsedText:
        """The query a text means, or its plain words and the reason it could not be read."""
        text = normalise_fields(text.strip())
        if not text:
            return ParsedText(None)
        words = plain_words(text)
        problem = syntax_problem(text, self.internal_fields)
        parsed: wq.Query | None = None
        if problem is None:
            try:
                parsed = self.parser.parse(text).normalize()
            except Exception:
                problem = UNREADABLE
            else:
                problem = unsupported(parsed)
        if problem is not None:
            parsed = self._plain(words)
        persons: list[str] = []
        plain = not _SYNTAX.search(text)
        if plain or problem is not None:
            parsed, persons = self._with_name_variants(parsed, words)
        return ParsedText(parsed, words, problem, persons, plain=plain or problem is not None)

    def parse_any(self, parsed: ParsedText) -> ParsedText:
        """The same words, any of them required: for a plain query no record matches whole."""
        if len(parsed.words) < 2:
            return parsed
        any_of = self.any_parser.parse(" ".join(f'"{word}"' for word in parsed.words))
        widened, persons = self._with_name_variants(any_of, parsed.words)
        return ParsedText(widened, parsed.words, parsed.fallback, persons, plain=True)

    def _plain(self, words: list[str]) -> wq.Query | None:
        """The words alone, each required, with no syntax at all."""
        if not words:
            return None
        return self.parser.parse(" ".join(f'"{word}"' for word in words))

    def _with_name_variants(
        self, parsed: wq.Query | None, words: list[str]
    ) -> tuple[wq.Query | None, list[str]]:
        """'Mao Tse-tung' or 'Filippov' also finds the records of the person they name."""
        persons, rest, position = [], [], 0
        while position < len(words):
            for length in range(min(MAX_NAME_WORDS, len(words) - position), 0, -1):
                person = self.authority.named_by_key(
                    compact_key(" ".join(words[position : position + length])), None
                )
                if person is not None:
                    persons.append(person.name)
                    position += length
                    break
            else:
                rest.append(words[position])
                position += 1
        if not persons or parsed is None:
            return parsed, []
        alternatives: list[wq.Query] = [
            wq.ConstantScoreQuery(wq.Term("person", name), 1.0) for name in persons
        ]
        rest_query = self._plain(rest)
        if rest_query is not None:
            alternatives.append(rest_query)
        return wq.Or([parsed, wq.And(alternatives)]), persons
