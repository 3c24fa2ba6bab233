"""The reader's experience, proven in Debian's Chromium driven by Playwright.

The real site (content/) is built for a GitHub Pages project path and served
under it on 127.0.0.1; every check runs against those pages.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, old_addresses
from .test_claimreview import front_matter
from .serving import every_result, serve
from .tools import CI_NODE_MODULES, require

PREFIX = "/some-repo/"
# One page of each kind: the axe, console and no-JavaScript checks visit these.
PAGE_KINDS = {
    "index": "",
    "claim": "claims/eram-missile-delivery/",
    "verdict": "verdicts/false/",
    "source": "sources/post-news-26-nations/",
    "topic": "topics/weapons/",
    "methodology": "methodology/",
    "search": "search/",
    "suggest": "suggest/",
    "about (organization)": "about/",
    "404": "claims/no-such-claim/deeper/",
    # The Ukrainian edition's pages of each kind, with its interface and content in Ukrainian.
    "claim (Ukrainian)": "uk/claims/eram-missile-delivery/",
    "verdict (Ukrainian)": "uk/verdicts/false/",
    "source (Ukrainian)": "uk/sources/post-news-26-nations/",
    "topics (Ukrainian)": "uk/topics/",
    "search (Ukrainian)": "uk/search/",
    "about (Ukrainian)": "uk/about/",
}
# Pages only long lists have, in the real content copied to 120 claims (bench/corpus.py --shape
# real), every one of which cites this source: each kind is the page its list's "Older" link leads
# to from the list's own address (pages are named by date, model/pagination.py).
LONG_PAGE_KINDS = {
    "source, an older page": "sources/post-news-26-nations/",
}
LONG_CLAIMS = 120
# Pages only the fixture site (tests/fixtures/basic) has yet: people, bylines, the team, a
# paraphrased claim with the right of reply.
FIXTURE_PAGE_KINDS = {
    "person": "people/test-writer/",
    "people": "people/",
    "about (team)": "about/",
    "claim (paraphrase, reply)": "claims/rain-record/",
}


def older_page(out: Path, path: str) -> str:
    """The address, under the site root, that the page at ``path`` links to as "Older"."""
    found = re.search(r'href="([^"]+)" rel="next"', (out / path / "index.html").read_text("utf-8"))
    assert found, f"{path} has no older page"
    return found[1].split(PREFIX, 1)[1]


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """(base URL, output folder) of the real site, built and served under a subpath."""
    out = tmp_path_factory.mktemp("browser") / "site"
    with serve(out, PREFIX) as port:
        base = f"http://127.0.0.1:{port}{PREFIX}"
        subprocess.run([sys.executable, "build.py", "--base-url", base, "--out", str(out)],
                       cwd=REPO, check=True, capture_output=True)
        yield base, out


@pytest.fixture(scope="session")
def long_site(tmp_path_factory):
    """(base URL, output folder) of the real content copied to LONG_CLAIMS claims, built and served under a subpath."""
    root = tmp_path_factory.mktemp("long")
    subprocess.run([sys.executable, "bench/corpus.py", "--shape", "real", str(LONG_CLAIMS), str(root)],
                   cwd=REPO, check=True, capture_output=True)
    out = root / "site"
    with serve(out, PREFIX) as port:
        base = f"http://127.0.0.1:{port}{PREFIX}"
        subprocess.run([sys.executable, "build.py", "--base-url", base, "--out", str(out),
                        "--content", str(root / "content")], cwd=REPO, check=True, capture_output=True)
        yield base, out


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory):
    """(base URL, output folder) of the fixture site, built and served under a subpath."""
    out = tmp_path_factory.mktemp("fixture") / "site"
    with serve(out, PREFIX) as port:
        base = f"http://127.0.0.1:{port}{PREFIX}"
        subprocess.run([sys.executable, "build.py", "--base-url", base, "--out", str(out), "--content",
                        str(REPO / "tests/fixtures/basic/content")], cwd=REPO, check=True, capture_output=True)
        yield base, out


@pytest.fixture
def address_of(request):
    """The base URL of the site a kind of page is in, and the page's address in it."""
    def address(kind: str) -> tuple[str, str]:
        if kind in FIXTURE_PAGE_KINDS:
            return request.getfixturevalue("fixture_site")[0], FIXTURE_PAGE_KINDS[kind]
        if kind in LONG_PAGE_KINDS:
            base, out = request.getfixturevalue("long_site")
            return base, older_page(out, LONG_PAGE_KINDS[kind])
        return request.getfixturevalue("site")[0], PAGE_KINDS[kind]
    return address


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def axe_script() -> Path:
    path = CI_NODE_MODULES / "axe-core" / "axe.min.js"
    return require(path if path.is_file() else None, "axe-core", "npm ci --prefix .ci")


