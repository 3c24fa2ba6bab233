"""The fact-check model beyond the claim and its verdict: how the claim was worded, citations
in the desk's own words, who wrote and edited each fact-check, whom it asked for a reply,
the channels readers report through, and the IFCN checklist. Built from the `basic` fixture,
which uses every field; expected values are read from its files here."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from click.testing import CliRunner

from factsite.commands.build import build
from factsite.commands.cli import main
from factsite.engine import read_site
from factsite.errors import BuildFailed
from factsite.render.card_faces import claim_face

from .conftest import REPO, contents_of, with_ukrainian
from .sitemaps import sitemap_text
from .test_claimreview import front_matter, page_html, site_settings, visible_text


@pytest.fixture
def out(project, tmp_path) -> Path:
    target = tmp_path / "out"
    build(project, target, cards=False, search=False)
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path.name}"
    path.write_text(text.replace(old, new), "utf-8")


def problems_of(project) -> list:
    with pytest.raises(BuildFailed) as failure:
        read_site(project)
    return failure.value.problems.errors


def warnings_of(project) -> list[str]:
    return [w.message for w in read_site(project)[1].warnings]


def people(content: Path) -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in (content / "people").glob("*.yml")}


# How the claim is worded ---------------------------------------------------------------

def test_a_verbatim_claim_is_quoted_and_a_paraphrase_is_marked(out, project):
    content = project.content_dir
    assert front_matter(content / "claims" / "rain-record.md")["claim_wording"] == "verbatim"
    assert front_matter(content / "claims" / "budget-doubled.md")["claim_wording"] == "paraphrase"
    verbatim, paraphrase = page_html(out, "rain-record"), page_html(out, "budget-doubled")
    assert '<blockquote class="claim-quote">' in verbatim and "Paraphrased" not in visible_text(verbatim)
    assert '<blockquote class="claim-quote">' not in paraphrase
    assert "Paraphrased: the claim in our words" in visible_text(paraphrase)


def test_a_paraphrase_is_marked_in_lists_feed_alt_texts_and_share_card(out, project):
    claim = "The budget has doubled since 2020."
    card = re.search(r'<p class="card__claim">(.*?)</p>', (out / "topics/budget/index.html").read_text("utf-8"))[1]
    assert "<q>" not in card and "(paraphrased)" in card
    feed = (out / "feed.xml").read_text("utf-8")
    assert f"Claim (paraphrased): {claim}" in feed and "Claim: “March was the wettest month on record.”" in feed
    page = page_html(out, "budget-doubled")
    assert f'og:image:alt" content="False: {claim} (paraphrased)' in page
    assert 'alt="Test Check: False (the claim paraphrased)"' in page
    assert 'alt="Test Check: Unproven"' in page_html(out, "rain-record")
    site, _ = read_site(project)
    faces = {c.slug: claim_face(c, site.config) for c in site.claims}
    assert faces["budget-doubled"].kicker == "FACT-CHECK · CLAIM PARAPHRASED" and "“" not in faces["budget-doubled"].claim
    assert faces["rain-record"].kicker == "FACT-CHECK" and faces["rain-record"].claim.startswith("“")


def make_budget_verbatim(project, claim: str) -> Path:
    path = project.content_dir / "claims" / "budget-doubled.md"
    replace_in(path, "claim: The budget has doubled since 2020.\n", f"claim: {claim}\n")
    replace_in(path, "claim_wording: paraphrase\n", "claim_wording: verbatim\n")
    return path


def test_a_verbatim_claim_must_be_in_the_copy_of_where_it_appeared(project):
    path = make_budget_verbatim(project, "The budget has tripled since 2020.")
    [error] = [e for e in problems_of(project) if "verbatim" in e.message]
    assert (error.path, error.line) == (path, 3)
    assert "city-paper" in error.message and "claim_wording: paraphrase" in error.hint


@pytest.mark.parametrize("claim", [
    "“the budget has doubled  since 2020”",  # spacing and marks, as for quotes
    "The budget has doubled since 2020.",  # the quoted words made a sentence of their own
])
def test_a_verbatim_claim_found_in_the_copy_passes(project, claim):
    make_budget_verbatim(project, claim)
    read_site(project)  # no error


def test_a_wording_written_wrong_is_an_error_not_also_a_missing_wording(project):
    replace_in(project.content_dir / "claims" / "rain-record.md", "claim_wording: verbatim", "claim_wording: Verbatim")
    with pytest.raises(BuildFailed) as failure:
        read_site(project)
    assert not [w for w in failure.value.problems.warnings if "own words" in w.message]


def test_a_claim_that_does_not_say_how_it_is_worded_is_warned_about(project):
    replace_in(project.content_dir / "claims" / "rain-record.md", "claim_wording: verbatim\n", "")
    assert "the claim does not say whether it is the claimant's own words" in warnings_of(project)


def test_a_wording_that_is_neither_is_refused_with_the_choices(project):
    path = project.content_dir / "claims" / "rain-record.md"
    replace_in(path, "claim_wording: verbatim", "claim_wording: summary")
    [error] = [e for e in problems_of(project) if "claim_wording" in e.message]
    assert error.line == 14 and "paraphrase" in error.hint


# Citations -------------------------------------------------------------------------------

def test_a_note_is_shown_as_the_desks_words_beside_or_instead_of_a_quote(out):
    rain = visible_text(page_html(out, "rain-record"))
    assert "What it shows: The council's tables cover spending only and hold no rainfall figures." in rain
    assert "source-item__quote" not in page_html(out, "rain-record")


def test_a_citation_with_neither_quote_nor_note_is_warned_about(project):
    replace_in(project.content_dir / "claims" / "rain-record.md",
               "    note: The council's tables cover spending only and hold no rainfall figures.\n", "")
    assert 'the source "council-data" is cited with neither a quote nor a note' in warnings_of(project)


def test_a_source_shows_when_it_was_accessed(out):
    assert re.search(r"data · accessed <time datetime=\"2025-03-04\">4 March 2025</time>",
                     page_html(out, "rain-record"))


def test_a_source_page_says_when_a_page_without_an_archived_copy_was_read(project, tmp_path):
    replace_in(project.content_dir / "sources" / "council-data.yml",
               "archive_url: https://archive.example.com/council-tables\n", "")
    build(project, tmp_path / "out", cards=False, search=False)
    page = visible_text((tmp_path / "out" / "sources" / "council-data" / "index.html").read_text("utf-8"))
    assert "Archived copy None kept; we read it on 4 March 2025" in page


def source_items(page: str) -> dict[str, str]:
    """The visible text of each entry of a claim page's list of sources, by the source's id."""
    items = re.findall(r'<li id="source-\d+" class="source-item">(.*?)\n      </li>', page, re.S)
    return {re.search(r'href="[^"]*/sources/([^/"]+)/"', item)[1]: visible_text(f"<body>{item}</body>").strip()
            for item in items}


def test_a_source_cited_twice_is_listed_once_with_everything_cited_from_it(out, project):
    cited = front_matter(project.content_dir / "claims" / "budget-doubled.md")["sources"]
    paper = [c for c in cited if c["source"] == "city-paper"]
    assert len(paper) == 2 and cited.index(paper[1]) > cited.index(paper[0])  # the fixture quotes it twice
    page = page_html(out, "budget-doubled")
    items = source_items(page)
    assert list(items) == ["city-paper", "council-data"]  # each once, in the order first cited
    assert page.count('href="/sources/city-paper/"') == 2  # its entry, and where the claim appeared
    entry = items["city-paper"]
    # Both quotes under the one entry, in the order cited, each with how it bears on the claim.
    first, second = (entry.index(f"{c['quote']}") for c in paper)
    assert first < second
    assert entry.index("Supports the claim") < first < entry.index("Contradicts the claim") < second
    assert entry.count("City budget doubles, mayor says") == 1


def test_a_translated_source_cited_twice_is_listed_once_with_both_translations(project, tmp_path):
    build(with_ukrainian(project), tmp_path / "out", cards=False, search=False)
    items = source_items((tmp_path / "out" / "uk" / "claims" / "budget-doubled" / "index.html").read_text("utf-8"))
    entry = items["city-paper"]
    assert entry.index("бюджет подвоївся з 2020 року") < entry.index("Дані ради показують")
    assert len(items) == 2


def test_a_sources_unrecorded_details_are_left_out(out):
    for slug in ("budget-doubled", "rain-record"):
        assert "recorded" not in visible_text(page_html(out, slug)).lower()
    # The council's tables: no date, author or link recorded; an archived copy.
    assert source_items(page_html(out, "rain-record"))["council-data"] == (
        "Council spending tables 2020-2025 City Council · data · accessed 4 March 2025 Gives context "
        "What it shows: The council's tables cover spending only and hold no rainfall figures. Archived copy")
    facts = visible_text((out / "sources" / "council-data" / "index.html").read_text("utf-8"))
    assert "Not recorded" not in facts and "Author" not in facts and "Published" not in facts
    assert "Publisher City Council" in facts and "Original No link recorded" in facts


@pytest.mark.parametrize("link, shown", [("", "No link or archived copy recorded"),
                                         ("url: https://example.com/council-tables\n", "Original · no archived copy")],
                         ids=["no link", "a link"])
def test_a_source_without_an_archived_copy_says_so_once(project, tmp_path, link, shown):
    replace_in(project.content_dir / "sources" / "council-data.yml",
               "archive_url: https://archive.example.com/council-tables\n", link)
    build(project, tmp_path / "out", cards=False, search=False)
    page = (tmp_path / "out" / "claims" / "rain-record" / "index.html").read_text("utf-8")
    assert source_items(page)["council-data"].endswith("no rainfall figures. " + shown)
    assert visible_text(page).lower().count("archived copy") == 1


# What search reads -----------------------------------------------------------------------

class IndexedText(HTMLParser):
    """The text Pagefind indexes on a page, as data-pagefind-body and data-pagefind-ignore mark it
    (its excerpts are drawn from it), and the metadata marked with data-pagefind-meta."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.words, self.meta = [], [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-pagefind-meta" in attrs:
            self.meta[attrs["data-pagefind-meta"]] = tag
        if tag in self.VOID:
            return
        inside = self.stack[-1] if self.stack else (False, False)
        body = inside[0] or "data-pagefind-body" in attrs
        self.stack.append((body, inside[1] or "data-pagefind-ignore" in attrs))

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == (True, False):
            self.words.append(data)

    @classmethod
    def of(cls, html: str) -> tuple[str, dict]:
        reader = cls()
        reader.feed(html)
        return " ".join(" ".join(reader.words).split()), reader.meta


