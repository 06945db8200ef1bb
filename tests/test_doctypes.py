"""A record's document type comes from its title's leading words, and is never guessed."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.records.doctypes import (
    DocumentType,
    document_type,
    document_types,
    parse_vocabulary,
    vocabulary,
)
from indexer.records.text import fold_accents

# Every title of the seed pages (../shared/seeds) and the archive sample (its CSV; the record
# pages carry the same 11 titles), with the type a reader of the title gives it.
REAL_TITLES = [
    # seeds/000
    (
        (
            "Record of Talks between I.V. Stalin and Chairman of the Central People's Government "
            "of the People\u2019s Republic of China Mao Zedong"
        ),
        "Record of Conversation",
    ),
    ("Note from Andrey Vyshinsky to Zhou Enlai, February 1950", "Note"),
    ("Cable, Mao Zedong to Filippov [Stalin]", "Cable"),
    (
        (
            "Cable, Zhou Enlai to the Chairman [Mao Zedong] and Comrades Liu [Shaoqi], Zhu [De], "
            "Peng [Dehuai], [Li] Fuchun, and Su Yu"
        ),
        "Cable",
    ),
    ("Letter, Mao Zedong to Comrade Filippov [Stalin]", "Letter"),
    ("Report, Zhou Enlai to Chairman Mao [Zedong] and the Central Committee", "Report"),
    ("Cable, Zhou Enlai to Chairman Mao [Zedong] and the Central Committee", "Cable"),
    ("Report, Zhou Enlai to Chairman Mao", "Report"),
    ("Letter, Zhou Enlai to Comrade Molotov", "Letter"),
    ("Report, Zhou Enlai to the Chairman [Mao Zedong] and the Central Committee", "Report"),
    ("Ciphered Telegram from Mao Zedong to Semenov [Stalin]", "Ciphered Telegram"),
    ("Ciphered Telegram from Vasilevsky and Sokolovsky to Stalin", "Ciphered Telegram"),
    ("Ciphered Telegram from Semenov [Stalin] to Mao Zedong", "Ciphered Telegram"),
    # An author, then the heading the archive quotes: the heading's kind.
    ("Jawaharlal Nehru, 'Note on Visit to China and Indo-China'", "Note"),
    (
        (
            "Memorandum on a Discussion held by the Consul-General of the USSR in "
            "\u00dcr\u00fcmchi, G.S. DOBASHIN, with Deputy Chairman of the People\u2019s "
            "Committee of the Xinjiang Uyghur Autonomous Region, Comrade XIN LANTING"
        ),
        "Memorandum of Conversation",
    ),
    (
        (
            "Memorandum of Conversation of Mao Zedong with Six Delegates of the Socialist "
            "Countries, China, 2 October 1958"
        ),
        "Memorandum of Conversation",
    ),
    ("Mikihail Zimyanin's Background Report for Khrushchev on China (Excerpt)", None),
    # seeds/004
    (
        (
            "Soviet Military Order from Foreign Operations Section Chief to Commander of "
            "East-Asian Operational Section Managarov"
        ),
        None,
    ),
    (
        (
            "Soviet Military Order from Operations Chief, Section Chief Lieutenant General "
            "Filyashev/Filyashkii to Commander of East-Asian Operational Section General "
            "Lieutenant Managarov"
        ),
        None,
    ),
    ("Cable, Mao Zedong to Stalin", "Cable"),
    ("Cable, Joseph Stalin to Anastas Mikoyan", "Cable"),
    (
        (
            "Memorandum of Conversation of Soviet Ambassador Roshchin with Deputy Chairman Zhu De "
            "on 24 October 1949"
        ),
        "Memorandum of Conversation",
    ),
    ("Ciphered telegram, Filippov (Stalin) to Zhou Enlai", "Ciphered Telegram"),
    ("List of Changes to Agreements between China and the Soviet Union", "List"),
    ("Minutes of Chairman Mao Zedong\u2019s Third Meeting with Nehru", "Minutes"),
    (
        (
            "Address by Zhou Enlai at the Plenary Session of the Fourth Meeting of the State "
            "Council (Excerpt)"
        ),
        "Speech",
    ),
    (
        (
            "Gazette of the State Council of the People's Republic of China, 1954, No. 1 (Overall "
            "Issue No. 1)"
        ),
        "Gazette",
    ),
    ("Letter to the Soviet Ambassador [in Beijing]", "Letter"),
    (
        (
            "Proposal of the USSR Ministry of Higher Education on Providing Assistance to the "
            "Chinese People\u2019s Republic in Training Specialists for Work in the Area of the "
            "Peaceful Use of Atomic Energy"
        ),
        "Proposal",
    ),
    (
        (
            "Gazette of the State Council of the People's Republic of China, 1955, No. 23 (Overall "
            "Issue No. 26)"
        ),
        "Gazette",
    ),
    (
        (
            "Letter, Deputy Chair of the Far Eastern Branch of the Soviet Academy of Sciences "
            "Aleksei Vasil\u2019evich Stozhenko"
        ),
        "Letter",
    ),
    (
        (
            "Request by the Chinese leadership to the Soviet Leadership for Help in Establishing "
            "a Chinese Nuclear Program"
        ),
        "Request",
    ),
    (
        (
            "Letter, V. Akshinskii, Deputy Secretary at the Soviet Embassy to China, Regarding the "
            "Behavior of Soviet and Czech Specialists in China"
        ),
        "Letter",
    ),
    (
        (
            "Chinese Communist Party Central Committee Circular concerning the Transfer of Cadres "
            "and Workers to Participate in Atomic Energy Development Work (Excerpt)"
        ),
        None,
    ),
    # archive-sample
    ("Letter, Jawaharlal Nehru to All Provincial Premiers", "Letter"),
    (
        (
            "Economic Cooperation Division [Ministry of Foreign Affairs, Japan], 'Main Points of "
            "Meeting Between Prime Minister Sato and National Defense Minister Chiang Ching-kuo'"
        ),
        None,
    ),
    (
        (
            "Asian Affairs Bureau [Ministry of Foreign Affairs, Japan], 'The Chinese Communist "
            "Problem'"
        ),
        None,
    ),
    (
        (
            "Petition on Opposition to the Coming to Japan of Taiwan\u2019s National Defense "
            "Minister Chiang"
        ),
        "Petition",
    ),
    (
        (
            "Statement of Nakajima Kenzo, Chairman of the Board, Opposing the Visit of Prime "
            "Minister Sato to the United States and Protesting the Coming to Japan of Chiang "
            "Ching-kuo"
        ),
        "Statement",
    ),
    (
        (
            "The Chancellor's [Helmut Kohl's] Meeting with British PM Blair on 20 October 1997, "
            "10.30 a.m. - 3 p.m. in Chequers"
        ),
        None,
    ),
    (
        (
            "The Chancellor's [Helmut Kohl's] Conversation with Portuguese Prime Minister Guterres "
            "on 17 October 1997, 10 a.m. - 11.15 a.m."
        ),
        None,
    ),
    (
        (
            "The Chancellor's [Helmut Kohl's] Conversation with the President of Ukraine, Leonid "
            "Kuchma, on the sidelines of the NATO Summit in Madrid on 8 July 1997"
        ),
        None,
    ),
    (
        (
            "The Chancellor's [Helmut Kohl's] Conversation with Kazakhstan's President Nazarbayev "
            "on Saturday, 10 May 1997, 2.30 p.m. - 3.45 p.m. in Almaty"
        ),
        None,
    ),
    (
        (
            "The Chancellor's [Helmut Kohl's] Meeting with Russian President Yeltsin on 17 April "
            "1997 in Baden-Baden"
        ),
        None,
    ),
    (
        (
            "The Chancellor's [Helmut Kohl's] Telephone Conversation with Polish President "
            "Kwasniewski on Thursday, 12 September 1996, 9.30 hours"
        ),
        None,
    ),
]

# Titles in the archive's style from tests/fixtures and bench/generate.py's templates, and
# forms the rule is written for.
STYLE_TITLES = [
    ("Letter from Fidel Castro to Nikita Khrushchev, 26 October 1962", "Letter"),
    ("Telegram from Kim Il Sung to Stalin", "Telegram"),
    ("Telegram, Soviet Embassy in Hanoi to Moscow", "Telegram"),
    (
        "Telegram from the Soviet Embassy in Beijing to the Soviet Foreign Ministry",
        "Telegram",
    ),
    ("Memorandum from Shtykov to Vyshinsky", "Memorandum"),
    ("Memorandum for the Record, Meeting with General Secretary Brezhnev", "Memorandum"),
    ("Memorandum by Palmiro Togliatti (Yalta Memorandum)", "Memorandum"),
    (
        "Memorandum of a Conversation with Indian Ambassador K. P. S. Menon",
        "Memorandum of Conversation",
    ),
    ("Memorandum of Conversation, Brezhnev and Honecker, Crimea", "Memorandum of Conversation"),
    ("Record of a Conversation between N.S. Khrushchev and Mao Zedong", "Record of Conversation"),
    (
        "Record of the Talks between Prime Minister Tanaka and Premier Zhou Enlai",
        "Record of Conversation",
    ),
    ("Conversation between Deng Xiaoping and Kim Il Sung", "Record of Conversation"),
    ("Minutes of Conversation, Janos Kadar and Zhou Enlai", "Minutes"),
    ("Minutes of Conversation: Todor Zhivkov \u2013 Konstantin Chernenko, Moscow", "Minutes"),
    ("Meeting Minutes of the Politburo of the CC CPSU", "Minutes"),
    ("Notes of Conversation between Comrade Zhou Enlai and Comrade Pham Van Dong", "Notes"),
    ("Notes on a Conversation with Comrade R\u00e1kosi", "Notes"),
    ("Notes from L.A. Leont\u2019ev's February 1950 Meeting with Stalin", "Notes"),
    ("Transcript of Telephone Conversation between A.N. Kosygin and N.M. Taraki", "Transcript"),
    ("Stenographic Transcript of Conference with the Delegations that Returned", "Transcript"),
    ("Information on the Talks between Ulbricht and Khrushchev", "Information"),
    (
        "Information Note from Romanian Embassy in Pyongyang to Romanian Foreign Ministry",
        "Information Note",
    ),
    ("Diary of Soviet Ambassador to the DPRK A.M. Puzanov for 1 June 1957", "Diary"),
    ("Speech by Enver Hoxha at the Moscow Meeting of Communist and Workers' Parties", "Speech"),
    ("Message from President Carter to Chairman Brezhnev", "Message"),
    ("Cable No. 282, Ambassador Ivanov to Gromyko", "Cable"),
    ("Cable to the Chinese Embassy in Tirana, Approving the Visit of Mehmet Shehu", "Cable"),
    ("Resolution of the USSR Council of Ministers on the Korean Question", "Resolution or Decree"),
    ("Decree of the Presidium of the Supreme Soviet of the USSR", "Resolution or Decree"),
    ("Decision of the Politburo of the Central Committee of the VKP(b)", "Decision"),
    ("Circular of the Central Committee of the Chinese Communist Party", "Circular"),
    ("Interview with S\u00fcha Umar", "Interview"),
    (
        "Report Relayed by Andropov to the CPSU Central Committee, 'Students and the Events'",
        "Report",
    ),
    ("Report to the Political Committee on the Consultation Meeting", "Report"),
    ("Order No. 227 of the People's Commissar of Defense", "Order"),
    ("Letter dated 5 May 1950 from Kim Il Sung", "Letter"),
    ("Telegram #5 from the Polish Embassy", "Telegram"),
    ("Telegram", "Telegram"),
    ("Telegram.", "Telegram"),
    ("Cable \u2014 Mao Zedong to Stalin", "Cable"),
    # Words before the kind that keep it.
    ("Excerpts from the Diary of Soviet Ambassador A.M. Puzanov, 14 February 1958", "Diary"),
    (
        (
            "Excerpts from the Diary of Soviet Ambassador V.I. Ivanov, Record of Conversation with "
            "Nam Il"
        ),
        "Diary",
    ),
    (
        "From the Journal of Ambassador Pavel Yudin: Memorandum of Conversation with Liu Shaoqi",
        "Diary",
    ),
    ("Excerpt from the Draft Resolution of the CC CPSU", "Resolution or Decree"),
    ("Draft Instructions to Sadchikov and Chechulin", "Instructions"),
    ("Translation of a Letter from Kim Il Sung to Stalin", "Letter"),
    ("'Report on the Question of Intellectuals'", "Report"),
    ("Zhou Enlai, \u201cReport on the Question of Intellectuals\u201d", "Report"),
]

# Titles that name no kind by the rule: they are left untyped, never guessed.
UNTYPED = [
    "Mao Zedong and the Korean War",
    "",
    "   ",
    "The Telegram from Roshchin to Filippov",  # a heading, not the archive's kind-first form
    "Secret Telegram from Roshchin to Filippov",
    "George Kennan's 'Long Telegram'",
    "Nixon-Mao Conversation, 21 February 1972",
    "Excerpts from Ambassador Puzanov's Journal, 14 May 1960",
    "Session of the CPSU CC Politburo, 10 December 1981",
    "The Chairman [Mao Zedong]'s Talk with Counsellor S.F. Antonov",
    'People\'s Daily and Red Flag Editorial, "The Origin and Development of the Differences"',
    "Untitled report on the objectives of the Communist Party",
    "Soviet Ministry of Foreign Affairs, 'Draft for Transmission to Various Heads of Government'",
    "Discussion between Zhou Enlai and Pham Van Dong",
    "Record of the Meeting of the Presidium",
    "Cable Television in China",  # a kind's word, but not followed as a title goes on
    "Reporter's Notebook",
    "Report's Appendix",
    "Noted Historians on the Cold War",
    "Letter-Appeal of the Workers",  # a hyphen joins the words: not a Letter
    "Ordered Withdrawal",
    "Minuteman Missile Deployment",
    "Memorandums",
    "Telegraphic Address",
    "Draft for Transmission",
    "From Report to Action",  # 'From' is passed over only as 'From the'
]


def _seed_titles(seeds_dir: Path) -> list[str]:
    """The titles of the seed listings: the first line after each result's date line."""
    titles = []
    for page in sorted(seeds_dir.glob("*.txt")):
        lines = [line.strip() for line in page.read_text(encoding="utf-8").splitlines()]
        for number, line in enumerate(lines):
            if line.startswith("\u2022"):
                titles.append(next(text for text in lines[number + 1 :] if text))
    return titles


