"""The search engine on a real index of the two seed pages (37 records).

Counts are hand-checked against the seed pages: e.g. Mao Zedong is named by 18 of the
37 records, Stalin by 13, and 10 records are dated 1952.
"""

from __future__ import annotations

import pytest

from indexer.search.query import QueryError, make_query


def run(engine, text="", **params):
    return engine.search(make_query(text, **params))


def dates(results):
    return [hit.date for hit in results.results]


# -- finding the right record ---------------------------------------------------------

PARAPHRASES = [
    # (a historian's words, the record that must be in the top 3)
    ("Soviet credit for Chinese economic development and arms", "1950-01-22"),
    ("insects dropped on North Korea", "1952-02-21"),
    ("training Chinese specialists in nuclear energy", "1955-08-19"),
    ("torpedo boats and fighter aircraft", "1953-01-28"),
    ("separation of Xinjiang", "1958-01-12"),
    ("rubber agreement Changchun railway", "1952-08-28"),
    ("uranium mining cadres", "1956-04-23"),
    ("Nehru visit to Indochina Ho Chi Minh", "1954-11-14"),
    ("Zimyanin report on Sino-Soviet relations", "1959-09-15"),
    ("gluttonous advisors luxury", "1956"),
]


@pytest.mark.parametrize("text, date", PARAPHRASES)
def test_known_items_rank_in_the_top_three(engine, text, date):
    assert date in dates(run(engine, text))[:3]


def test_when_no_record_has_every_word_the_best_partial_matches_come_first(engine):
    results = run(engine, "Soviet credit for Chinese economic development and arms")
    assert results.any_words is True
    assert results.results[0].date == "1950-01-22"
    assert run(engine, "torpedo boats").any_words is False


@pytest.mark.parametrize(
    "text, total",
    [
        ("telegrams", 7),  # stemming: "telegram" in 7 titles or summaries
        ("telegram", 7),
        ("Urumchi", 1),  # accents folded: the record writes Ürümchi
        ("Lushun", 2),  # Lüshun Port
        ("Mao Tse-tung", 18),  # Wade-Giles: every record naming Mao Zedong
        ("Chou En-lai", 12),
        ("Zhou En-lai", 12),
        ("Filippov", 13),  # the pseudonym finds every Stalin record
        ("person:Molotov", 4),
        ("title:cable", 5),
        ('"Central Committee"', 5),
        ("Stalin -Mao", 2),
        ("Stalin NOT Mao", 2),
        ("Zhou OR Nehru", 13),
        ("rubb*", 3),
        ("zzzzqqq", 0),
    ],
)
def test_text_queries_find_exact_counts(engine, text, total):
    results = run(engine, text)
    assert results.total == total
    assert results.fallback is None


def test_a_title_match_outranks_a_summary_match(engine):
    hits = run(engine, "Molotov").results
    assert hits[0].title == "Letter, Zhou Enlai to Comrade Molotov"


def test_name_variants_are_reported(engine):
    results = run(engine, "Mao Tse-tung")
    assert results.name_variants == ["Mao Zedong"]


# -- broken syntax never raises --------------------------------------------------------


@pytest.mark.parametrize(
    "text, reason, total",
    [
        ('"unbalanced', "a quotation mark is not closed", 0),
        ('"Mao Zedong', "a quotation mark is not closed", 18),
        ("title:(", "a bracket is not closed", 37),
        ("title:", "title: has nothing after it", 37),
        ("AND", "there are only operators (AND, OR, NOT) and no words", 37),
        ("Mao AND", "an operator (AND, OR, NOT) has nothing on one side", 18),
        ("((", "a bracket is not closed", 37),
        ("Stalin)", "a bracket is closed that was never opened", 13),
        ("*", "a wildcard has no letters to go with it", 37),
        ("Mao OR OR Zhou", "two operators follow each other", 8),
        ("()", "a pair of brackets holds nothing", 37),
    ],
)
def test_broken_syntax_falls_back_to_plain_words_and_says_so(engine, text, reason, total):
    results = run(engine, text)
    assert results.fallback == reason
    assert results.total == total