def test_search_indexes_a_claim_from_its_claim_and_short_answer_on(out, project):
    """A result's excerpt is drawn from the claim, the short answer and the analysis: the title is
    the result's metadata (search.js shows it above), and the labels, dates, byline, topics and
    who made the claim where are left out of the index."""
    claim = front_matter(project.content_dir / "claims" / "budget-doubled.md")
    text, meta = IndexedText.of(page_html(out, "budget-doubled"))
    assert meta == {"title": "h1"}
    assert text.startswith(f"{claim['claim']} {claim['summary']} The mayor's figure compares")
    for left_out in (claim["title"], claim["claimant"], "Fact-check", "Our verdict", "Published", "Edited by",
                     "Topics:", "What it shows:"):
        assert left_out not in text, left_out
    assert "the budget has doubled since 2020" in text  # what the sources say is searched


# People ----------------------------------------------------------------------------------

def test_the_byline_names_and_links_authors_and_editors(out, project):
    team = people(project.content_dir)
    budget = page_html(out, "budget-doubled")
    byline = re.search(r'<p class="byline"[^>]*>(.*?)</p>', budget)[1]
    assert visible_text(f"<body>{byline}</body>").strip() == \
        f"By {team['test-writer']['name']} · Edited by {team['test-editor']['name']}"
    assert 'href="/people/test-writer/"' in byline and 'href="/people/test-editor/"' in byline
    rain = re.search(r'<p class="byline"[^>]*>(.*?)</p>', page_html(out, "rain-record"))[1]
    assert visible_text(f"<body>{rain}</body>").strip() == "By Test Writer and Test Editor"


