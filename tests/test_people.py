"""People: titles and summaries in, canonical persons out; the traps stay out."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.records.authority import (
    Authority,
    AuthorityError,
    load_authority,
    load_lexicon,
    parse_people,
)
from indexer.records.names import tag_person
from indexer.records.people import PersonFinder

AUTHORITY = load_authority()


@pytest.fixture(scope="module")
def authority() -> Authority:
    return load_authority()


@pytest.fixture(scope="module")
def finder(authority) -> PersonFinder:
    return PersonFinder(authority)


def canonical(authority: Authority, names: list[str]) -> list[str]:
    """Expected names may be written in any authority form; compare canonical names."""
    return [authority.resolve(name).name if authority.resolve(name) else name for name in names]


TITLES = [
    # (title, year, persons in order)
    ("Cable, Mao Zedong to Filippov [Stalin]", 1952, ["Mao Zedong", "Stalin"]),
    ("Letter, Mao Zedong to Comrade Filippov [Stalin]", 1952, ["Mao Zedong", "Stalin"]),
    ("Ciphered telegram, Filippov (Stalin) to Zhou Enlai", 1950, ["Stalin", "Zhou Enlai"]),
    ("Ciphered Telegram from Semenov [Stalin] to Mao Zedong", 1953, ["Stalin", "Mao Zedong"]),
    # Pseudonyms without the real name, in their years.
    ("Cable, Filippov to Mao Zedong", 1950, ["Stalin", "Mao Zedong"]),
    ("Cable, Fyn Si to Kim Il Sung", 1950, ["Stalin", "Kim Il Sung"]),
    ("Ciphered Telegram from Semenov to Mao Zedong", 1953, ["Stalin", "Mao Zedong"]),
    # Transliterations and spellings: one canonical name.
    ("Cable, Mao Tse-tung to Chou En-lai", 1949, ["Mao Zedong", "Zhou Enlai"]),
    (
        (
            "Record of Talks between I.V. Stalin and Chairman of the Central People's "
            "Government of the People\u2019s Republic of China Mao Zedong"
        ),
        1950,
        ["Stalin", "Mao Zedong"],
    ),
    ("Memorandum of Conversation with Kim Il-sung", 1956, ["Kim Il Sung"]),
    (
        "Telephone Conversation with Polish President Kwa\u015bniewski",
        1996,
        ["Aleksander Kwa\u015bniewski"],
    ),
    (
        "Telephone Conversation with Polish President Kwasniewski",
        1996,
        ["Aleksander Kwa\u015bniewski"],
    ),
    ("Note from Andrey Vyshinsky to Zhou Enlai, February 1950", 1950, ["Vyshinsky", "Zhou Enlai"]),
    # Editorial brackets.
    (
        (
            "Cable, Zhou Enlai to the Chairman [Mao Zedong] and Comrades Liu [Shaoqi], Zhu [De], "
            "Peng [Dehuai], [Li] Fuchun, and Su Yu"
        ),
        1952,
        ["Zhou Enlai", "Mao Zedong", "Liu Shaoqi", "Zhu De", "Peng Dehuai", "Li Fuchun", "Su Yu"],
    ),
    (
        "Report, Zhou Enlai to Chairman Mao [Zedong] and the Central Committee",
        1952,
        ["Zhou Enlai", "Mao Zedong"],
    ),
    (
        "The Chancellor's [Helmut Kohl's] Meeting with British PM Blair on 20 October 1997",
        1997,
        ["Helmut Kohl", "Tony Blair"],
    ),
    # Names the authority file need not know, with evidence from the title.
    (
        (
            "Memorandum on a Discussion held by the Consul-General of the USSR in "
            "\u00dcr\u00fcmchi, G.S. DOBASHIN, with Deputy Chairman of the People\u2019s "
            "Committee of the Xinjiang Uyghur Autonomous Region, Comrade XIN LANTING"
        ),
        1958,
        ["G.S. Dobashin", "Xin Lanting"],
    ),
    (
        (
            "Soviet Military Order from Foreign Operations Section Chief to Commander of "
            "East-Asian Operational Section Managarov"
        ),
        1948,
        ["Managarov"],
    ),
    (
        (
            "Letter, V. Akshinskii, Deputy Secretary at the Soviet Embassy to China, "
            "Regarding the Behavior of Soviet and Czech Specialists in China"
        ),
        1956,
        ["V. Akshinskii"],
    ),
    (
        (
            "Letter, Deputy Chair of the Far Eastern Branch of the Soviet Academy of Sciences "
            "Aleksei Vasil\u2019evich Stozhenko"
        ),
        1956,
        ["Aleksei Vasil'evich Stozhenko"],
    ),
    ("Statement of Nakajima Kenzo, Chairman of the Board", 1967, ["Nakajima Kenzo"]),
    (
        "Cable, Dmitri Ustinovich Pavlenko to Comrade Grishkov",
        1962,
        ["Dmitri Ustinovich Pavlenko", "Grishkov"],
    ),
    (
        "Letter from Ambassador Tunkin to Foreign Minister Ostrovityanov",
        1961,
        ["Tunkin", "Ostrovityanov"],
    ),
    # Traps: institutions, countries, ranks alone, document words, places in party slots.
    ("Letter to the Soviet Ambassador [in Beijing]", 1955, []),
    (
        (
            "Request by the Chinese leadership to the Soviet Leadership for Help in "
            "Establishing a Chinese Nuclear Program"
        ),
        1956,
        [],
    ),
    (
        (
            "Gazette of the State Council of the People's Republic of China, 1955, No. 23 "
            "(Overall Issue No. 26)"
        ),
        1955,
        [],
    ),
    (
        (
            "Proposal of the USSR Ministry of Higher Education on Providing Assistance to "
            "the Chinese People\u2019s Republic"
        ),
        1955,
        [],
    ),
    ("Letter from the Embassy of the GDR in Pyongyang to the Foreign Ministry in Berlin", 1961, []),
    ("Cable from the Polish Embassy in Hanoi to Warsaw", 1965, []),
    ("Telegram, Moscow to Beijing", 1960, []),
    ("Memorandum of Conversation between Comrade and the Ambassador", 1960, []),
    (
        "Report, Central Committee of the Communist Party of the Soviet Union to the Presidium",
        1956,
        [],
    ),
    ("Letter from Mr. Smith to Dr. Jones", 1960, ["Smith", "Jones"]),
    ("Conversation with Secretary Brown and Ambassador Young", 1978, ["Brown", "Young"]),
    ("Report from Gen. MacArthur", 1950, ["Douglas MacArthur"]),
    ("Nixon-Mao Conversation, 21 February 1972", 1972, ["Nixon", "Mao Zedong"]),
    ("Cable, Mao to Fyn Si", 1950, ["Mao Zedong", "Stalin"]),
    (
        "Memorandum of Conversation between Chou En-lai and Kim Il-song",
        1953,
        ["Zhou Enlai", "Kim Il Sung"],
    ),
    # Headline capitals are not names: a verb in a party slot.
    (
        (
            "Circular concerning the Transfer of Cadres and Workers to Participate in "
            "Atomic Energy Work"
        ),
        1956,
        [],
    ),
    ("Sino-Soviet Talks on the Border", 1969, []),
    # The archive names an embassy telegram's signer in brackets.
    (
        "Telegram from Polish Embassy in Havana (Jele\u0144) to Polish Foreign Ministry",
        1962,
        ["Jele\u0144"],
    ),
    ("Telegram from the Embassy in Moscow (Excerpt)", 1962, []),
    # Acronyms are not names, even in a party slot.
    (
        "Letter from the CC VKP(b), Signed by Stalin and Molotov, to Comrade Tito",
        1948,
        ["Stalin", "Molotov", "Tito"],
    ),
    # A cover name outside its years is not Stalin.
    ("Letter from Semenov to the Foreign Ministry", 1965, ["Semenov"]),
]


@pytest.mark.parametrize("title, year, expected", TITLES)
def test_titles_give_their_persons(finder, authority, title, year, expected):
    assert finder.find(title, "", [], year).persons == canonical(authority, expected)


SUMMARIES = [
    # (title, summary, persons found in the summary beyond the title's)
    (
        "Cable, Mao Zedong to Stalin",
        "Mao thanks Stalin for sending over Ivan Kovalev to help with economic struggles in China.",
        ["Mao Zedong", "Stalin", "Ivan Kovalev"],
    ),
    (
        (
            "Memorandum of Conversation of Soviet Ambassador Roshchin with Deputy Chairman "
            "Zhu De on 24 October 1949"
        ),
        "Conversation between Soviet Ambassador Roshchin and Zhu De. De puts forth his opinion.",
        ["Roshchin", "Zhu De"],
    ),
    (
        "Soviet Military Order",
        "It announces the arrival of a Lieutenant General Fedenko.",
        ["Fedenko"],
    ),
    (
        "Jawaharlal Nehru, 'Note on Visit to China and Indo-China'",
        "Nehru speaks with Zhou En-Lai and Mao, and with Ho Chi Minh in Hanoi.",
        ["Nehru", "Zhou Enlai", "Mao Zedong", "Ho Chi Minh"],
    ),
    # East Asian names have a shape of their own: a family name and romanised syllables.
    (
        "Information Note",
        "Pak Kum-chol and Ri Hyo-sun were removed from their posts.",
        ["Pak Kum-chol", "Ri Hyo-sun"],
    ),
    (
        "Telegram",
        "Lin Biao, his wife Ye Qun and his son Lin Liguo died in the crash.",
        ["Lin Biao", "Ye Qun", "Lin Liguo"],
    ),
    ("Report", "The resignation of President Ahmed Hassan al-Bakr.", ["Ahmed Hassan al-Bakr"]),
    (
        "Diary of Ambassador Benediktov, Conversation with V.K. Krishna Menon",
        "Krishna Menon asks about aircraft.",
        ["Ivan Benediktov", "V. K. Krishna Menon"],
    ),
    # Capitalised words with no evidence are not people.
    ("Report", "Hong Kong and Kim Chaek City; the Long March.", []),
    (
        "Report",
        "Discussion includes the Chinese-Eastern Railway, Port Arthur and the port of Dalny.",
        [],
    ),
    (
        "Report",
        "The Soviet Union and North Korea met the People's Liberation Army in Xinjiang.",
        [],
    ),
]


@pytest.mark.parametrize("title, summary, expected", SUMMARIES)
def test_summaries_add_their_persons(finder, authority, title, summary, expected):
    assert finder.find(title, summary, [], 1950).persons == canonical(authority, expected)


def test_a_surname_joins_the_full_name_in_the_same_record(finder, authority):
    found = finder.find(
        "Mikihail Zimyanin's Background Report for Khrushchev on China (Excerpt)",
        (
            "Mikhail Zimyanin, head of the Soviet Foreign Ministry's Far Eastern department, "
            "reports to Khrushchev."
        ),
        [],
        1959,
    )
    assert len(found.persons) == 2
    assert canonical(authority, ["Khrushchev"])[0] in found.persons
    assert any("Zimyanin" in name for name in found.persons)


def test_a_misspelt_surname_joins_the_tagged_person(finder, authority):
    found = finder.find(
        "Conversation with Kazakhstan's President Nazarbayev",
        "Kohl and Nazarbaev discuss Iran after the end of Rafsandjani's tenure.",
        ["Kohl, Helmut", "Nazarbayev, Nursultan Abishuly", "Rafsanjani, Akbar Hashemi"],
        1997,
    )
    assert sorted(found.persons) == sorted(
        canonical(authority, ["Nursultan Nazarbayev", "Helmut Kohl", "Rafsanjani"])
    )


TAGS = [
    ("Mao, Zedong", "Mao Zedong"),
    ("Sat\u014d, Eisaku", "Sat\u014d Eisaku"),
    ("Chiang, Ching-kuo (Jiang Jingguo)", "Chiang Ching-kuo"),
    ("Kohl, Helmut", "Helmut Kohl"),
    ('Blair, Anthony Charles Lynton ("Tony")', "Tony Blair"),
    ("Kwasniewski, Aleksander", "Aleksander Kwa\u015bniewski"),
    ("Stalin, Joseph, 1879-1953", "Stalin"),
    ("Bitterlich, Joachim", "Joachim Bitterlich"),
    ("Neuer, Walter", "Walter Neuer"),
    ("Kawase, Ikkan", "Kawase Ikkan"),
    ("Nakajima, Kenz\u014d", "Nakajima Kenz\u014d"),
    ("Guterres, Ant\u00f3nio Manuel de Oliveira", "Ant\u00f3nio Guterres"),
    ("Kuchma, Leonid Danylovych", "Leonid Kuchma"),
    ("Primakov, Yevgeni Maksimovich", "Yevgeny Primakov"),  # authority spells it Yevgeny
    ("T\u014dg\u014d, Fumihiko", "T\u014dg\u014d Fumihiko"),  # Togo is also a country
    ("Washington, George", "George Washington"),  # Washington is also a place
]


@pytest.mark.parametrize("tag, expected", TAGS)
def test_archive_tags_give_one_canonical_name(finder, authority, tag, expected):
    assert finder.find("", "", [tag], None).persons == canonical(authority, [expected])


@pytest.mark.parametrize(
    "tag",
    [
        "Japan. Foreign Ministry",
        "Japan. Foreign Ministry. Asian Affairs Bureau",
        "Japan-China Import-Export Association",
        "Chun & Jane Chiu Family Foundation",
        "Soviet Union. Ministerstvo inostrannykh del",
        "Communist Party of the Soviet Union. Central Committee",
        "United States. Department of State",
    ],
)
def test_institution_tags_are_organizations_not_persons(finder, tag):
    found = finder.find("", "", [tag], None)
    assert found.persons == []
    assert found.organizations == [tag]


def test_a_pseudonym_is_never_its_own_person(finder, authority):
    for title in (
        "Cable, Filippov to Mao Zedong",
        "Cable, Mao Zedong to Filippov [Stalin]",
        "Cable, Mao to Fyn Si",
    ):
        persons = finder.find(title, "", [], 1950).persons
        assert "Filippov" not in persons and "Fyn Si" not in persons


def test_every_alias_and_pseudonym_resolves_to_its_person(authority):
    for person in authority.persons:
        for form in person.forms:
            assert authority.resolve(form) is person, form
        for pseudonym in person.pseudonyms:
            assert authority.pseudonym(pseudonym.name, pseudonym.start) is person


def test_the_authority_file_is_large_and_sourced(authority):
    assert len(authority.persons) >= 300
    assert all(person.role and person.source.startswith("https://") for person in authority.persons)
    stalin = authority.resolve("Filippov", 1950)
    assert stalin is authority.resolve("I.V. Stalin") is authority.resolve("Stalin")
    assert authority.resolve("Semenov", 1953) is stalin
    assert authority.resolve("Semenov", 1965) is None


@pytest.mark.parametrize(
    "lines, message",
    [
        (["name\taliases"], "header"),
        (
            ["name\taliases\tshort\tpseudonyms\tborn\tdied\trole\tsource", "A B\t\t\t\t\t\trole"],
            "columns",
        ),
        (
            [
                "name\taliases\tshort\tpseudonyms\tborn\tdied\trole\tsource",
                "A B\t\t\t\tabc\t\trole\tsrc",
            ],
            "four-digit year",
        ),
        (
            [
                "name\taliases\tshort\tpseudonyms\tborn\tdied\trole\tsource",
                "A B\t\t\tX@19-20\t\t\trole\tsrc",
            ],
            "pseudonym",
        ),
    ],
)
def test_a_broken_authority_file_names_its_line(lines, message):
    with pytest.raises(AuthorityError, match=message):
        parse_people(lines, load_lexicon())


def test_one_short_form_for_two_persons_is_an_error():
    lines = [
        "name\taliases\tshort\tpseudonyms\tborn\tdied\trole\tsource",
        "Anna Smith\t\tSmith\t\t\t\trole\tsrc",
        "Bob Smith\t\tSmith\t\t\t\trole\tsrc",
    ]
    lexicon = load_lexicon()
    with pytest.raises(AuthorityError, match="both"):
        Authority(parse_people(lines, lexicon), lexicon)


def test_within_a_record_the_accented_spelling_wins(finder):
    found = finder.find(
        "Statement of Nakajima Kenzo, Chairman of the Board",
        "Nakajima Kenzo speaks.",
        ["Nakajima, Kenz\u014d"],
        1967,
    )
    assert found.persons == ["Nakajima Kenz\u014d"]


@given(
    tag=st.text(max_size=40)
    | st.from_regex(r"[^,]{0,12},[^,]{0,12}(\([^()]{0,8}\))?", fullmatch=True)
)
@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
def test_any_tag_gives_a_person_or_none_never_an_error(tag):
    """Found by a generated record: the tag 'YOGH,0' (U+021C) once raised IndexError, its last
    name folding to nothing. Any tag text is a person, or not one."""
    mention = tag_person(tag, AUTHORITY)
    assert mention is None or mention.display.strip()


def test_a_tag_whose_name_folds_to_nothing_is_not_a_person():
    assert tag_person("\u021c,0", AUTHORITY) is None