# -- did you mean ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, suggestion",
    [
        ("Khruschev", "Khrushchev"),
        ("Molotv", "Molotov"),
        ("Stalln", "Stalin"),
        ("torpedo boatz", "torpedo boats"),
    ],
)
def test_misspellings_get_a_suggestion_from_the_index(engine, text, suggestion):
    assert run(engine, text).suggestion == suggestion


@pytest.mark.parametrize("text", ["Molotov", "torpedo", "zzzzqqq xxxyyy"])
def test_no_suggestion_when_the_words_are_fine_or_nothing_is_close(engine, text):
    assert run(engine, text).suggestion is None


# -- filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, total",
    [
        ({"years": ["1952"]}, 10),
        ({"years": ["1952", "1953"]}, 14),  # several years: either
        ({"years": ["1947"]}, 0),
        ({"persons": ["Vyacheslav Molotov"]}, 4),
        ({"persons": ["Mao Zedong", "Joseph Stalin"]}, 11),  # several persons: all of them
        ({"persons": ["Mao Zedong"], "years": ["1953"]}, 3),
        ({"years": ["1952"], "persons": ["Vyacheslav Molotov"]}, 3),
        ({"date_from": "1952-09", "date_to": "1952-09"}, 4),
        ({"date_from": "1952-09-06", "date_to": "1952-09-06"}, 2),
        ({"date_from": "1950-02-10", "date_to": "1950-02-20"}, 1),  # "February, 1950" overlaps
        ({"date_from": "1956-06", "date_to": "1956-06"}, 1),  # "1956" overlaps June 1956
        ({"date_from": "1958"}, 3),
        ({"date_to": "1948"}, 2),
        ({"date_from": "1953-01-13", "date_to": "1953-01-28"}, 2),
    ],
)
def test_filters_give_exact_counts(engine, params, total):
    assert run(engine, **params).total == total


def test_text_and_filters_combine(engine):
    results = run(engine, "Zhou", persons=["Vyacheslav Molotov"], years=["1952"])
    assert results.total == 3
    assert all("Vyacheslav Molotov" in hit.persons and hit.year == 1952 for hit in results.results)


# -- facets --------------------------------------------------------------------------------


def test_the_year_facet_is_disjunctive(engine):
    results = run(engine, years=["1952"])
    years = {f.value: (f.count, f.selected) for f in results.facets["year"]}
    assert years[1952] == (10, True)
    assert years[1953] == (4, False)  # still shows what picking 1953 as well would add
    assert list(years) == sorted(years)
    assert sum(count for count, _ in years.values()) == 37


def test_the_person_facet_counts_the_whole_result_set(engine):
    results = run(engine, years=["1953"], per_page=1)
    persons = {f.value: f.count for f in results.facets["person"]}
    assert persons == {
        "Joseph Stalin": 4,
        "Mao Zedong": 3,
        "Aleksandr Vasilevsky": 1,
        "Vasily Sokolovsky": 1,
    }
    assert [f.value for f in results.facets["person"]][:2] == ["Joseph Stalin", "Mao Zedong"]


def test_a_selected_person_is_always_in_the_facet(engine):
    results = run(engine, persons=["Su Yu"])
    values = {f.value: (f.count, f.selected) for f in results.facets["person"]}
    assert values["Su Yu"] == (1, True)


def test_the_person_facet_holds_at_most_thirty_plus_selected(engine):
    results = run(engine)
    assert len(results.facets["person"]) <= 30
    counts = [f.count for f in results.facets["person"]]
    assert counts == sorted(counts, reverse=True)


# -- sorting and paging ------------------------------------------------------------------------


def test_browsing_is_oldest_first(engine):
    found = dates(run(engine, per_page=100))
    assert found[0] == "1948-05-22" and found[-1] == "1959-09-15"
    assert len(found) == 37


def test_newest_first(engine):
    found = dates(run(engine, sort="-date", per_page=5))
    assert found == ["1959-09-15", "1958-10-02", "1958-01-12", "1956", "1956-04-23"]


