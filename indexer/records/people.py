"""Find the people a record names, each under one canonical name.

Three places name people: the title ("Cable, Mao Zedong to Filippov [Stalin]"), the
summary ("Zhou reports on ...") and the archive's own tags ("Chiang, Ching-kuo
(Jiang Jingguo)"). A name counts when the authority file knows it, or when the text
gives plain evidence that it is a person's:
  - a rank or honorific before it ("Comrade XIN LANTING", "Ambassador Roshchin"),
  - a known given name ("Ivan Kovalev") or initials ("V. Akshinskii"),
  - a party slot in a title's grammar ("Cable, A to B", "Statement of A"),
  - a role phrase that ends in it ("Commander of East-Asian Operational Section Managarov"),
  - or it is the surname of someone the same record already names ("Zhou" after "Zhou Enlai").
Places, nationalities, institutions and document words never count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import NamedTuple, TypeAlias

from .authority import Authority, Person, surname_of
from .names import (
    Mention,
    display_name,
    east_asian_name_shape,
    name_like,
    surnames_match,
    tag_person,
)
from .text import accent_count, compact_key, fold_accents, match_key
from .tokens import (
    NameRun,
    Stretch,
    Token,
    rewrite_brackets,
    stretch_runs,
    stretches,
    stretches_with_capitals,
)

__all__ = ["PersonFinder", "PersonsFound", "surnames_match"]

_DOC_WORDS = re.compile(
    r"\b(cable|telegram|letter|memorandum|memo|note|report|record|minutes|transcript|conversation|"
    r"talks|meeting|statement|message|speech|remarks|instructions?|directive|order|notes|diary|"
    r"excerpt|information|request|reply|proposal|petition|appeal|circular|communication|"
    r"discussion|interview|telephone|toast|decree|resolution|conversations)\b",
    re.IGNORECASE,
)
_PARTY_CONNECTORS = {"from", "to", "between", "and", "with", "by", "of", "for", ","}
MAX_NAME_TOKENS = 6
_PAIR = re.compile(r"\b([A-Z][\w'\u2019]+)-([A-Z][\w'\u2019]+)\b")
# A token's role in a run: the Person it names, or a word such as 'rank' or 'free'.
_Label: TypeAlias = Person | str

# How many readings each authority's _PhraseReader remembers, least recently used first out.
# An entry is a short text and the few mentions it names: well under 1 KB, so together the
# caches stay within some tens of MB however many records a process cleans.
TITLES = 16_384  # whole titles, in the years names are read in
TITLE_STRETCHES = 16_384  # title stretches with the words around them, for titles not seen
SUMMARY_STRETCHES = 32_768  # summary stretches ("Joseph Stalin", "Ambassador Roshchin")
TAGS = 16_384  # the archive's tags ("Chiang, Ching-kuo (Jiang Jingguo)")


@dataclass(frozen=True, slots=True)
class Pending:
    """A capitalised name-like phrase without evidence, kept in case the record names its
    owner: what it is compared by, worked out once, when the phrase is read."""

    key: str  # the compact key of its display name
    last: str  # its last word that is not initials
    initial: str  # the first letter of its first such word, folded, when it has two or more

    @staticmethod
    def of(tokens: Sequence[Token]) -> Pending | None:
        """The phrase as pending, or None if it can never name anyone: initials alone, or
        more than four words."""
        words = [t for t in tokens if t.kind != "initials"]
        if not words or len(words) > 4:
            return None
        initial = fold_accents(words[0].base[:1]).lower() if len(words) > 1 else ""
        return Pending(compact_key(display_name(tokens)), words[-1].base, initial)


class Reading(NamedTuple):
    """What one stretch of a title or summary says: the persons it names, in order, and the
    name-like phrases it leaves pending."""

    mentions: tuple[Mention, ...]
    pending: tuple[Pending, ...]


# What most stretches say ("the.", "In"): one object for all, where the caches keep them.
_NOTHING = Reading((), ())


@dataclass
class PersonsFound:
    persons: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)


class PersonFinder:
    """Finds the persons of one record; one finder serves a whole ingest.

    What phrases and tags say is read by the authority's _PhraseReader, which remembers it
    for every finder of that authority; a finder puts one record's readings together (and
    holds nothing more than its authority, so it pickles as ever).
    """

    def __init__(self, authority: Authority):
        self.authority = authority
        self.lexicon = authority.lexicon

    def find(self, title: str, summary: str, tags: list[str], year: int | None) -> PersonsFound:
        found = PersonsFound()
        phrases = _phrase_reader(self.authority)
        tagged: list[Mention] = []
        for tag in tags:
            mention = phrases.tag(tag)
            if mention:
                tagged.append(mention)
            elif tag not in found.organizations:
                found.organizations.append(tag)
        year = self.authority.names_year(year)
        readings = [phrases.title(title, year), *phrases.summary(summary, year)]
        mentions = [mention for reading in readings for mention in reading.mentions]
        pending = [item for reading in readings for item in reading.pending]
        known = mentions + tagged
        for item in pending:
            mention = self._resolve_pending(item, known)
            if mention:
                mentions.append(mention)
        found.persons = self._unique(mentions + tagged)
        return found

    def _resolve_pending(self, pending: Pending, known: list[Mention]) -> Mention | None:
        """A name without evidence counts only as someone the record already names."""
        key = pending.key
        for mention in known:
            if key == compact_key(mention.display) or (
                mention.person and key in mention.person.form_keys
            ):
                return mention
        for mention in known:
            if not surnames_match(pending.last, mention.surname):
                continue
            given = mention.given or (mention.person.name.split()[0] if mention.person else "")
            if (
                not pending.initial
                or not given
                or fold_accents(given[:1]).lower() == pending.initial
            ):
                return mention
        return None

    def _unique(self, mentions: list[Mention]) -> list[str]:
        """One name per person: full names absorb bare surnames and spelling variants."""
        names: list[str] = []
        chosen: dict[str, Mention] = {}
        for mention in mentions:
            same = next((m for m in chosen.values() if self._same_person(m, mention)), None)
            if same is None:
                chosen[mention.key] = mention
                names.append(mention.display)
            elif (same.person is None and mention.person is not None) or (
                same.person is None and self._more_informative(mention, same)
            ):
                names[names.index(same.display)] = mention.display
                del chosen[same.key]
                chosen[mention.key] = mention
        return names

    @staticmethod
    def _more_informative(new: Mention, old: Mention) -> bool:
        """'Nakajima Kenzō' over 'Nakajima Kenzo'; a tag's full name over a bare surname."""
        if compact_key(new.display) == compact_key(old.display):
            return accent_count(new.display) > accent_count(old.display)
        return new.from_tag and len(new.display) > len(old.display)

    def _same_person(self, a: Mention, b: Mention) -> bool:
        if a.person and b.person:
            return a.person.name == b.person.name
        known, other = (a, b) if a.person else (b, a)
        if known.person and self.authority.resolve(other.display) is known.person:
            return True  # "Krishna Menon" beside "V. K. Krishna Menon"
        if compact_key(a.display) == compact_key(b.display):
            return True
        a_words, b_words = a.display.split(), b.display.split()
        if (len(a_words) == 1 or len(b_words) == 1) and surnames_match(a.surname, b.surname):
            return True
        if a.person is None and b.person is None and surnames_match(a.surname, b.surname):
            return fold_accents(a.display[:1]).lower() == fold_accents(b.display[:1]).lower()
        return False