def test_the_table_covers_every_real_title(seeds_dir: Path, sample_csv: Path) -> None:
    with sample_csv.open(encoding="utf-8") as handle:
        sample = [row["title"] for row in csv.DictReader(handle)]
    real = _seed_titles(seeds_dir) + sample
    assert len(real) == 51
    assert set(real) == {title for title, _ in REAL_TITLES}


@pytest.mark.parametrize("title, expected", REAL_TITLES)
def test_real_titles(title: str, expected: str | None) -> None:
    assert document_type(title) == expected


@pytest.mark.parametrize("title, expected", STYLE_TITLES)
def test_titles_in_the_archive_style(title: str, expected: str) -> None:
    assert document_type(title) == expected


@pytest.mark.parametrize("title", UNTYPED)
def test_titles_without_a_kind_are_untyped(title: str) -> None:
    assert document_type(title) is None


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Ciphered Telegram from Mao Zedong to Semenov [Stalin]", "Ciphered Telegram"),
        ("Telegram from Mao Zedong to Semenov [Stalin]", "Telegram"),
        (
            "Memorandum of Conversation between Kissinger and Zhou Enlai",
            "Memorandum of Conversation",
        ),
        ("Memorandum of the Ministry of Foreign Affairs of Hungary", "Memorandum"),
        # The longer phrase must end at a boundary too, or the shorter one is read.
        ("Memorandum of Conversationalists", "Memorandum"),
        ("Information Note from the Romanian Embassy", "Information Note"),
        ("Information from the Bulgarian Embassy in Baghdad", "Information"),
        ("Record of Telephone Conversation between Brezhnev and Dubcek", "Record of Conversation"),
        ("Transcript of Telephone Conversation between Brezhnev and Dubcek", "Transcript"),
        ("Joint Communiqu\u00e9 of the United States and the PRC", "Communiqu\u00e9"),
        ("Circular Telegram to All Embassies", "Circular"),
    ],
)
def test_the_longest_phrase_wins(title: str, expected: str) -> None:
    assert document_type(title) == expected