def test_each_person_has_a_page_with_their_bio_and_fact_checks(out, project):
    for person_id, person in people(project.content_dir).items():
        shown = visible_text((out / "people" / person_id / "index.html").read_text("utf-8"))
        assert person["name"] in shown and person["role"] in shown and person["bio"] in shown
    writer = (out / "people" / "test-writer" / "index.html").read_text("utf-8")
    assert writer.count('class="card"') == 2  # the author of both
    assert 'href="https://example.org/test-writer"' in writer


def test_pages_can_include_the_team_and_the_organization(out, project):
    settings = site_settings(project.content_dir)
    about = visible_text((out / "about" / "index.html").read_text("utf-8"))
    for person in people(project.content_dir).values():
        assert person["bio"] in about
    assert settings["ownership"] in about
    assert settings["nonpartisanship"] in about
    assert settings["funding"]["statement"] in about
    assert "Test Foundation €10,000 2025" in about
    assert "Anonymous reader donations Not disclosed Not given" in about


def test_an_unknown_person_is_an_error_naming_those_there_are(project):
    path = project.content_dir / "claims" / "budget-doubled.md"
    replace_in(path, "author: test-writer", "author: test-writter")
    [error] = [e for e in problems_of(project) if "person" in e.message]
    assert error.path == path and error.message == 'unknown person "test-writter"'
    assert "test-writer" in error.hint and "content/people/" in error.hint
    assert path.read_text("utf-8").split("\n")[error.line - 1] == "author: test-writter"