def html_pages(out: Path, content: Path = REPO / "content") -> list[str]:
    """Every page a reader stays on: not the search index's, the 404 page, or a page at an old
    address, which sends the reader on at once (tests/test_addresses.py follows those)."""
    pages = {p.relative_to(out).as_posix().removesuffix("index.html"): p
             for p in out.rglob("*.html") if "pagefind" not in p.parts and p.name != "404.html"
             # /admin/, for a site with a repository: the CMS, third-party code (tests/test_cms_browser.py)
             and p.relative_to(out).parts[0] != "admin"}
    sending_on = {path for path, page in pages.items() if 'http-equiv="refresh"' in page.read_text("utf-8")}
    editions = ["", "uk/"] if (out / "uk").is_dir() else [""]  # each edition has the old addresses
    old = {edition + path for edition in editions for path in old_addresses(content)}
    assert sending_on == old, "only the pages at old addresses send the reader on"
    return sorted(pages.keys() - sending_on)


# Accessibility ------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", sorted(PAGE_KINDS) + sorted(LONG_PAGE_KINDS) + sorted(FIXTURE_PAGE_KINDS))
def test_axe_finds_no_violation(address_of, browser, kind, scheme):
    base, path = address_of(kind)
    # bypass_csp: the site's policy (rightly) refuses the inline script that injects axe.
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(base + path)
    if kind == "search":  # with results showing, so they are checked too
        page.fill("#search-input", "troops")
        page.wait_for_selector("#search-results a")
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}
    })""")
    context.close()
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == []


def test_every_page_loads_cleanly_and_fits_a_phone(site, browser):
    """One walk through every page, as it costs half a minute: no console or script error, no
    failed request and no error status, and no sideways scroll at 320 px, the narrowest phone in
    use. A page of each kind is also opened at 375 px, the most common: the stylesheet changes
    the layout at no width between the two, so the pages of a kind are laid out alike at both."""
    breakpoints = [float(size) * (16 if unit == "rem" else 1) for size, unit in
                   re.findall(r"@media[^{]*?width:\s*([\d.]+)(rem|px)", (REPO / "static/site.css").read_text("utf-8"))]
    assert breakpoints and not any(320 <= px <= 375 for px in breakpoints), breakpoints
    base, out = site
    too_wide = []
    assert loading_problems(base, out, html_pages(out), browser, 320, too_wide) == []
    assert too_wide == []
    for width, path in [(320, "claims/no-such-claim/"), *((375, path) for path in PAGE_KINDS.values())]:
        context = browser.new_context(viewport={"width": width, "height": 740})
        page = context.new_page()
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, path)
        context.close()


def loading_problems(base: str, out: Path, paths: list[str], browser, width: int, too_wide: list) -> list:
    """What goes wrong opening each of ``paths`` in turn; the pages that scroll sideways at
    ``width`` go to ``too_wide``."""
    context = browser.new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    problems, first = [], paths[0]
    page.on("console", lambda m: problems.append(("console", m.text)) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(("script", str(e))))
    # The favicon, which a browser asks for after the load event, is cancelled (net::ERR_ABORTED)
    # when the next page opens. The first page is waited on until the network is idle, so its
    # request for the favicon, the same on every page, is checked to the end.
    page.on("requestfailed", lambda r: problems.append(("failed", r.url, r.failure))
            if not (r.failure == "net::ERR_ABORTED" and "/favicon.svg" in r.url and path != first) else None)
    page.on("response", lambda r: problems.append((r.status, r.url)) if r.status >= 400 else None)
    for path in paths:
        # Waiting until the network is idle costs half a second a page: only for the first page,
        # and for those with a script, which may ask for more after their load event.
        scripted = re.search(r"<script[^>]* src=", (out / path / "index.html").read_text("utf-8"))
        page.goto(base + path, wait_until="networkidle" if scripted or path == first else "load")
        if page.evaluate("document.documentElement.scrollWidth") > width:
            too_wide.append(path)
    context.close()
    return problems


@pytest.mark.parametrize("width", [320, 375])
def test_no_page_of_a_long_list_scrolls_sideways_on_a_phone(long_site, browser, width):
    base, out = long_site
    context = browser.new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    too_wide = []
    for path in [older_page(out, path) for path in LONG_PAGE_KINDS.values()]:
        page.goto(base + path)
        if page.evaluate("document.documentElement.scrollWidth") > width:
            too_wide.append((path, page.evaluate("document.documentElement.scrollWidth")))
    context.close()
    assert too_wide == []


# Robustness ---------------------------------------------------------------

def test_no_request_leaves_the_site(site, browser):
    base, _ = site
    context = browser.new_context()
    page = context.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    for path in PAGE_KINDS.values():
        page.goto(base + path, wait_until="networkidle")
    assert context.cookies() == []
    context.close()
    assert [url for url in requested if not url.startswith(base)] == []


# Search -------------------------------------------------------------------

def result_links(page) -> list[str]:
    return page.eval_on_selector_all("#search-results a", "els => els.map(e => e.href)")


def test_search_for_a_word_finds_its_claim(site, page):
    base, _ = site
    page.goto(base + "search/")
    page.fill("#search-input", "ERAM")
    page.wait_for_selector("#search-results a")
    assert base + "claims/eram-missile-delivery/" in result_links(page)
    assert page.is_hidden("#search-without-js")
    assert "<mark>" in page.inner_html("#search-results")


def test_a_search_result_reads_title_then_the_claim_not_the_byline(site, page):
    """The excerpt under a result's title comes from the claim and its short answer: not the title
    again, cut in the middle, nor who made the claim and where (the page's attribution)."""
    base, _ = site
    claim = front_matter(REPO / "content/claims/eram-missile-delivery.md")
    page.goto(base + "search/")
    page.fill("#search-input", "ERAM")
    result = page.locator("#search-results li", has=page.locator("a[href$='claims/eram-missile-delivery/']"))
    result.wait_for()
    title, excerpt = (text.strip() for text in result.locator("p").all_inner_texts())
    assert title.startswith(claim["title"])
    assert claim["title"] not in excerpt and "Untitled report" not in excerpt and claim["claimant"] not in excerpt
    assert "3,350 ERAM missiles to Ukraine for $825M." in excerpt  # the claim's words
    assert " ".join(claim["summary"].split()[:5]) in excerpt  # then the short answer's


def test_search_in_ukrainian_finds_the_ukrainian_page(site, page):
    """The Ukrainian search page searches the Ukrainian edition's index: a Ukrainian word finds
    the claim's Ukrainian page, and no English page."""
    base, _ = site
    page.goto(base + "uk/search/")
    page.fill("#search-input", "ракет")
    page.wait_for_selector("#search-results a")
    found = result_links(page)
    assert base + "uk/claims/eram-missile-delivery/" in found, found
    assert all(url.startswith(base + "uk/claims/") for url in found), found


def test_search_filters_by_verdict_and_topic(site, page):
    base, out = site
    facets = json.loads((out / "search/facets.json").read_text())
    everything = every_result(page, base, "troops")  # every page of results, not the first only
    page.select_option("#search-verdict", "accurate")
    page.wait_for_function("""() => {
        const badges = [...document.querySelectorAll('#search-results .badge')];
        return badges.length > 0 && badges.every(b => b.classList.contains('badge--accurate'));
    }""")
    accurate = {base.rstrip("/") + f["url"][len("/some-repo"):] for f in facets if f["verdict"] == "accurate"}
    filtered = set(result_links(page))
    assert filtered and filtered < everything and filtered <= accurate
    page.fill("#search-input", "")
    page.select_option("#search-verdict", "")
    page.select_option("#search-topic", "weapons")
    weapons = {base.rstrip("/") + f["url"][len("/some-repo"):] for f in facets if "weapons" in f["topics"]}
    page.wait_for_function("n => document.querySelectorAll('#search-results a').length === n", arg=len(weapons))
    assert set(result_links(page)) == weapons


def test_search_reads_the_query_from_the_address(site, page):
    base, _ = site
    page.goto(base + "search/?q=Peskov")
    page.wait_for_selector("#search-results a")
    assert base + "claims/peskov-kremlin-reaction/" in result_links(page)


def test_search_without_javascript_says_how_to_browse(site, browser):
    base, _ = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "search/")
    assert page.is_visible("#search-without-js")
    assert page.get_attribute("#search-without-js a[href$='verdicts/']", "href") == PREFIX + "verdicts/"
    context.close()