@pytest.mark.parametrize(
    "title, expected",
    [
        ("CIPHERED TELEGRAM FROM MAO ZEDONG TO SEMENOV", "Ciphered Telegram"),
        ("ciphered telegram from mao zedong to semenov", "Ciphered Telegram"),
        ("cIPHERED tELEGRAM, Mao to Semenov", "Ciphered Telegram"),
        ("Joint Communique of the United States and the PRC", "Communiqu\u00e9"),
        ("Aide-Memoire of the Soviet Government", "Aide-M\u00e9moire"),
        ("Aide M\u00e9moire of the Soviet Government", "Aide-M\u00e9moire"),
        ("AIDE-M\u00c9MOIRE", "Aide-M\u00e9moire"),
        ("M\u00e9morandum of Conversation with Mao", "Memorandum of Conversation"),
        ("Memorandum   of\n Conversation  between Mao and Yudin", "Memorandum of Conversation"),
        ("Cable,\u00a0Mao Zedong to Stalin", "Cable"),
        ("  Letter ,  Stalin to Mao", "Letter"),
        ("Jawaharlal Nehru, \u2018Note on Visit to China and Indo-China\u2019", "Note"),
    ],
)
def test_case_accents_and_spaces_do_not_matter(title: str, expected: str) -> None:
    assert document_type(title) == expected