def test_a_person_named_twice_in_a_byline_is_warned_about(project):
    path = project.content_dir / "claims" / "budget-doubled.md"
    replace_in(path, "editor: [test-editor]", "editor: [test-writer]")
    [warning] = [w for w in read_site(project)[1].warnings if "named twice" in w.message]
    assert warning.path == path and path.read_text("utf-8").split("\n")[warning.line - 1] == "editor: [test-writer]"


def test_without_people_an_unknown_person_is_told_to_make_a_file(project):
    for person in (project.content_dir / "people").glob("*.yml"):
        person.unlink()
    errors = [e for e in problems_of(project) if e.message == 'unknown person "test-writer"']
    assert errors and errors[0].hint == "create content/people/test-writer.yml with name, role and bio"


def test_the_team_link_and_person_pages_follow_the_people_through_incremental_builds(project, tmp_path):
    people = project.content_dir / "people"
    kept = {p.name: p.read_text("utf-8") for p in people.glob("*.yml")}
    for person in people.glob("*.yml"):
        person.unlink()
    for claim in ("budget-doubled", "rain-record"):
        path = project.content_dir / "claims" / f"{claim}.md"
        path.write_text(re.sub(r"(?m)^(author|editor): .*\n", "", path.read_text("utf-8")), "utf-8")
    out = tmp_path / "out"
    build(project, out, cards=False, search=False)
    assert "Our team" not in (out / "index.html").read_text("utf-8")
    for name, text in kept.items():
        (people / name).write_text(text, "utf-8")
    build(project, out, cards=False, search=False)
    fresh = tmp_path / "fresh"
    build(project, fresh, cards=False, search=False, use_cache=False)
    assert contents_of(out) == contents_of(fresh)
    assert "Our team" in (out / "index.html").read_text("utf-8")
    assert "people/test-writer/" in sitemap_text(out)


