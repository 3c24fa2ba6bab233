"""schema.org ClaimReview markup: checked field by field against the fixture's own files.

The expected values come from reading the fixture's YAML here with yaml.safe_load,
not from the engine, so a mistake in the engine's reading cannot hide itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from factsite.commands.build import build
from factsite.model.site import Claim

from .conftest import write

LD_JSON = "application/ld+json"
HOSTILE = "</script><script>alert(1)</script><!-- x\u2028y"
HOSTILE_NAME = "</script><script>alert(1)</script><!-- x y"  # a claimant's name, its spacing ironed out


# Reading the fixture without the engine -------------------------------------------

def front_matter(path: Path) -> dict:
    _, fields, _ = path.read_text("utf-8").split("---\n", 2)
    return yaml.safe_load(fields)


def site_settings(content: Path) -> dict:
    return yaml.safe_load((content / "site.yml").read_text("utf-8"))


def source_settings(content: Path, source_id: str) -> dict:
    return yaml.safe_load((content / "sources" / f"{source_id}.yml").read_text("utf-8"))


def verdict_settings(content: Path, slug: str) -> dict:
    return next(v for v in site_settings(content)["verdicts"] if v["slug"] == slug)


# Reading the built page --------------------------------------------------------------

class _PageReader(HTMLParser):
    """Script elements (type and text) and the visible text of <body>, as a browser splits them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[str | None, str]] = []
        self.visible: list[str] = []
        self._script_type: str | None = None
        self._in_script = False
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in_script = True
            self._script_type = dict(attrs).get("type")
            self.scripts.append((self._script_type, ""))
        elif tag == "body":
            self._in_body = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        elif tag == "body":
            self._in_body = False

    def handle_data(self, data):
        if self._in_script:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)
        elif self._in_body:
            self.visible.append(data)


def read_page(html: str) -> _PageReader:
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    return reader


def json_ld_texts(html: str) -> list[str]:
    return [text for kind, text in read_page(html).scripts if kind == LD_JSON]


def visible_text(html: str) -> str:
    # Collapse only HTML's own white space, so a U+2028 in the content survives.
    return re.sub(r"[ \t\n\r\f]+", " ", " ".join(read_page(html).visible))


def page_html(out: Path, slug: str) -> str:
    return (out / "claims" / slug / "index.html").read_text("utf-8")


def claim_review_of(out: Path, slug: str) -> dict:
    [text] = json_ld_texts(page_html(out, slug))
    return json.loads(text)


def one(value):
    """schema.org allows one value or a list of them; the tests want exactly one."""
    if isinstance(value, list):
        assert len(value) == 1, value
        return value[0]
    return value


# Fixtures ----------------------------------------------------------------------------

@pytest.fixture
def out(project, tmp_path) -> Path:
    target = tmp_path / "out"
    build(project, target)
    return target


@pytest.fixture
def content(project) -> Path:
    return project.content_dir


@pytest.fixture
def budget(content) -> dict:
    return front_matter(content / "claims" / "budget-doubled.md")


@pytest.fixture
def review(out) -> dict:
    return claim_review_of(out, "budget-doubled")


# The claim page's block, field by field ---------------------------------------------

def test_claim_page_has_exactly_one_json_ld_block(out):
    assert len(json_ld_texts(page_html(out, "budget-doubled"))) == 1


def test_block_is_a_schema_org_claim_review(review):
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"


def test_claim_reviewed_is_the_claim_as_written(review, budget):
    assert review["claimReviewed"] == budget["claim"]


def test_review_rating_names_the_verdict_label_from_site_yml(review, budget, content):
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["alternateName"] == verdict_settings(content, budget["verdict"])["label"]


def test_review_rating_places_the_verdict_on_the_scale(review, budget, content):
    ratings = [v["rating"] for v in site_settings(content)["verdicts"] if "rating" in v]
    rating = review["reviewRating"]
    assert rating["ratingValue"] == verdict_settings(content, budget["verdict"])["rating"]
    assert rating["bestRating"] == max(ratings)
    assert rating["worstRating"] == min(ratings)


def test_unrated_verdict_has_a_label_but_no_numbers(out, content):
    rain = front_matter(content / "claims" / "rain-record.md")
    assert "rating" not in verdict_settings(content, rain["verdict"])  # the fixture's premise
    rating = claim_review_of(out, "rain-record")["reviewRating"]
    assert rating["alternateName"] == verdict_settings(content, rain["verdict"])["label"]
    assert not {"ratingValue", "bestRating", "worstRating"} & set(rating)


def test_review_url_is_the_claim_page_address(review, content):
    assert review["url"] == site_settings(content)["base_url"] + "claims/budget-doubled/"


def test_review_author_is_the_publishing_organization(review, content):
    author = review["author"]
    assert author["@type"] == "Organization"
    assert author["name"] == site_settings(content)["organization"]["name"]


def test_review_dates_come_from_published_and_the_latest_change(review, budget):
    assert review["datePublished"] == budget["published"].isoformat()
    changes = [budget["updated"]] + [c["date"] for c in budget["corrections"]]
    assert review["dateModified"] == max(changes).isoformat()