def test_the_vocabulary_names_the_types_the_archive_uses() -> None:
    names = document_types()
    assert names[:3] == ("Telegram", "Ciphered Telegram", "Cable")  # the file's order
    assert len(set(names)) == len(names)
    required = {
        "Telegram",
        "Ciphered Telegram",
        "Cable",
        "Letter",
        "Memorandum of Conversation",
        "Memorandum",
        "Record of Conversation",
        "Minutes",
        "Report",
        "Notes",
        "Note",
        "Diary",
        "Speech",
        "Message",
        "Order",
        "Instructions",
        "Resolution or Decree",
    }
    assert required <= set(names)
    assert vocabulary() is vocabulary()  # read once


@pytest.mark.parametrize("kind", vocabulary(), ids=lambda kind: kind.name)
def test_every_phrase_names_its_own_type(kind: DocumentType) -> None:
    """No phrase is shadowed by another's row: each, alone or leading a title, gives its type."""
    for phrase in kind.phrases:
        assert document_type(phrase) == kind.name
        assert document_type(f"{phrase} from Mao Zedong to Stalin") == kind.name
        assert document_type(f"{phrase}, Mao Zedong to Stalin") == kind.name
        assert document_type(f"Excerpts from the {phrase} of Zhou Enlai") == kind.name