def test_a_person_without_a_bio_is_an_error_on_their_file(project):
    path = project.content_dir / "people" / "test-editor.yml"
    replace_in(path, "bio: Test Editor reviews every fact-check before it is published.\n", "")
    errors = problems_of(project)
    assert [(e.path, e.message) for e in errors] == [(path, 'missing required field "bio"')]


def test_editing_a_persons_file_rebuilds_their_pages_and_bylines(project, tmp_path):
    out = tmp_path / "out"
    build(project, out, cards=False, search=False)
    replace_in(project.content_dir / "people" / "test-editor.yml", "name: Test Editor", "name: Test Chief")
    result = build(project, out, cards=False, search=False)
    assert "Edited by Test Chief" in visible_text(page_html(out, "budget-doubled"))
    assert "Test Chief" in (out / "people" / "test-editor" / "index.html").read_text("utf-8")
    assert "Test Chief" in (out / "about" / "index.html").read_text("utf-8")
    fresh = tmp_path / "fresh"
    build(project, fresh, cards=False, search=False, use_cache=False)
    assert {p.name for p in out.rglob("*")} == {p.name for p in fresh.rglob("*")}
    assert result.files_written < result.files_written + result.files_reused


# The right of reply --------------------------------------------------------------------

def test_whom_the_desk_asked_and_their_answer_or_silence(out):
    budget, rain = visible_text(page_html(out, "budget-doubled")), visible_text(page_html(out, "rain-record"))
    assert ("We asked The mayor's office on 3 March 2025 . Their answer: The mayor's spokesperson said "
            "the figure included grants from the region.") in budget
    assert "We asked Weather Watchers on 28 March 2025 . They had not answered by the time of publication." in rain


# Channels --------------------------------------------------------------------------------

def report_link(html: str) -> str | None:
    found = re.search(r'<aside class="report-error".*?</aside>', html, re.S)[0]
    link = re.search(r'href="(https://github\.com/[^"]+)"', found)
    return link[1].replace("&amp;", "&") if link else None


def test_report_it_opens_the_repositorys_issue_form_filled_in(out, project):
    link = urlsplit(report_link(page_html(out, "budget-doubled")))
    assert link.path == f"/{site_settings(project.content_dir)['repository']}/issues/new"
    assert parse_qs(link.query) == {"template": ["report-error.yml"], "title": ["Error report: Budget doubled"],
                                    "page": ["https://example.org/claims/budget-doubled/"]}


def test_the_issue_forms_have_the_fields_the_links_fill_in():
    forms = REPO / ".github" / "ISSUE_TEMPLATE"
    report = yaml.safe_load((forms / "report-error.yml").read_text("utf-8"))
    assert "page" in {field.get("id") for field in report["body"]}
    assert (forms / "suggest-claim.yml").is_file()


def test_without_a_repository_readers_report_by_email(project, tmp_path):
    replace_in(project.content_dir / "site.yml", "repository: test-owner/test-check\n", "")
    build(project, tmp_path / "out", cards=False, search=False)
    html = page_html(tmp_path / "out", "budget-doubled")
    assert report_link(html) is None and "mailto:errors@example.org?subject=Error" in html
    assert "github.com" not in (tmp_path / "out" / "suggest" / "index.html").read_text("utf-8")


def test_the_repository_given_to_the_build_replaces_site_yml(project, tmp_path):
    out = tmp_path / "out"
    build(project, out, cards=False, search=False)
    build(project, out, cards=False, search=False, repository="other-owner/other-site")  # every page again
    assert "/other-owner/other-site/issues/new" in report_link(page_html(out, "budget-doubled"))
    assert "/other-owner/other-site/issues/new" in (out / "index.html").read_text("utf-8")
    assert "test-owner" not in (out / "suggest" / "index.html").read_text("utf-8")