def test_date_sort_with_words(engine):
    found = dates(run(engine, "Molotov", sort="date"))
    assert found == ["1952-08-28", "1952-09-01", "1952-09-06", "1954-06-24"]


@pytest.mark.parametrize("page, expected", [(1, 5), (8, 2), (9, 0), (100, 0)])
def test_paging(engine, page, expected):
    results = run(engine, per_page=5, page=page)
    assert len(results.results) == expected
    assert results.total == 37 and results.pages == 8


def test_pages_do_not_overlap(engine):
    first = [h.id for h in run(engine, "Zhou", per_page=5, page=1).results]
    second = [h.id for h in run(engine, "Zhou", per_page=5, page=2).results]
    assert len(first) == 5 and not set(first) & set(second)


# -- highlights -----------------------------------------------------------------------------------


def test_highlights_mark_the_words_including_stems_and_accents(engine):
    hit = run(engine, "Urumchi").results[0]
    title = hit.highlights["title"]
    assert [title.text[a:b] for a, b in title.marks] == ["\u00dcr\u00fcmchi"]
    assert "<mark>\u00dcr\u00fcmchi</mark>" in title.html()
    telegram = run(engine, "telegrams").results[0]
    marked = [piece for h in telegram.highlights.values() for piece, on in h.pieces() if on]
    assert marked and all(piece.lower().startswith("telegram") for piece in marked)


def test_results_are_plain_data(engine):
    results = run(engine, "Stalin", years=["1953"])
    data = results.to_dict()
    assert data["total"] == 4 and data["query"]["sort"] == "relevance"
    assert set(data["results"][0]) >= {
        "id",
        "title",
        "summary",
        "date",
        "date_precision",
        "year",
        "persons",
        "source_url",
        "highlights",
    }
    # Disjunctive: Stalin's other years stay visible beside the selected one.
    assert {f["value"]: f["selected"] for f in data["facets"]["year"]} == {
        1949: False,
        1950: False,
        1952: False,
        1953: True,
    }


def test_records_are_found_by_id(engine):
    hit = run(engine, "insects").results[0]
    record = engine.record(hit.id)
    assert record["title"] == "Cable, Mao Zedong to Filippov [Stalin]"
    assert engine.record("no-such-record") is None


# -- parameters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, param",
    [
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"per_page": "100000"}, "per_page"),
        ({"per_page": "0"}, "per_page"),
        ({"years": ["19x2"]}, "year"),
        ({"date_from": "1950-13"}, "from"),
        ({"date_to": "yesterday"}, "to"),
        ({"date_from": "1953", "date_to": "1950"}, "from"),
        ({"sort": "sideways"}, "sort"),
        ({"text": "x" * 1001}, "q"),
        ({"years": [str(1950 + i) for i in range(21)]}, "year"),
    ],
)
def test_wrong_parameters_name_themselves(params, param):
    with pytest.raises(QueryError) as raised:
        make_query(**params)
    assert raised.value.param == param


@pytest.fixture(scope="module")
def odd_engine(tmp_path_factory):
    """Records that test escaping and undated sorting: markup in a title, no dates."""
    from indexer.index.build import build_index
    from indexer.records.record import Record
    from indexer.search.engine import Engine

    records = [
        Record(
            id="markup",
            title='<script>alert("x")</script> Cable & telegram <b>bold</b>',
            summary="A telegram with <i>markup</i> & an ampersand.",
            date="1950-05",
            date_precision="month",
            year=1950,
        ),
        Record(id="undated-1", title="Undated telegram about Korea", summary="No date is known."),
        Record(
            id="dated-early",
            title="Early telegram",
            summary="Korea.",
            date="1946",
            date_precision="year",
            year=1946,
        ),
        Record(
            id="dated-late",
            title="Late telegram",
            summary="Korea.",
            date="1989-12-31",
            date_precision="day",
            year=1989,
        ),
    ]
    path = tmp_path_factory.mktemp("odd") / "index"
    build_index(records, path)
    return Engine(path)