def test_item_reviewed_is_the_claim_with_its_claimant_and_date(review, budget):
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert budget["claimant_type"] == "person"  # the fixture's premise
    author = one(item["author"])
    assert author["@type"] == "Person"
    assert author["name"] == budget["claimant"]
    assert item["datePublished"] == budget["claim_date"].isoformat()


def test_organization_claimant_is_an_organization(out, content):
    rain = front_matter(content / "claims" / "rain-record.md")
    assert rain["claimant_type"] == "organization"  # the fixture's premise
    author = one(claim_review_of(out, "rain-record")["itemReviewed"]["author"])
    assert author == {"@type": "Organization", "name": rain["claimant"]}


def test_appearance_is_the_source_the_claim_appeared_in(review, budget, content):
    source = source_settings(content, budget["appeared_in"])
    appearance = one(review["itemReviewed"]["appearance"])
    assert appearance["headline"] == source["title"]
    assert appearance["url"] == source["url"]


def test_first_appearance_is_the_source_the_claim_appeared_in(review, budget, content):
    source = source_settings(content, budget["appeared_in"])
    first = one(review["itemReviewed"]["firstAppearance"])
    assert (first["headline"], first["url"]) == (source["title"], source["url"])


def test_rating_explanation_is_the_short_answer(review, budget):
    assert review["reviewRating"]["ratingExplanation"] == budget["summary"]


def test_language_and_licence_come_from_site_yml(review, content, out):
    settings = site_settings(content)
    assert review["inLanguage"] == settings["language"]
    assert f'<html lang="{settings["language"]}">' in page_html(out, "budget-doubled")
    assert review["sdLicense"] == settings["data_license"]


def test_without_a_data_licence_the_review_claims_none(project, content, tmp_path):
    settings = (content / "site.yml").read_text("utf-8")
    write(content / "site.yml", re.sub(r"(?m)^data_license:.*\n", "", settings))
    build(project, tmp_path / "out")
    assert "sdLicense" not in claim_review_of(tmp_path / "out", "budget-doubled")


@pytest.mark.parametrize("slug", ["budget-doubled", "rain-record"])
def test_markup_says_what_the_page_shows(out, content, slug):
    claim = front_matter(content / "claims" / f"{slug}.md")
    html = page_html(out, slug)
    [text] = json_ld_texts(html)
    review = json.loads(text)
    shown = visible_text(html)
    label = verdict_settings(content, claim["verdict"])["label"]
    assert review["reviewRating"]["alternateName"] == label
    assert label in shown
    assert review["claimReviewed"] in shown
    assert review["reviewRating"]["ratingExplanation"] in shown
    assert one(review["itemReviewed"]["author"])["name"] in shown


def test_claimant_type_comes_from_the_claim_itself(project, content, tmp_path):
    write(content / "claims" / "a-weather-draft.md", (
        "---\ntitle: Never rains\nclaim: It never rains here.\nclaimant: Weather Watchers\n"
        'verdict: "false"\nsummary: It does.\nsources:\n  - source: council-data\n'
        "    quote: Rainfall is not recorded in these tables.\n    stance: context\n"
        "published: 2025-05-02\ndraft: true\n---\nA draft.\n"
    ))
    build(project, tmp_path / "out")
    author = one(claim_review_of(tmp_path / "out", "rain-record")["itemReviewed"]["author"])
    assert author["@type"] == "Organization"


# The DataFeed ----------------------------------------------------------------------------

def test_claims_json_is_a_data_feed_of_published_claims_only(out, content):
    feed = json.loads((out / "claims.json").read_text("utf-8"))
    assert feed["@context"] == "https://schema.org"
    assert feed["@type"] == "DataFeed"
    published = sorted(
        path.stem for path in (content / "claims").rglob("*.md") if not front_matter(path).get("draft")
    )
    assert published == ["budget-doubled", "rain-record"]  # the draft is left out
    elements = feed["dataFeedElement"]
    assert all(e["@type"] == "ClaimReview" for e in elements)
    base = site_settings(content)["base_url"]
    assert sorted(e["url"] for e in elements) == [f"{base}claims/{slug}/" for slug in published]


def test_data_feed_entries_equal_the_pages_blocks(out):
    feed = json.loads((out / "claims.json").read_text("utf-8"))
    by_url = {e["url"]: e for e in feed["dataFeedElement"]}
    for slug in ("budget-doubled", "rain-record"):
        block = claim_review_of(out, slug)
        assert block.pop("@context") == "https://schema.org"
        assert by_url[block["url"]] == block


# JSON-LD safety ----------------------------------------------------------------------------

@pytest.fixture
def hostile_out(project, content, tmp_path) -> Path:
    path = content / "claims" / "budget-doubled.md"
    text = path.read_text("utf-8")
    quoted = json.dumps(HOSTILE)  # a JSON string is a valid YAML double-quoted string, \u2028 escaped
    for field, value in (("claim", "The budget has doubled since 2020."), ("claimant", "The Mayor")):
        old = f"{field}: {value}\n"
        assert text.count(old) == 1
        text = text.replace(old, f"{field}: {quoted}\n")
    text = text.replace("claim_wording: verbatim\n", "")  # else its words are looked for in the source
    path.write_text(text, "utf-8")
    assert front_matter(path)["claim"] == HOSTILE  # the file says what the test means
    target = tmp_path / "out"
    build(project, target)
    return target


