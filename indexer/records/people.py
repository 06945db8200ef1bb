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
from dataclasses import dataclass, field
from typing import TypeAlias

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
from .tokens import NameRun, Token, name_runs, rewrite_brackets

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


@dataclass
class Pending:
    """A capitalised name-like phrase without evidence, kept in case the record names its owner."""

    tokens: list[Token]


@dataclass
class PersonsFound:
    persons: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)


class PersonFinder:
    """Finds the persons of one record; one finder serves a whole ingest."""

    def __init__(self, authority: Authority):
        self.authority = authority
        self.lexicon = authority.lexicon

    # -- free text ------------------------------------------------------------------------

    def find(self, title: str, summary: str, tags: list[str], year: int | None) -> PersonsFound:
        found = PersonsFound()
        tagged: list[Mention] = []
        for tag in tags:
            mention = tag_person(tag, self.authority)
            if mention:
                tagged.append(mention)
            elif tag not in found.organizations:
                found.organizations.append(tag)
        mentions: list[Mention] = []
        pending: list[Pending] = []
        for text, is_title in ((title, True), (summary, False)):
            rewritten = rewrite_brackets(text, self) if ("[" in text or "(" in text) else text
            if "-" in rewritten:
                rewritten = _PAIR.sub(self._split_pair, rewritten)
            for run in name_runs(rewritten):
                self._read_run(
                    run, is_title, bool(_DOC_WORDS.search(title)), year, mentions, pending
                )
        known = mentions + tagged
        for item in pending:
            mention = self._resolve_pending(item.tokens, known)
            if mention:
                mentions.append(mention)
        found.persons = self._unique(mentions + tagged)
        return found

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
            pending.append(Pending(group))

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

    def _resolve_pending(self, tokens: list[Token], known: list[Mention]) -> Mention | None:
        """A name without evidence counts only as someone the record already names."""
        words = [t for t in tokens if t.kind != "initials"]
        if not words or len(words) > 4:
            return None
        key = compact_key(display_name(tokens))
        for mention in known:
            if key == compact_key(mention.display) or (
                mention.person and any(key == compact_key(f) for f in mention.person.forms)
            ):
                return mention
        last = words[-1].base
        first_initial = fold_accents(words[0].base[:1]).lower() if len(words) > 1 else ""
        for mention in known:
            if not surnames_match(last, mention.surname):
                continue
            given = mention.given or (mention.person.name.split()[0] if mention.person else "")
            if not first_initial or not given or fold_accents(given[:1]).lower() == first_initial:
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