def test_highlights_escape_html_and_mark_only_the_words(odd_engine):
    hit = next(h for h in run(odd_engine, "telegram").results if h.id == "markup")
    title = hit.highlights["title"]
    assert title.text == hit.title and [title.text[a:b] for a, b in title.marks] == ["telegram"]
    assert title.html() == (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Cable &amp; <mark>telegram</mark> "
        "&lt;b&gt;bold&lt;/b&gt;"
    )
    summary = hit.highlights["summary"].html()
    assert summary == "A <mark>telegram</mark> with &lt;i&gt;markup&lt;/i&gt; &amp; an ampersand."
    assert hit.title.startswith(
        "<script>"
    )  # the data itself is unchanged; only highlights are HTML


def test_undated_records_come_last_in_both_directions(odd_engine):
    assert [h.id for h in run(odd_engine, "telegram", sort="date").results] == [
        "dated-early",
        "markup",
        "dated-late",
        "undated-1",
    ]
    assert [h.id for h in run(odd_engine, "telegram", sort="-date").results] == [
        "dated-late",
        "markup",
        "dated-early",
        "undated-1",
    ]


def test_undated_records_match_no_date_filter_but_are_browsable(odd_engine):
    assert run(odd_engine, date_from="1900").total == 3
    assert run(odd_engine).total == 4
    years = {f.value for f in run(odd_engine).facets["year"]}
    assert years == {1946, 1950, 1989}


@pytest.mark.parametrize(
    "text",
    [
        "Stalin",
        "Mao Zedong",
        "Zhou OR Nehru",
        "Stalin -Mao",
        "Stalin NOT Mao",
        "rubb*",
        "telegr?m",
        '"Central Committee"',
        "title:cable",
        "person:Molotov",
        "Mao Tse-tung",
        "Filippov",
        "railway OR (Tibet NOT Korea)",
        "zzzzqqq",
        "Soviet credit Chinese economic",
    ],
)
def test_numpy_match_sets_equal_whoosh_own_matching(engine, text):
    import numpy as np

    state = engine.state()
    parsed = state.parser.parse(text)
    whoosh_docs = np.array(sorted(state.searcher.docs_for_query(parsed.query)), dtype=np.int32)
    assert np.array_equal(state.matches.docs(parsed.query), whoosh_docs)


def test_repeated_searches_are_answered_from_the_cache_until_the_index_changes(tmp_path, seeds_dir):
    from indexer.index.build import build_index
    from indexer.search.engine import Engine
    from indexer.sources.ingest import ingest

    records = ingest([seeds_dir]).records
    build_index(records, tmp_path / "index")
    cached = Engine(tmp_path / "index")
    first = cached.search(make_query("Stalin"))
    assert cached.search(make_query("Stalin")).results == first.results
    build_index(records[:5], tmp_path / "index")
    assert cached.search(make_query("Stalin")).total != first.total


def whoosh_scores(state, query) -> dict[int, float]:
    """Whoosh's own score for every match: what the numpy scorer must reproduce."""
    collector = state.searcher.collector(limit=None)
    state.searcher.search_with_collector(query, collector)
    found = collector.results()
    return {found.docnum(i): found.score(i) for i in range(found.scored_length())}


@pytest.mark.parametrize(
    "text",
    [
        "Stalin",
        "Mao Zedong",
        "Zhou OR Nehru",
        "Stalin -Mao",
        "rubb*",
        "title:cable",
        "person:Molotov",
        "Mao Tse-tung",
        "Filippov",
        "railway OR (Tibet NOT Korea)",
        "Soviet Chinese economic",
    ],
)
def test_numpy_scores_equal_whoosh_bm25f(engine, text):
    import numpy as np

    state = engine.state()
    parsed = state.parser.parse(text)
    whoosh = whoosh_scores(state, parsed.query)
    numbers, scores = state.scorer.score(parsed.query)
    assert sorted(whoosh) == numbers.tolist()
    assert np.allclose([whoosh[n] for n in numbers.tolist()], scores, rtol=1e-6)


