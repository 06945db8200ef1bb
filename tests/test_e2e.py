"""A person using the search page: a real gunicorn server, a real headless Chromium.

Debian's chromium is driven by Playwright (no downloaded browser); `make test`
installs chromium and axe-core when they are missing. Screenshots of the desktop and
phone views are saved under tests/artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(
    os.environ.get("AXE_PATH", ROOT / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server(live_server):
    return live_server


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class ConsoleWatch:
    def __init__(self, page: Page):
        self.errors: list[str] = []
        page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = ConsoleWatch(page)
    yield page
    assert watch.errors == [], watch.errors
    context.close()


def results_heading(page: Page) -> str:
    return " ".join(page.locator("#results-heading").inner_text().split())


def test_a_historian_searches_filters_reads_and_comes_back(server, desktop):
    page = desktop
    page.goto(server + "/")
    page.get_by_label("Search the archive").fill("Stalin")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=Stalin$"))
    assert results_heading(page) == "1\u201313 of 13 results for Stalin"

    page.locator(".facet__list--years a", has_text="1953").click()
    assert results_heading(page) == "1\u20134 of 4 results for Stalin"
    expect(page.locator(".chip")).to_have_count(1)

    page.locator("#people-list a", has_text="Mao Zedong").click()
    assert results_heading(page) == "1\u20133 of 3 results for Stalin"
    assert "q=Stalin" in page.url and "year=1953" in page.url and "person=Mao+Zedong" in page.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-search-desktop.png"), full_page=True)

    search_url = page.url
    title = page.locator(".result__title a").first.inner_text()
    page.locator(".result__title a").first.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".cite__text").first).to_contain_text(title)
    page.screenshot(path=str(ARTIFACTS / "e2e-record-desktop.png"), full_page=True)
    page.get_by_role("link", name="Back to search").click()
    expect(page).to_have_url(search_url)
    assert results_heading(page) == "1\u20133 of 3 results for Stalin"

    page.get_by_role("link", name="Newest first").click()
    dates = page.locator(".result__date").all_text_contents()
    assert dates == ["January 29, 1953", "January 28, 1953", "January 15, 1953"]

    page.get_by_role("link", name="Remove year filter 1953").click()
    assert results_heading(page) == "1\u201311 of 11 results for Stalin"
    assert "year=" not in page.url and "person=Mao+Zedong" in page.url and "sort=-date" in page.url

    page.go_back()
    assert results_heading(page) == "1\u20133 of 3 results for Stalin"


def test_paging_and_the_date_form(server, desktop):
    page = desktop
    page.goto(server + "/search?per_page=5")
    page.get_by_role("link", name="Page 2").click()
    assert results_heading(page) == "6\u201310 of 37 results"
    page.get_by_label("From", exact=True).fill("1952-09")
    page.get_by_label("To", exact=True).fill("1952-09")
    page.get_by_role("button", name="Apply dates").click()
    assert results_heading(page) == "1\u20134 of 4 results"
    assert "per_page=5" in page.url and "page=" not in page.url.replace("per_page", "")


def test_a_misspelling_offers_the_correction(server, desktop):
    page = desktop
    page.goto(server + "/search?q=Khruschev")
    page.locator(".notice").get_by_role("link", name="Khrushchev", exact=True).click()
    assert results_heading(page).startswith("1\u20131 of 1 result for Khrushchev")


def test_the_keyboard_reaches_everything_and_focus_is_visible(server, desktop):
    page = desktop
    page.goto(server + "/search?q=Zhou")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.locator("#q").focus()
    page.keyboard.press("End")
    page.keyboard.type(" Molotov")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert results_heading(page) == "1\u20133 of 3 results for Zhou Molotov"


def test_the_phone_view_fits_and_folds_the_filters(server, browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    watch = ConsoleWatch(page)
    page.goto(server + "/search?q=Stalin&year=1953")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    panel = page.locator("details.filters__panel")
    assert panel.evaluate("element => element.open") is False
    page.screenshot(path=str(ARTIFACTS / "e2e-search-phone.png"), full_page=True)
    page.locator(".filters__toggle").click()
    assert panel.evaluate("element => element.open") is True
    expect(page.locator("#people-list")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "e2e-filters-phone.png"), full_page=True)
    page.locator(".result__title a").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "e2e-record-phone.png"), full_page=True)
    assert watch.errors == []
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=Stalin&year=1953&person=Mao+Zedong",
        "/search?q=zzzzqqq",
        "/search?page=0",
        "/nowhere",
        "/help",
        "/advanced",
        "/advanced?run=1&year=19x2",
        "/search?q=Stalin+OR+year:1950",
    ],
)
def test_no_serious_accessibility_violations(server, browser, path):
    assert_no_serious_violations(browser, server + path)


@pytest.mark.parametrize(
    "path",
    [
        "/people",
        "/people?q=zhou&sort=count",
        "/people?letter=S",
        "/people/joseph-stalin",
        "/people/managarov",
        "/records/cable-joseph-stalin-to-anastas-mikoyan-f49dc573?style=apa",
    ],
)
def test_no_serious_accessibility_violations_on_people_and_records(archive_server, browser, path):
    assert_no_serious_violations(browser, archive_server + path)


def assert_no_serious_violations(browser, url: str) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs axe-core from the npm registry")
    # The page's own CSP forbids injected scripts; the audit context lifts it for axe only.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    report = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in report["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert report["passes"], "axe ran no checks"
    context.close()


def test_a_record_page_visited_directly(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(server + "/search?q=insects")
    href = page.locator(".result__title a").first.get_attribute("href")
    page.goto(server + href)
    assert page.get_by_role("link", name="Back to search").get_attribute("href") == "/search"
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    report = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2aa', 'wcag21aa']}})"
    )
    assert [v["id"] for v in report["violations"] if v["impact"] in ("serious", "critical")] == []
    context.close()


# -- embedding on another site -------------------------------------------------------------------


@pytest.fixture(scope="module")
def host_site(tmp_path_factory, live_server):
    """A librarian's page on another origin (another port), with the widget and the frame."""
    import functools
    import http.server
    import threading

    root = tmp_path_factory.mktemp("host-site")
    # The host's own icon, so its 404 is not mistaken for ours.
    (root / "favicon.ico").write_bytes(b"")
    (root / "widget.html").write_text(
        f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>HIST 301 research guide</title>
<style>body {{ font-family: serif; color: rgb(10, 120, 10); }}
li {{ color: rgb(200, 0, 0); }}</style></head>
<body><main><h1>Sources for week 6</h1>
<ul><li id="host-item">A list item of the host page</li></ul>
<div data-archive-search data-q="Stalin" data-year="1953" data-per-page="3">
  <a href="{live_server}/search?q=Stalin&amp;year=1953">Search the archive for Stalin, 1953</a>
</div>
<script src="{live_server}/static/embed.js" defer></script>
</main></body></html>""",
        encoding="utf-8",
    )
    # A guide narrowing by a facet the widget knows only as a data- attribute.
    (root / "cables.html").write_text(
        f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Cables</title></head>
<body><main><h1>Cables of 1949 and 1950</h1>
<div data-archive-search data-type="Cable" data-year="1949|1950" data-per-page="10">
  <a href="{live_server}/search?type=Cable">The archive's cables</a></div>
<script src="{live_server}/static/embed.js" defer></script></main></body></html>""",
        encoding="utf-8",
    )
    (root / "frame.html").write_text(
        f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Framed</title></head>
<body><iframe id="archive" src="{live_server}/embed?q=Molotov&amp;sort=date"
title="Archive search" width="600" height="500"></iframe></body></html>""",
        encoding="utf-8",
    )
    (root / "framed-page.html").write_text(
        f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Framed</title></head>
<body><iframe id="archive" src="{live_server}/search?q=Molotov" title="Archive search"
width="600" height="500"></iframe></body></html>""",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_the_widget_renders_results_on_another_origin(host_site, browser):
    context = browser.new_context(viewport={"width": 900, "height": 900})
    page = context.new_page()
    watch = ConsoleWatch(page)
    cross_origin = []
    page.on("response", lambda r: cross_origin.append(r) if "/api/search" in r.url else None)
    page.goto(host_site + "/widget.html")
    widget = page.locator("[data-archive-search]")
    expect(widget.locator(".as-title")).to_have_count(3)
    expect(widget.locator(".as-status")).to_have_text("3 of 4 records")
    assert widget.locator(".as-date").first.text_content() == "January 28, 1953"
    assert cross_origin and cross_origin[0].headers["access-control-allow-origin"] == "*"
    # Styles are scoped both ways: the host's red list items do not reach the widget's.
    assert (
        widget.locator("li").first.evaluate("el => getComputedStyle(el).color") != "rgb(200, 0, 0)"
    )
    assert (
        page.locator("#host-item").evaluate("el => getComputedStyle(el).color") == "rgb(200, 0, 0)"
    )
    widget.get_by_label("Search the Wilson Center Digital Archive").fill("Molotv")
    widget.get_by_role("button", name="Search").click()
    expect(widget.locator(".as-status")).to_contain_text("Did you mean Molotov?")
    widget.get_by_label("Search the Wilson Center Digital Archive").fill("torpedo")
    widget.get_by_role("button", name="Search").click()
    expect(widget.locator(".as-status")).to_have_text("1 record")
    expect(widget.locator(".as-title mark")).to_have_count(0)
    expect(widget.locator(".as-summary mark")).to_have_text(["torpedo", "torpedo"])
    page.screenshot(path=str(ARTIFACTS / "e2e-widget-host.png"), full_page=True)
    assert watch.errors == []
    context.close()


def test_the_widget_narrows_by_any_facet_its_attributes_name(host_site, live_server, browser):
    import json
    import urllib.request

    expected = json.load(
        urllib.request.urlopen(live_server + "/api/search?type=Cable&year=1949&year=1950")
    )
    assert expected["total"] > 1
    context = browser.new_context(viewport={"width": 900, "height": 900})
    page = context.new_page()
    watch = ConsoleWatch(page)
    requested = []
    page.on("request", lambda r: requested.append(r.url) if "/api/search" in r.url else None)
    page.goto(host_site + "/cables.html")
    widget = page.locator("[data-archive-search]")
    expect(widget.locator(".as-title")).to_have_count(expected["total"])
    titles = widget.locator(".as-title").all_inner_texts()
    assert all(title.startswith("Cable") for title in titles)
    assert "type=Cable" in requested[0] and "year=1949" in requested[0]
    assert watch.errors == []
    context.close()


def test_the_embed_page_works_framed_by_another_origin(host_site, browser):
    context = browser.new_context(viewport={"width": 900, "height": 700})
    page = context.new_page()
    watch = ConsoleWatch(page)
    page.goto(host_site + "/frame.html")
    frame = page.frame_locator("#archive")
    expect(frame.locator(".embed__title")).to_have_count(4)
    expect(frame.locator(".embed__count")).to_contain_text("1\u20134 of 4 records")
    assert frame.locator(".embed__title").first.get_attribute("target") == "_blank"
    page.screenshot(path=str(ARTIFACTS / "e2e-embed-frame.png"))
    assert watch.errors == []
    context.close()


def test_other_pages_refuse_to_be_framed(host_site, browser):
    context = browser.new_context()
    page = context.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "frame" in m.text.lower() else None)
    page.goto(host_site + "/framed-page.html")
    page.wait_for_timeout(1000)
    frame = page.frame_locator("#archive")
    expect(frame.locator(".result")).to_have_count(0)
    assert refused, "Chromium should report that it refused to frame the page"
    context.close()


