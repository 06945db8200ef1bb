"""What a user typed -> a Whoosh query, never an exception.

Whoosh's own parser reads words (AND by default), "phrases", OR, NOT and -word,
title:/summary:/person: fields and wildcards. It rarely raises on broken syntax; it
quietly reads it as something else. So the text is checked first, and a query with an
unbalanced quote, a dangling operator, an empty field or a bare wildcard is searched
as its plain words, and the result says so.

A name the authority file knows ("Mao Tse-tung", "Chou En-lai", "Filippov") also
finds the records of its canonical person, whatever the spelling in those records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from whoosh import qparser
from whoosh import query as wq
from whoosh.fields import Schema

from indexer.index.schema import FIELD_BOOSTS, TEXT_FIELDS
from indexer.index.whoosh_internals import is_null_query
from indexer.records.authority import Authority
from indexer.records.text import compact_key

_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_FIELDS = {"title", "summary", "person", "persons", "people", "names"}
_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
_SYNTAX = re.compile(r"[\"()*?:]|(?<![^\s(])[+\-]|\b(?:AND|OR|NOT)\b")
_FIELD_PREFIX = re.compile(r"\b(?:title|summary|person|persons|people|names):", re.IGNORECASE)
MAX_NAME_WORDS = 4
SEARCHABLE_FIELDS = set(TEXT_FIELDS) | {"year"}


@dataclass
class ParsedText:
    """The query to run (None: every record), and what the user should be told."""

    query: wq.Query | None
    words: list[str] = field(default_factory=list)
    fallback_reason: str | None = None
    persons: list[str] = field(default_factory=list)
    plain: bool = False  # only words, no syntax: may be widened to "any of the words"


def syntax_problem(text: str) -> str | None:
    """Why this text cannot be read as query syntax, or None when it can."""
    if text.count('"') % 2:
        return "a quotation mark is not closed"
    outside_quotes = re.sub(r'"[^"]*"', " ", text)
    depth = 0
    for char in outside_quotes:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return "a bracket is closed that was never opened"
    if depth:
        return "a bracket is not closed"
    if re.search(r"\(\s*\)", outside_quotes):
        return "a pair of brackets holds nothing"
    for match in re.finditer(r"(\w+):", outside_quotes):
        if match.group(1).lower() in _FIELDS:
            rest = outside_quotes[match.end() :]
            if not rest.strip() or rest[:1].isspace() or re.match(r"\(\s*\)", rest):
                return f"{match.group(1)}: has nothing after it"
    tokens = outside_quotes.split()
    words = [t for t in tokens if t.strip("()") not in _OPERATORS]
    if not words and not re.search(r'"[^"]*\w[^"]*"', text):
        return "there are only operators (AND, OR, NOT) and no words"
    operator_positions = [i for i, t in enumerate(tokens) if t.strip("()") in _OPERATORS]
    if operator_positions:
        if tokens[0].strip("()") in ("AND", "OR") or tokens[-1].strip("()") in _OPERATORS:
            return "an operator (AND, OR, NOT) has nothing on one side"
        if any(
            b - a == 1 and tokens[b].strip("()") != "NOT" for a, b in pairwise(operator_positions)
        ):
            return "two operators follow each other"
    for token in tokens:
        bare = token.strip('()+-"').split(":")[-1]
        if bare and not re.search(r"\w", bare) and re.search(r"[*?]", bare):
            return "a wildcard has no letters to go with it"
    return None


class TextParser:
    """One parser per searcher: Whoosh's MultifieldParser over titles, summaries and names."""

    def __init__(self, schema: Schema, authority: Authority):
        self.authority = authority
        self.parser = qparser.MultifieldParser(
            list(TEXT_FIELDS),
            schema,
            fieldboosts=FIELD_BOOSTS,
            group=qparser.AndGroup,
        )
        # -word and +word only at the start of a word: "Tse-tung" is one name, not "Tse NOT tung".
        self.parser.add_plugin(
            qparser.PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-")
        )
        self.parser.add_plugin(qparser.FieldAliasPlugin({"names": ["person", "persons", "people"]}))
        # Any of the words, records with more of them first: for when no record has them all.
        self.any_parser = qparser.MultifieldParser(
            list(TEXT_FIELDS),
            schema,
            fieldboosts=FIELD_BOOSTS,
            group=qparser.OrGroup.factory(0.9),
        )

    def parse(self, text: str) -> ParsedText:
        text = text.strip()
        if not text:
            return ParsedText(None)
        words = [w for w in _WORD.findall(_FIELD_PREFIX.sub(" ", text)) if w not in _OPERATORS]
        problem = syntax_problem(text)
        parsed: wq.Query | None = None
        if problem is None:
            try:
                parsed = self.parser.parse(text)
            except Exception as error:  # Whoosh's parser can raise on inputs we did not foresee
                problem = f"the query could not be read ({type(error).__name__})"
            else:
                if is_null_query(parsed):
                    problem, parsed = "nothing in it could be searched", None
                elif unsearchable := sorted(
                    {
                        str(getattr(leaf, "fieldname", None))
                        for leaf in parsed.leaves()
                        if getattr(leaf, "fieldname", None) not in SEARCHABLE_FIELDS
                    }
                ):
                    # id:, record:, date_sort: ... are the index's own; a pattern over one
                    # (id:*) would also expand to every record.
                    problem = (
                        f"{unsearchable[0]}: is not something to search by "
                        "(use title:, summary: or person:)"
                    )
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
        return ParsedText(widened, parsed.words, parsed.fallback_reason, persons, plain=True)

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