# Without JavaScript -------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(PAGE_KINDS) + sorted(LONG_PAGE_KINDS) + sorted(FIXTURE_PAGE_KINDS))
def test_every_page_kind_reads_and_navigates_without_javascript(address_of, browser, kind):
    base, path = address_of(kind)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + path)
    assert page.inner_text("h1").strip()
    assert page.inner_text("main").strip()
    edition, verdicts = ("uk/", "Вердикти") if path.startswith("uk/") else ("", "Verdicts")  # in the page's language
    page.click(f"nav.site-nav >> text={verdicts}")
    page.wait_for_url(base + edition + "verdicts/")
    assert page.inner_text("h1") == verdicts
    context.close()


def test_a_later_page_of_a_source_leads_back_to_its_details_without_javascript(long_site, browser):
    base, out = long_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + older_page(out, LONG_PAGE_KINDS["source, an older page"]))
    assert not page.is_visible("dl.facts")
    page.click("nav.pager >> text=Newer")
    page.wait_for_url(base + "sources/post-news-26-nations/")
    assert page.is_visible("dl.facts") and page.is_visible("nav.pager >> text=Older")
    context.close()


def test_claim_page_shows_claim_verdict_and_every_source_without_javascript(site, browser):
    base, out = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "claims/eram-missile-delivery/")
    data = json.loads(page.inner_text("script[type='application/ld+json']"))
    assert data["claimReviewed"] in page.inner_text(".claim-box")
    assert data["reviewRating"]["alternateName"] in page.inner_text(".verdict-box")
    assert page.locator(".source-item").count() >= 2
    context.close()