def test_the_advanced_search_builds_a_readable_search(server, desktop):
    """Fill two rows and a year range, search, and see the search it wrote and its results."""
    page = desktop
    page.goto(server + "/search")
    page.get_by_role("link", name="Advanced search").click()
    expect(page.locator("h1")).to_have_text("Advanced search")
    rows = page.locator(".advanced__row")
    rows.nth(0).get_by_label("In", exact=True).select_option("title")
    rows.nth(0).get_by_label("words", exact=True).fill("telegram Stalin")
    rows.nth(1).get_by_label("and in", exact=True).select_option("person")
    rows.nth(1).get_by_label("find", exact=True).select_option("none")
    rows.nth(1).get_by_label("words", exact=True).fill("Mao")
    page.get_by_label("From", exact=True).fill("1950")
    page.get_by_label("To", exact=True).fill("1953")
    page.screenshot(path=str(ARTIFACTS / "e2e-advanced-form.png"), full_page=True)
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.get_by_label("Search the archive")).to_have_value(
        "title:(telegram Stalin) AND NOT person:Mao"
    )
    expect(page.locator(".chip")).to_have_count(2)
    heading = results_heading(page)
    assert re.fullmatch(
        r"1\u2013\d+ of \d+ results? for title:\(telegram Stalin\) AND NOT person:Mao", heading
    )
    titles = page.locator(".result__title").all_text_contents()
    assert titles and all("telegram" in t.lower() and "stalin" in t.lower() for t in titles)
    assert not any("Mao" in p for p in page.locator(".result__people").all_text_contents())
    page.screenshot(path=str(ARTIFACTS / "e2e-advanced-results.png"), full_page=True)