@pytest.mark.parametrize(
    "text, message",
    [
        ("Telegram Telegram|Telegrams\n", "line 1"),  # no tab
        ("# comment\nTelegram\t\n", "line 2"),  # no phrase
        ("Telegram\tTelegram\nWire\ttelegram\n", "listed already"),  # a phrase for two types
        ("Telegram\tTelegram|Telegram\n", "listed already"),
        ("Telegram\tTelegram\nTelegram\tWire\n", "has a row already"),
        ("Telegram\tTelegram\tWire\n", "one tab"),
        ("Telegram\t(Telegram)\n", "start with a word"),
    ],
)
def test_a_malformed_vocabulary_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_vocabulary(text)


def test_a_vocabulary_is_parsed_in_order() -> None:
    parsed = parse_vocabulary("# types\n\nWire\tWire|Wires\nMemo\tMemo\n")
    assert parsed == (DocumentType("Wire", ("Wire", "Wires")), DocumentType("Memo", ("Memo",)))


# -- properties --------------------------------------------------------------------------------

_TYPED = [title for title, expected in REAL_TITLES + STYLE_TITLES if expected is not None]
# Titles typed by their own leading words (not by a quoted heading or a passed-over prefix).
_LEADING_TYPED = [
    title
    for title in _TYPED
    if "'" not in title
    and "\u201c" not in title
    and not title.lower().startswith(("excerpt", "from", "draft", "translation"))
]
_VOCABULARY_WORDS = frozenset(
    word
    for kind in vocabulary()
    for phrase in kind.phrases
    for word in fold_accents(phrase).lower().replace("-", " ").split()
) | {"excerpt", "excerpts", "extract", "extracts", "from", "draft", "translation"}
_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\u00e1\u00e9\u00f1\u00e7\u0142\u00f8",
    min_size=1,
    max_size=12,
)


@given(st.text())
@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
def test_any_text_gives_none_or_a_vocabulary_type(title: str) -> None:
    assert document_type(title) in (None, *document_types())


@given(
    word=_WORD.filter(lambda word: fold_accents(word).lower() not in _VOCABULARY_WORDS),
    title=st.sampled_from(_LEADING_TYPED),
)
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
def test_a_word_before_the_kind_is_never_guessed_past(word: str, title: str) -> None:
    assert document_type(title) is not None
    assert document_type(f"{word} {title}") is None


@given(title=st.sampled_from(_TYPED), upper=st.lists(st.booleans(), min_size=300, max_size=300))
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
def test_case_never_changes_the_type(title: str, upper: list[bool]) -> None:
    recased = "".join(
        ch.upper() if flip else ch.lower() for ch, flip in zip(title, upper, strict=False)
    )
    recased += title[len(upper) :]
    assert document_type(recased) == document_type(title)


@given(
    kind=st.sampled_from(vocabulary()),
    data=st.data(),
    joiner=st.sampled_from(
        [", ", " from ", " to ", " of ", " by ", " (", ": ", " - ", " No. ", " 12 "]
    ),
    rest=st.sampled_from(["Mao Zedong to Stalin", "the Soviet Embassy", "1950", "Excerpt)", ""]),
)
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
def test_a_phrase_and_a_boundary_give_the_phrase_type(
    kind: DocumentType, data: st.DataObject, joiner: str, rest: str
) -> None:
    phrase = data.draw(st.sampled_from(kind.phrases))
    decomposed = unicodedata.normalize("NFD", phrase)  # accents as combining marks
    assert document_type(f"{phrase}{joiner}{rest}") == kind.name
    assert document_type(f"{decomposed}{joiner}{rest}") == kind.name