# On a phone ---------------------------------------------------------------

# Claims with long titles (the Ukrainian the longest), paraphrased, with a long attribution.
FIRST_SCREEN_CLAIMS = ["claims/germany-to-decide-on-military-involvement/", "claims/eram-missile-delivery/",
                       "uk/claims/germany-to-decide-on-military-involvement/", "uk/claims/eram-missile-delivery/"]


@pytest.mark.parametrize("path", FIRST_SCREEN_CLAIMS)
def test_a_claims_verdict_is_on_a_phones_first_screen(site, browser, path):
    """At 375 x 667, without JavaScript, the verdict is seen without scrolling: the masthead takes
    two short rows (the menu scrolls sideways on its own row) and the claim page shows its title,
    the claim and the verdict before its dates, people and topics."""
    base, _ = site
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 667})
    page = context.new_page()
    page.goto(base + path)
    verdict = page.locator(".verdict-box__badge").bounding_box()
    label = page.locator("#our-verdict").bounding_box()
    assert verdict["y"] + verdict["height"] <= 667 and label["y"] + label["height"] <= 667, (verdict, label)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # Every link of the masthead is a target of at least 24 x 24 px, the menu's reached by scrolling its row.
    small = page.eval_on_selector_all(".masthead a", """links => links
        .map(a => [a.textContent.trim(), a.getBoundingClientRect()])
        .filter(([, box]) => box.width < 24 || box.height < 24).map(([text]) => text)""")
    assert small == []
    menu = page.locator(".site-nav ul")
    assert menu.evaluate("ul => getComputedStyle(ul).overflowX") == "auto"
    last = page.locator(".site-nav li").last
    last.locator("a").focus()  # a keyboard reaches the links beyond the screen's edge: they scroll into view
    box = last.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= 375
    context.close()


# Print --------------------------------------------------------------------

def test_printed_claim_keeps_claim_verdict_analysis_and_source_urls(site, page):
    base, _ = site
    page.goto(base + "claims/eram-missile-delivery/")
    page.emulate_media(media="print")
    assert page.is_hidden(".site-nav")
    for selector in (".claim-box", ".verdict-box", ".analysis", ".sources"):
        assert page.is_visible(selector), selector
    text_link = page.locator(".source-item__links a[href*='archived-copy']").first
    after = text_link.evaluate("a => getComputedStyle(a, '::after').content")
    assert "archived-copy.txt" in after


def test_every_page_carries_a_strict_content_security_policy(site):
    _, out = site
    for page in out.rglob("*.html"):
        if "pagefind" in page.parts or page.relative_to(out).parts[0] == "admin":
            continue  # /admin/ has a policy of its own, for the CMS (tests/test_cms.py)
        html = page.read_text()
        assert "<meta http-equiv=\"Content-Security-Policy\"" in html, page
        policy = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        assert "default-src 'self'" in policy and "object-src 'none'" in policy


def test_nothing_breaks_the_policy(site, browser):
    base, _ = site
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script("window.__violations = [];"
                         "document.addEventListener('securitypolicyviolation', e => "
                         "window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
    violations = []
    for path in PAGE_KINDS.values():
        page.goto(base + path, wait_until="networkidle")
        if path == "search/":
            page.fill("#search-input", "troops")
            page.wait_for_selector("#search-results a")
        violations += page.evaluate("window.__violations")
    context.close()
    assert violations == []