def test_a_repository_given_that_is_not_owner_slash_name_names_the_option(project):
    with pytest.raises(BuildFailed) as failure:
        read_site(project, repository="https://github.com/x/y")
    [error] = failure.value.problems.errors
    assert "(--repository)" in error.message and error.hint.endswith("--repository owner/repo")


def test_a_repository_that_is_not_owner_slash_name_is_refused(project):
    replace_in(project.content_dir / "site.yml", "repository: test-owner/test-check", "repository: https://x/y")
    [error] = problems_of(project)
    assert "is not a GitHub repository's name" in error.message and error.line == 37


def test_the_suggest_page_offers_the_form_and_email(out):
    html = (out / "suggest" / "index.html").read_text("utf-8")
    assert "https://github.com/test-owner/test-check/issues/new?template=suggest-claim.yml" in html
    assert 'href="mailto:errors@example.org?subject=Claim%20to%20check"' in html


# The IFCN checklist ------------------------------------------------------------------

def check_ifcn(content: Path):
    return CliRunner().invoke(main, ["check", "--ifcn", "--content", str(content), "--published",
                                     str(content.parent / "no-site")], catch_exceptions=False)


def test_the_ifcn_checklist_passes_when_every_commitment_is_shown(project):
    result = check_ifcn(project.content_dir)
    assert result.exit_code == 0, result.output
    assert "7 of 7 commitments shown." in result.output and "[missing]" not in result.output


def test_the_ifcn_checklist_names_what_is_missing_and_fails(project):
    content = project.content_dir
    (content / "people" / "test-editor.yml").unlink()
    (content / "people" / "test-writer.yml").unlink()
    replace_in(content / "claims" / "budget-doubled.md", "author: test-writer\neditor: [test-editor]\n", "")
    replace_in(content / "claims" / "rain-record.md", "author: [test-writer, test-editor]\n", "")
    replace_in(content / "claims" / "rain-record.md", "contacted:\n  - who: Weather Watchers\n    date: 2025-03-28\n", "")
    replace_in(content / "site.yml", "repository: test-owner/test-check\n", "")
    replace_in(content / "site.yml", "nonpartisanship: We back no party and check claims from every side.\n", "")
    result = check_ifcn(content)
    assert result.exit_code == 1
    lines = result.output
    assert "content/site.yml has no nonpartisanship: statement" in lines
    assert "content/people/ has no one" in lines
    assert "2 fact-checks name no author or editor: rain-record, budget-doubled" in lines
    assert '1 fact-check record no contacted: rain-record' in lines
    assert 'contact_email is on "example.org", a domain kept for examples' in lines
    assert "3 of 7 commitments shown." in lines


def test_the_checklist_waits_for_the_content_to_read_without_errors(project):
    replace_in(project.content_dir / "claims" / "rain-record.md", "verdict: unproven", "verdict: unprovne")
    result = check_ifcn(project.content_dir)
    assert result.exit_code == 1 and "IFCN checklist needs the content to read without errors" in result.output


def test_an_address_on_a_real_domain_is_a_channel(project):
    content = project.content_dir
    replace_in(content / "site.yml", "repository: test-owner/test-check\n", "")
    replace_in(content / "site.yml", "contact_email: errors@example.org", "contact_email: errors@factsite-desk.org")
    assert check_ifcn(content).exit_code == 0


def test_the_repositorys_own_publication_lists_what_its_publisher_must_supply():
    result = CliRunner().invoke(main, ["check", "--ifcn", "--content", str(REPO / "content"), "--published",
                                       str(REPO / "no-such-site")], catch_exceptions=False)
    assert result.exit_code == 1
    assert "content/people/ has no one" in result.output  # the desk invents no one
    assert "lists no funders and no funding: statement" in result.output  # nor any funder
    assert "[met] A commitment to nonpartisanship and fairness" in result.output