def test_hostile_claim_text_stays_inside_one_json_ld_block(hostile_out):
    html = page_html(hostile_out, "budget-doubled")
    [text] = json_ld_texts(html)
    review = json.loads(text)
    assert review["claimReviewed"] == HOSTILE
    assert one(review["itemReviewed"]["author"])["name"] == HOSTILE_NAME
    assert "</script><script>alert" not in html
    assert "<!--" not in text and "\u2028" not in text
    # No script other than the JSON-LD block carries the injected code.
    assert [kind for kind, body in read_page(html).scripts if "alert" in body] == [LD_JSON]


def test_hostile_claim_text_is_shown_as_text_and_kept_in_the_feed(hostile_out):
    assert HOSTILE in visible_text(page_html(hostile_out, "budget-doubled"))
    feed = json.loads((hostile_out / "claims.json").read_text("utf-8"))
    [entry] = [e for e in feed["dataFeedElement"] if e["url"].endswith("/claims/budget-doubled/")]
    assert entry["claimReviewed"] == HOSTILE
    assert one(entry["itemReviewed"]["author"])["name"] == HOSTILE_NAME


# What claims.json is rebuilt on ------------------------------------------------------

def _other(values, current):
    return next(value for value in values if value is not current)


# How to change each field of a claim: what claim_review reads of it, and what it does not.
READ_BY_THE_REVIEW = {
    "slug": lambda claim, site: setattr(claim, "slug", claim.slug + "-2"),
    "claim": lambda claim, site: setattr(claim, "claim", claim.claim + " Again."),
    "claimant": lambda claim, site: setattr(claim.claimant, "name", claim.claimant.name + " Jr"),
    "claimant type": lambda claim, site: setattr(claim.claimant, "type", "organization"),
    "verdict": lambda claim, site: setattr(claim, "verdict", _other(site.verdicts, claim.verdict)),
    "published": lambda claim, site: setattr(claim, "published", claim.published - dt.timedelta(days=1)),
    "claim_date": lambda claim, site: setattr(claim, "claim_date", claim.claim_date - dt.timedelta(days=1)),
    "appeared_in": lambda claim, site: setattr(claim, "appeared_in", _other(site.sources, claim.appeared_in)),
    # A source's file changed, which changes its digest.
    "appeared_in's file": lambda claim, site: (setattr(claim.appeared_in, "title", "Another title"),
                                               setattr(claim.appeared_in, "digest", "another digest")),
    "updated": lambda claim, site: setattr(claim, "updated", claim.updated + dt.timedelta(days=30)),
    "corrections": lambda claim, site: setattr(claim.corrections[0], "date", dt.date(2030, 1, 1)),
    "summary": lambda claim, site: setattr(claim, "summary", claim.summary + " Again."),
    "lang": lambda claim, site: setattr(claim, "lang", "uk"),
}
NOT_READ = {"title", "topics", "wording", "authors", "editors", "contacted", "citations", "related_slugs", "related", "aliases", "draft", "path", "body_line",
            "lines", "digest", "body_digest", "body", "translated"}


def test_claims_json_key_changes_with_everything_its_review_shows(project):
    """claims.json is written again only when some claim's review_key changes (render.fingerprints):
    a field claim_review reads that the key left out would leave it stale."""
    from factsite.engine import read_site
    from factsite.render.renderer import join_url
    from factsite.render.structured_data import claim_review, review_key

    fields = {field.name for field in dataclasses.fields(Claim)}
    assert fields <= NOT_READ | READ_BY_THE_REVIEW.keys() | {"claimant", "verdict", "appeared_in"}, \
        "a new field of Claim: does claim_review read it? Add it to one of the two lists above"
    for name, change in READ_BY_THE_REVIEW.items():
        site, _ = read_site(project)
        claim = next(c for c in site.claims if c.slug == "budget-doubled")
        absolute = functools.partial(join_url, "https://example.org/")
        review, key = claim_review(claim, site, absolute), review_key(claim)
        change(claim, site)
        claim = dataclasses.replace(claim)  # as read afresh: what a claim works out once (modified) is its own
        assert claim_review(claim, site, absolute) != review, f"changing {name} should change the review"
        assert review_key(claim) != key, f"claim_review reads {name}, so review_key must change with it"


def test_claims_json_is_whole_json_for_no_claim_one_and_many():
    """structured_data.data_feed_json joins the reviews once, the head and end stuck to them."""
    from types import SimpleNamespace

    from factsite.render.structured_data import data_feed_json

    site = SimpleNamespace(config=SimpleNamespace(title="T"), modified=None)
    for count in range(4):
        reviews = [json.dumps({"n": n}).encode() for n in range(count)]
        data = data_feed_json(site, lambda path: f"https://x.test/{path}", reviews)
        assert json.loads(data)["dataFeedElement"] == [{"n": n} for n in range(count)] and data.endswith(b"]}\n")