def test_numpy_scores_for_any_of_the_words_equal_whoosh(engine):
    import numpy as np

    state = engine.state()
    parsed = state.parser.parse_any(
        state.parser.parse("Soviet credit for Chinese economic development")
    )
    whoosh = whoosh_scores(state, parsed.query)
    numbers, scores = state.scorer.score(parsed.query)
    # Whoosh's array-union matcher counts matching terms block by block, so its
    # coordination bonus drifts a few percent by document; ours applies the documented
    # formula to every document. Same matches, near scores, same best records.
    assert sorted(whoosh) == numbers.tolist()
    assert np.allclose([whoosh[n] for n in numbers.tolist()], scores, rtol=0.05)
    ours_top = [n for _, n in sorted(zip(-scores, numbers.tolist(), strict=True))][:3]
    whoosh_top = sorted(whoosh, key=lambda n: (-whoosh[n], n))[:3]
    assert set(ours_top) == set(whoosh_top)


def replace_summary(record, summary):
    from dataclasses import replace

    return replace(record, summary=summary)


@pytest.mark.parametrize(
    "text",
    [
        '"Central Committee"',
        '"Soviet Union" Stalin',
        '"Mao Zedong"',
        '"Korean War" OR "Soviet government"',
        '"Stalin telegram"',
        '"zzzz Soviet"',
        'title:"Memorandum of Conversation"',
    ],
)
def test_numpy_phrases_match_and_score_as_whoosh_does(engine, text):
    import numpy as np

    state = engine.state()
    parsed = state.parser.parse(text)
    whoosh = whoosh_scores(state, parsed.query)
    assert state.matches.docs(parsed.query).tolist() == sorted(whoosh)
    numbers, scores = state.scorer.score(parsed.query)
    assert numbers.tolist() == sorted(whoosh)
    assert np.allclose([whoosh[n] for n in numbers.tolist()], scores, rtol=1e-6)


def test_a_phrase_minus_a_word_excludes_every_record_with_the_word(engine):
    # whoosh3 3.54 gets this one wrong: its AndNot over a phrase's span matcher keeps
    # "Report, Zhou Enlai to Chairman Mao [Zedong] and the Central Committee".
    results = run(engine, '"Central Committee" -Mao', per_page=50)
    assert results.total == 1
    assert all("Mao" not in hit.title + hit.summary for hit in results.results)
    assert run(engine, '"Central Committee"').total == 5


def test_a_phrase_with_slop_is_left_to_whoosh(engine):
    state = engine.state()
    query = state.parser.parse('"Soviet government"~3').query
    assert state.scorer.score(query) is None
    assert len(state.matches.docs(query)) == len(list(state.searcher.docs_for_query(query)))


def test_a_pattern_matching_too_many_words_searches_the_most_frequent_and_says_so(seed_index):
    from indexer.search.engine import Engine

    whole = Engine(seed_index).search(make_query("s*"))
    capped = Engine(seed_index, max_expansions=3).search(make_query("s*"))
    assert whole.partial is None
    assert (
        capped.partial
        == "\u201cs*\u201d matches more than 3 words: only the 3 most frequent were searched"
    )
    assert 0 < capped.total < whole.total
    state = Engine(seed_index, max_expansions=3).state()
    reader = state.searcher.reader()
    frequent = sorted(
        (t for t in reader.lexicon("summary") if t.startswith(b"s")),
        key=lambda t: -reader.doc_frequency("summary", t),
    )[:3]
    state.matches.budget.max_expansions = 3
    from whoosh.query import Prefix

    assert sorted(state.matches.expand(Prefix("summary", "s"))) == sorted(frequent)


def test_a_search_past_its_time_budget_stops_flags_itself_and_is_not_remembered(seed_index):
    from indexer.search.engine import Engine

    hurried = Engine(seed_index, time_budget=0.0)
    first = hurried.search(make_query("s*"))
    assert first.partial and "took longer than 0 s" in first.partial
    assert hurried.search(make_query("s*")).partial == first.partial  # searched again, not cached
    assert first.total < Engine(seed_index).search(make_query("s*")).total
    assert Engine(seed_index, time_budget=60).search(make_query("s*")).partial is None
