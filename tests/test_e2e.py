"""A person using the search page: a real gunicorn server, a real headless Chromium.

Debian's chromium is driven by Playwright (no downloaded browser); `make test`
installs chromium and axe-core when they are missing. Screenshots of the desktop and
phone views are saved under tests/artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(os.environ.get("AXE_PATH", ROOT / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(seed_index):
    port = free_port()
    command = [sys.executable, "-m", "indexer.cli", "serve", "--port", str(port), "--workers", "2",
               "--index", str(seed_index)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"archive-search serve exited: {process.stdout.read()}")
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("archive-search serve did not answer within 30 s")
    yield base
    process.terminate()
    process.wait(timeout=15)


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
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
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
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
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


@pytest.mark.parametrize("path", ["/", "/search?q=Stalin&year=1953&person=Mao+Zedong", "/search?q=zzzzqqq",
                                  "/search?page=0", "/nowhere"])
def test_no_serious_accessibility_violations(server, browser, path):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs axe-core from the npm registry")
    # The page's own CSP forbids injected scripts; the audit context lifts it for axe only.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(server + path)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    report = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in report["violations"] if v["impact"] in ("serious", "critical")
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
    report = page.evaluate("async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2aa', 'wcag21aa']}})")
    assert [v["id"] for v in report["violations"] if v["impact"] in ("serious", "critical")] == []
    context.close()