def test_the_help_page_examples_are_live_searches(server, desktop):
    """Every page links the help; an example followed runs the search it shows."""
    page = desktop
    page.goto(server + "/search?q=Korea")
    page.get_by_role("link", name="How to search").click()
    expect(page.locator("h1")).to_have_text("How to search")
    page.screenshot(path=str(ARTIFACTS / "e2e-help.png"), full_page=True)
    page.get_by_role("link", name='"Central Committee"').click()
    expect(page.get_by_label("Search the archive")).to_have_value('"Central Committee"')
    assert results_heading(page).startswith("1\u20135 of 5 results for")


def test_a_year_in_the_text_becomes_the_year_filter(server, desktop):
    page = desktop
    page.goto(server + "/")
    page.get_by_label("Search the archive").fill("Stalin year:1953")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=Stalin\+year%3A1953$"))
    assert results_heading(page) == "1\u20134 of 4 results for Stalin"
    expect(page.locator(".chip")).to_have_text(re.compile(r"Year:\s*1953"))
    expect(page.locator(".facet__list--years .is-selected")).to_contain_text("1953")


# -- facets and the documents' text, over the archive sample ---------------------------------


def chip_labels(page: Page) -> list[str]:
    return [" ".join(text.split()[:-1]) for text in page.locator(".chip").all_inner_texts()]