@lru_cache(maxsize=4)
def _phrase_reader(authority: Authority) -> _PhraseReader:
    """The reader of an authority, shared by its finders: one per process in a build (a few
    in tests), each holding its own bounded caches."""
    return _PhraseReader(authority)


def _reading(mentions: list[Mention], pending: list[Pending]) -> Reading:
    return Reading(tuple(mentions), tuple(pending)) if mentions or pending else _NOTHING


class _PhraseReader:
    """Reads what the phrases of titles and summaries, and the archive's tags, say of persons.

    Every reading is a function of its arguments and the authority alone (an authority is
    never changed once loaded; a year enters only as Authority.names_year), so readings are
    remembered in bounded caches: the same title phrases, names and tags recur across an
    archive, and are read once. A summary's stretches are read without the words around
    them: only a title's grammar looks beyond a run ("Cable, A to B"), so "Joseph Stalin"
    is read once for every summary that names him.
    """

    def __init__(self, authority: Authority):
        self.authority = authority
        self.lexicon = authority.lexicon
        self.tag = lru_cache(maxsize=TAGS)(partial(tag_person, authority=authority))
        self.title = lru_cache(maxsize=TITLES)(self._read_title)
        self._title_stretch = lru_cache(maxsize=TITLE_STRETCHES)(self._read_title_stretch)
        self._summary_stretch = lru_cache(maxsize=SUMMARY_STRETCHES)(self._read_summary_stretch)

    def _read_title(self, title: str, year: int | None) -> Reading:
        """What a title says (``year`` as Authority.names_year gives it), remembered whole as
        self.title; a title not seen before is read from the stretches remembered."""
        has_doc_word = bool(_DOC_WORDS.search(title))
        readings = [
            self._title_stretch(*stretch, has_doc_word, year)
            for stretch in stretches(self._prepare(title))
        ]
        return _reading(
            [mention for reading in readings for mention in reading.mentions],
            [item for reading in readings for item in reading.pending],
        )

    def summary(self, summary: str, year: int | None) -> list[Reading]:
        """The readings of a summary's stretches; ``year`` as Authority.names_year gives it."""
        return [
            self._summary_stretch(text, year)
            for text in stretches_with_capitals(self._prepare(summary))
        ]

    def _read_title_stretch(
        self, text: str, before: str, after: str, has_doc_word: bool, year: int | None
    ) -> Reading:
        # Keyed by plain strings, not the Stretch: a key of strings alone the collector
        # stops tracking, where it would look at a named tuple every time it ran.
        return self._read_stretch(Stretch(text, before, after), True, has_doc_word, year)

    def _read_summary_stretch(self, text: str, year: int | None) -> Reading:
        return self._read_stretch(Stretch(text, "", ""), False, False, year)

    def _read_stretch(
        self, stretch: Stretch, is_title: bool, title_has_doc_word: bool, year: int | None
    ) -> Reading:
        mentions: list[Mention] = []
        pending: list[Pending] = []
        for run in stretch_runs(stretch):
            self._read_run(run, is_title, title_has_doc_word, year, mentions, pending)
        return _reading(mentions, pending)

    # -- brackets and pairs -----------------------------------------------------------------

    def _prepare(self, text: str) -> str:
        """The text with editorial brackets resolved and hyphenated pairs of persons split."""
        prepared = rewrite_brackets(text, self) if ("[" in text or "(" in text) else text
        if "-" in prepared:
            prepared = _PAIR.sub(self._split_pair, prepared)
        return prepared

    def _split_pair(self, match: re.Match[str]) -> str:
        """'Nixon-Mao Conversation': two known persons joined by a hyphen are two persons."""
        first, second = match.group(1), match.group(2)
        if self.authority.resolve(first) and self.authority.resolve(second):
            return f"{first} and {second}"
        unchanged: str = match.group(0)  # group 0, the whole match, is never None
        return unchanged

    def known_name(self, text: str) -> bool:
        return self.authority.full(text) is not None

    def is_pseudonym(self, text: str) -> bool:
        return self.authority.is_pseudonym(text)

    def bracket_person(self, text: str) -> bool:
        """Does a bracket's text name a person on its own ('Stalin', 'Mao Zedong')?"""
        if self.authority.resolve(text) is not None:
            return True
        words = text.split()
        return (
            len(words) >= 2
            and name_like(text, self.lexicon)
            and match_key(words[0]) not in self.lexicon.ranks
        )

    # -- runs -------------------------------------------------------------------------------

    def _read_run(
        self,
        run: NameRun,
        is_title: bool,
        title_has_doc_word: bool,
        year: int | None,
        mentions: list[Mention],
        pending: list[Pending],
    ) -> None:
        tokens = run.tokens
        labels = self._label(tokens, year)
        position = 0
        while position < len(tokens):
            label = labels[position]
            if isinstance(label, Person):
                while position < len(tokens) and labels[position] is label:
                    position += 1
                if position < len(tokens) and labels[position] in ("institution", "place"):
                    continue  # "Kim Chaek City", "Kim Il Sung University": named after, not naming
                mentions.append(Mention(label.name, label, surname_of(label.name, self.lexicon)))
                continue
            if label != "free":
                position += 1
                continue
            end = position
            while end < len(tokens) and labels[end] == "free":
                end += 1
            self._free_group(
                tokens, labels, position, end, run, is_title, title_has_doc_word, mentions, pending
            )
            position = end

    def _label(self, tokens: list[Token], year: int | None) -> list[_Label]:
        """Each token's role: a Person, 'rank', 'place', 'institution', 'not', 'free'.

        Longest match first, left to right; span keys are joined from token keys
        computed once, since this runs for every run of every record.
        """
        keys = [match_key(token.base) for token in tokens]
        labels: list[_Label] = ["free"] * len(tokens)
        position = 0
        while position < len(tokens):
            matched = 0
            for length in range(min(MAX_NAME_TOKENS, len(tokens) - position), 0, -1):
                span_keys = keys[position : position + length]
                label: _Label | None = None
                if length > 1 or tokens[position].kind != "initials":
                    label = self.authority.named_by_key("".join(span_keys).replace(" ", ""), year)
                if label is None and length > 1:
                    label = self._phrase_label(" ".join(span_keys))
                if label is None and length == 1:
                    label = self._word_label(tokens[position], span_keys[0])
                if label is not None:
                    labels[position : position + length] = [label] * length
                    matched = length
                    break
            position += matched or 1
        return labels

    def _phrase_label(self, key: str) -> str | None:
        lexicon = self.lexicon
        if key in lexicon.places:
            return "place"
        if key in lexicon.demonyms:
            return "demonym"
        if key in lexicon.institution_names:
            return "institution"
        if key in lexicon.ranks:
            return "rank"
        return None

    def _word_label(self, token: Token, key: str) -> str | None:
        lexicon = self.lexicon
        if token.kind == "initials":
            return None
        label = self._phrase_label(key)
        if label:
            return label
        if key in lexicon.institution_words:
            return "institution"
        if key in lexicon.not_names:
            return "not"
        if "-" in token.base:
            parts = [match_key(p) for p in token.base.split("-") if p]
            if any(p in lexicon.places or p in lexicon.demonyms for p in parts):
                return "demonym"
        if token.kind == "acronym":
            return "not"
        return None

    def _free_group(
        self,
        tokens: list[Token],
        labels: list[_Label],
        start: int,
        end: int,
        run: NameRun,
        is_title: bool,
        title_has_doc_word: bool,
        mentions: list[Mention],
        pending: list[Pending],
    ) -> None:
        """A stretch of unlabelled capitalised words: a person if the text gives evidence."""
        group = tokens[start:end]
        # Trailing particles or initials alone are not a name.
        while group and group[-1].kind in ("particle", "initials"):
            group = group[:-1]
        if not group:
            return
        given_at = next(
            (
                i
                for i, t in enumerate(group)
                if match_key(t.base) in self.lexicon.given_names and i + 1 < len(group)
            ),
            None,
        )
        if given_at:
            group = group[
                given_at:
            ]  # "Sciences Aleksei Vasil'evich Stozhenko" -> from the given name
        before = labels[start - 1] if start > 0 else None
        after = labels[end] if end < len(tokens) else None
        if isinstance(after, Person) and len(group) == 1:
            return  # "Mikihail Zimyanin": a first name (misspelt or not) of the person after it
        words = [t for t in group if t.kind != "initials"]
        strong = (
            before == "rank"
            or given_at is not None
            or (group[0].kind == "initials" and len(words) >= 1)
            or east_asian_name_shape([t.base for t in group], self.lexicon)
        )
        weak = (
            (is_title and before in ("institution", "place") and end == len(tokens))
            or (is_title and title_has_doc_word and start == 0 and self._party_slot(run, group))
            or (
                is_title and start == 0 and run.before == "(" and run.after == ")"
            )  # "Embassy in Havana (Jeleń)"
        )
        if (
            weak
            and not strong
            and any(
                self.lexicon.is_common_word(t.base) or (t.kind == "caps" and len(t.base) <= 4)
                for t in words
            )
        ):
            weak = False  # headline capitals ("to Participate in") and acronyms ("CC VKP(b)")
        if (strong or weak) and len(words) <= 4 and self._not_a_word(group):
            mentions.append(self._unknown(group))
        else:
            item = Pending.of(group)
            if item:
                pending.append(item)

    def _party_slot(self, run: NameRun, group: list[Token]) -> bool:
        """Is this run a sender or recipient in a title's grammar ('Cable, A to B')?"""
        if len(group) > 4:
            return False
        if run.before in _PARTY_CONNECTORS - {","}:
            return True
        if run.before == ",":
            # "Cable, A to B": the comma after the document type; or a list of parties.
            return run.after in _PARTY_CONNECTORS or run.after in ("", ",")
        return run.before == "" and run.possessive  # "Mikihail Zimyanin's Background Report"

    def _not_a_word(self, group: list[Token]) -> bool:
        """Single lower-case-looking words ('Operational') are not names without more."""
        return all(t.kind in ("name", "initials", "particle", "caps") for t in group)

    def _unknown(self, group: list[Token]) -> Mention:
        shown = display_name(group)
        person = self.authority.full(shown)
        if person:
            return Mention(person.name, person, surname_of(person.name, self.lexicon))
        given = group[0].base if len(group) > 1 else ""
        return Mention(shown, None, surname_of(shown, self.lexicon), given=given)