def axe_serious(page: Page) -> list[str]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    report = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    assert report["passes"], "axe ran no checks"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in report["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_historian_narrows_by_subject_language_and_place(archive_server, browser):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs axe-core from the npm registry")
    context = browser.new_context(viewport={"width": 1280, "height": 1100}, bypass_csp=True)
    page = context.new_page()
    watch = ConsoleWatch(page)
    page.goto(archive_server + "/search")
    assert results_heading(page) == "1\u201320 of 48 results"

    page.locator("#facet-list-subject a", has_text="North Atlantic Treaty Organization").click()
    assert results_heading(page) == "1\u20133 of 3 results"
    page.locator("#facet-list-language a", has_text="German").click()
    assert results_heading(page) == "1\u20133 of 3 results"
    page.locator("#facet-list-place a", has_text="Kazakhstan").click()
    assert results_heading(page) == "1\u20131 of 1 result"
    assert chip_labels(page) == [
        "Subject: North Atlantic Treaty Organization",
        "Place: Kazakhstan",
        "Language: German",
    ]
    page.screenshot(path=str(ARTIFACTS / "facets-desktop.png"), full_page=True)
    assert axe_serious(page) == []

    page.get_by_role(
        "link", name="Remove subject filter North Atlantic Treaty Organization"
    ).click()
    assert chip_labels(page) == ["Place: Kazakhstan", "Language: German"]
    assert results_heading(page) == "1\u20131 of 1 result"
    assert "subject=" not in page.url and "place=Kazakhstan" in page.url

    # A word only in a document's text: the passage under the summary, then the record.
    page.goto(archive_server + "/search?q=Ecclestone")
    passage = page.locator(".result__passage")
    expect(passage).to_contain_text("In the document:")
    expect(passage.locator("mark")).to_have_text("Ecclestone")
    page.locator(".result__title a").first.click()
    expect(page.locator("h1")).to_contain_text("Meeting with British PM Blair")
    marked = page.locator(".record__text mark")
    expect(marked).to_have_count(1)
    expect(marked).to_have_text("Ecclestone")
    expect(page.get_by_role("link", name="Great Britain", exact=True)).to_have_attribute(
        "href", "/search?place=Great+Britain"
    )
    page.screenshot(path=str(ARTIFACTS / "record-text-desktop.png"), full_page=True)
    assert axe_serious(page) == []
    assert watch.errors == [], watch.errors
    context.close()


def test_a_historian_goes_from_a_record_to_a_persons_page_and_back_to_a_search(
    archive_server, browser
):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = ConsoleWatch(page)
    page.goto(archive_server + "/search?q=Mikoyan")
    page.locator(".result__title a", has_text="Cable, Joseph Stalin to Anastas Mikoyan").click()
    expect(page.locator(".related__list li")).to_have_count(5)
    page.get_by_role("link", name="About Joseph Stalin").click()
    expect(page.locator("h1")).to_have_text("Joseph Stalin")
    assert page.url.endswith("/people/joseph-stalin")
    expect(page.locator(".person__names")).to_contain_text("Semenov (used 1952\u20131953)")
    page.screenshot(path=str(ARTIFACTS / "e2e-person.png"), full_page=True)
    together = page.locator(".named-with li").first
    name = together.locator("a").first.inner_text()
    count = together.locator(".facet__count").inner_text().split()[0]
    together.locator("a").first.click()
    expect(page.locator(".chip")).to_have_count(2)
    expect(page.locator("#results-heading")).to_contain_text(f"of {count} result")
    expect(page.locator(".person-pages")).to_contain_text(f"About {name}")
    assert watch.errors == [], watch.errors
    context.close()


def test_a_historian_exports_a_search_as_csv_and_ris(archive_server, browser):
    import csv
    import io

    import rispy

    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    watch = ConsoleWatch(page)
    page.goto(archive_server + "/search?q=Kohl&language=German")
    expect(page.locator(".export")).to_contain_text("Export these 6 results")
    with page.expect_download() as caught:
        page.locator(".export a", has_text="CSV").click()
    download = caught.value
    assert download.suggested_filename == "archive-search-export.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 6 and all(row["languages"] == "German" for row in rows)
    with page.expect_download() as caught:
        page.locator(".export a", has_text="RIS").click()
    entries = rispy.loads(Path(caught.value.path()).read_text(encoding="utf-8"))
    assert [entry["title"] for entry in entries] == [row["title"] for row in rows]
    assert watch.errors == [], watch.errors
    context.close()
