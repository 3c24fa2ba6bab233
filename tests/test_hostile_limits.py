"""Content made to crash or stall the build: each is refused with a clear error naming
the file and line, before the expensive work, or handled in linear time.

What these tests feed is small but far past each limit (a limit is never tested by timing:
speed is measured in bench/fuzz_markdown.py). A subprocess timeout is only a safety net,
so that a regression hangs one test, not the whole run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from factsite.engine import read_site

from factsite.commands.build import build, check
from factsite.errors import BuildFailed, ContentError
from factsite.read.filecache import content_signatures
from factsite.commands.scaffold import new_claim

from .conftest import write


def errors_of(project) -> list[ContentError]:
    with pytest.raises(BuildFailed) as failed:
        read_site(project)
    return failed.value.problems.errors


@pytest.fixture
def deep_folder(request):
    """Makes ``top``/a/a/.../a, ``levels`` deep, one folder at a time (os.makedirs recurses), and
    removes it after the test, from the bottom up: pytest's clean-up (shutil.rmtree) recurses too."""
    made: list[Path] = []

    def make(top: Path, levels: int) -> Path:
        path = top
        for _ in range(levels):
            path = path / "a"
            path.mkdir()
            made.append(path)
        return path

    yield make
    for folder in reversed(made):
        for child in folder.iterdir():
            if not child.is_dir():
                child.unlink()
        folder.rmdir()


# Folders -----------------------------------------------------------------------------------

@pytest.mark.parametrize("levels", [11, 1000])
def test_a_folder_nested_too_deep_in_claims_is_one_clear_error(project, deep_folder, levels):
    claims = project.content_dir / "claims"
    bottom = deep_folder(claims, levels)
    write(bottom / "deep.md", (claims / "rain-record.md").read_text("utf-8"))
    [error] = errors_of(project)
    assert error.path == claims.joinpath(*["a"] * 11)
    assert "more than 10 folders deep" in error.message and "claims/2025/09/" in error.hint
    assert content_signatures(project.content_dir)  # lists, does not crash


def test_claims_ten_folders_deep_are_read(project, deep_folder):
    claims = project.content_dir / "claims"
    (claims / "rain-record.md").rename(deep_folder(claims, 10) / "rain-record.md")
    assert "rain-record" in {claim.slug for claim in read_site(project)[0].claims}


def test_new_in_a_deep_claims_folder_does_not_crash(project, deep_folder):
    deep_folder(project.content_dir / "claims", 1000)
    assert new_claim(project.content_dir, "A new claim", claimant="The Mayor").is_file()


# Fields ------------------------------------------------------------------------------------

def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path.name}"
    path.write_text(text.replace(old, new), "utf-8")


@pytest.mark.parametrize("field, old, limit", [
    ("claimant", "claimant: The Mayor", 200), ("title", "title: Budget doubled", 200),
    ("claim", "claim: The budget has doubled since 2020.", 1000),
    ("summary", "summary: Spending rose by half, from 10 million to 15 million; it did not double.", 2000),
])
@pytest.mark.parametrize("length", [2001, 1_000_000])
def test_a_field_longer_than_its_limit_is_refused_by_check_and_build_alike(project, tmp_path, field, old, limit,
                                                                          length):
    """A claimant of a million characters passed the check and crashed the build's share card."""
    claim = project.content_dir / "claims" / "budget-doubled.md"
    edit(claim, old, f"{field}: " + "x" * length)
    errors = check_or_errors(project)
    [error] = [e for e in errors if e.path == claim]
    assert (error.line, error.message) == (claim.read_text().split("\n").index(f"{field}: " + "x" * length) + 1,
                                           f'"{field}" is {length:,} characters long; it may have at most {limit:,}')
    with pytest.raises(BuildFailed) as failed:
        build(project, tmp_path / "site")
    assert [e.message for e in failed.value.problems.errors if e.path == claim] == [error.message]


def check_or_errors(project) -> list[ContentError]:
    try:
        return check(project).errors
    except BuildFailed as failed:
        return failed.problems.errors


def test_forty_thousand_unknown_related_claims_are_one_error(project):
    claim = project.content_dir / "claims" / "budget-doubled.md"
    edit(claim, "related: [rain-record]", "related: [" + ", ".join(f"nope-{i}" for i in range(40_000)) + "]")
    errors = [e for e in errors_of(project) if e.path == claim]
    assert [e.message for e in errors] == ['"related" has 40,000 entries; it may have at most 100']


@pytest.mark.parametrize("field, old, new", [
    ("topics", "topics: [budget]", "topics: [{}]"),
    ("sources", "sources:\n", "sources: [{}]\nx:\n"),
    ("corrections",
     "corrections:\n  - date: 2025-03-09\n    note: An earlier version gave the 2020 figure as 11 million.",
     "corrections: [{}]"),
])
def test_every_list_has_a_limit_and_one_message(project, field, old, new):
    claim = project.content_dir / "claims" / "budget-doubled.md"
    entry = {"topics": "budget", "sources": "{source: city-paper, stance: context}",
             "corrections": "{date: 2025-03-09, note: x}"}[field]
    text = claim.read_text("utf-8").replace(old, new.format(", ".join([entry] * 1000)), 1)
    if field == "sources":  # the old entries, now under a field of no meaning, go
        text = text[:text.index("x:\n")] + text[text.index("published:"):]
    claim.write_text(text, "utf-8")
    errors = [e.message for e in errors_of(project) if e.path == claim and "entries" in e.message]
    assert errors == [f'"{field}" has 1,000 entries; it may have at most {500 if field == "sources" else 100}']


def test_a_name_in_a_list_longer_than_a_file_name_is_refused(project):
    claim = project.content_dir / "claims" / "budget-doubled.md"
    edit(claim, "related: [rain-record]", "related: [" + "r" * 100_000 + "]")
    [error] = [e for e in errors_of(project) if e.path == claim]
    assert error.message == 'a name in "related" is longer than 200 characters' and len(str(error)) < 300


def test_a_long_contact_email_is_refused(project):
    site = project.content_dir / "site.yml"
    long = "errors@" + "very-long-part." * 17 + "example.org"  # 273 characters, each part valid
    edit(site, "contact_email: errors@example.org", f"contact_email: {long}")
    [error] = errors_of(project)
    assert (error.path, error.line) == (site, 9) and "at most 254" in error.message


CHECK_EMAIL = """
import sys
from pathlib import Path
from factsite.read.config import load_config
from factsite.errors import Problems
problems = Problems()
load_config(Path(sys.argv[1]), problems)
print(problems.errors[0].message[:60] if problems.errors else "accepted")
"""


@pytest.mark.parametrize("email", ["a@" + "a." * 250_000 + "<", "a@" + "." * 500_000 + "!", "@" * 100_000])
def test_a_hostile_contact_email_is_refused_without_backtracking(project, email):
    """The old pattern tried every dot of the domain against every other: this took hours.
    The timeout is only a safety net; no speed is asserted."""
    edit(project.content_dir / "site.yml", "contact_email: errors@example.org", f"contact_email: '{email}'")
    result = subprocess.run([sys.executable, "-c", CHECK_EMAIL, str(project.content_dir)], capture_output=True,
                            text=True, timeout=120, check=True)
    assert "characters long" in result.stdout or "is not an email address" in result.stdout


@pytest.mark.parametrize("email", ["a@" + "a." * 120 + "<", "a@" + "." * 240 + "!", "a@b", "a@b..c", "a@.b.c",
                                   "a@b.c.", "a b@c.d", "a@b@c.d"])
def test_contact_emails_that_are_not_addresses_are_refused(project, email):
    edit(project.content_dir / "site.yml", "contact_email: errors@example.org", f"contact_email: '{email}'")
    [error] = errors_of(project)
    assert "is not an email address" in error.message


# Share cards -------------------------------------------------------------------------------

class Measuring:
    """A Pillow drawing that counts the characters it is asked to measure."""

    def __init__(self, draw):
        self.draw, self.measured = draw, 0

    def textlength(self, text, font):
        self.measured += len(text)
        return self.draw.textlength(text, font=font)


@pytest.mark.parametrize("text", ["x" * 100_000, "word " * 20_000, "w" * 30 + " " + "y" * 100_000,
                                  "\u200b" * 100_000, ("z" * 5_000 + " ") * 6])
def test_wrapping_a_card_measures_each_character_a_few_times_not_once_per_character(text):
    from PIL import Image, ImageDraw

    from factsite.render.cards import font, wrap

    draw = Measuring(ImageDraw.Draw(Image.new("RGB", (10, 10))))
    lines = wrap(draw, text, font("DejaVuSerif.ttf", 50), 1056, 4)
    assert 1 <= len(lines) <= 4
    assert draw.measured <= 80_000  # a word cut a character at a time was measured 5,000,000,000 times


def test_a_card_is_drawn_for_a_million_character_claimant(project):
    from factsite.render.cards import claim_card, site_card

    site, _ = read_site(project)
    claim = site.claims[0]
    claim.claimant.name = claim.claim = claim.verdict.label = "x" * 1_000_001
    site.config.title = site.config.tagline = "y " * 600_000
    assert claim_card(claim, site.config).startswith(b"\x89PNG")
    assert site_card(site.config).startswith(b"\x89PNG")


# Markdown ----------------------------------------------------------------------------------

def claim_with_body(project, name: str, body: str) -> Path:
    """A valid claim (rain-record's fields) named ``name``, with ``body`` as its analysis."""
    text = (project.content_dir / "claims" / "rain-record.md").read_text("utf-8")
    fields = text[:text.index("\n---\n", 4) + 5]
    return write(project.content_dir / "claims" / f"{name}.md", fields + body)


def body_line(path: Path) -> int:
    """The line of the file where its analysis starts."""
    return path.read_text("utf-8").split("\n").index("---", 1) + 2


NESTED = {  # hundreds of levels of each kind of nesting
    "indented list": "".join("    " * i + "- x\n\n" for i in range(150)),
    "list on one line": "- " * 500 + "x\n",
    "numbered list on one line": "1. " * 500 + "x\n",
    "quotes": ">" * 1000 + " x\n",
    "quotes and lists": "> - " * 400 + "x\n",
    "indented quotes and lists": "".join("    " * i + ("> " if i % 2 else "- ") + "x\n\n" for i in range(150)),
    "definitions": "Term\n: definition\n" * 200,
    "markdown in html": '<div markdown="1">\n' * 200 + "x\n" + "</div>\n" * 200,
}


@pytest.mark.parametrize("kind", sorted(NESTED))
def test_markdown_nested_hundreds_deep_is_one_clear_error(project, kind):
    path = claim_with_body(project, "deep", "A first paragraph.\n\n" + NESTED[kind])
    [error] = errors_of(project)
    assert error.path == path and "levels deep" in error.message and error.hint
    assert body_line(path) + 2 <= error.line <= body_line(path) + NESTED[kind].count("\n") + 2


NEAR_LIMIT = {  # 30 levels: deep, but within the limit, and converted without a RecursionError
    "indented list": "".join("    " * i + "- x\n" for i in range(30)),
    "list on one line": "- " * 30 + "x\n",
    "quotes and lists": "> - " * 15 + "x\n",
    "definitions": "Term\n: definition\n" * 30,
    "markdown in html": '<div markdown="1">\n' * 30 + "x\n" + "</div>\n" * 30,
    "all at once": "".join("    " * i + "> - " + "x\n" for i in range(6)) + "Term\n: d\n" * 8,
}


def test_markdown_nested_within_the_limit_builds(project, tmp_path):
    for kind, body in NEAR_LIMIT.items():
        claim_with_body(project, kind.replace(" ", "-"), body)
    build(project, tmp_path / "site", cards=False, search=False)
    assert (tmp_path / "site" / "claims" / "all-at-once" / "index.html").is_file()


# Constructs Python-Markdown reads again for each one (quadratic), each far past the limits.
QUADRATIC = {
    "brackets": "[" * 30_000,
    "brackets in words": "x [" * 10_000,
    "link openings": "[a](" * 8_000,
    "image openings": "![a](" * 6_000,
    "reference openings": "[a][" * 8_000,
    "unclosed cdata": "<![CDATA[" * 4_000,
    "unclosed tags": "<a " * 10_000,
    "tags in words": "x <a " * 6_000,
    "autolink openings": "<http://" * 4_000,
    "nested brackets": "[" * 2_000 + "a" + "]" * 2_000,
    "link titles never closed": '[a](b "' * 5_000,
    "brackets hidden in code": "[`]`" * 8_000,
    "many list items": "- \n" * 10_000,
    "many headings": "a\n===\n" * 5_000,
    "many emphases": "*a*" * 10_000,
    "many escapes": "\\" * 40_000,
}


def cli_check(folder: Path) -> subprocess.CompletedProcess:
    """`factsite check` run in ``folder``; the timeout is a safety net, not a measure."""
    return subprocess.run([sys.executable, "-m", "factsite", "check"], cwd=folder, capture_output=True, text=True,
                          timeout=300)


def test_markdown_a_parser_would_read_again_and_again_is_refused_with_its_line(project):
    """Each of these took from seconds to minutes to convert (the issue's 110 KB analysis
    took over two minutes); now each is an error on a line, given before any conversion."""
    paths = {kind: claim_with_body(project, kind.replace(" ", "-"), "A first line.\n\n" + body)
             for kind, body in QUADRATIC.items()}
    for folder in ("templates", "static"):
        shutil.copytree(Path(__file__).resolve().parent.parent / folder, project.content_dir.parent / folder)
    result = cli_check(project.content_dir.parent)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output[-2000:]
    for kind, path in paths.items():
        where = f"content/claims/{path.name}:{body_line(path) + 2}: error: "
        assert where in output, f"{kind}: no error at {where}\n{output[-3000:]}"
    assert output.count("hint: ") >= len(QUADRATIC)


# Code fences: fenced_code searches the whole document at once (blank lines do not stop it), from
# each fence line to the next line holding the same fence alone, or to the end; after hl_lines="
# it does so again from each later quote that ends a line. Each took from seconds to minutes.
FENCES = {
    "fences never closed": "```x\n\n" * 3_000,
    "tilde fences with a language never closed": "~~~ python\nprint(1)\n\n" * 2_000,
    "fences whose attributes are read again": "```{a}}\nx\n\n" * 2_000 + "```\n",
    "a highlighted fence never closed": '```hl_lines="\n' + '"\n\n' * 10_000,
    "highlighted fences closed before their quote": '```hl_lines="1\n```\n\n' * 200 + 'x"\n\n' * 1_000,
}


@pytest.mark.parametrize("kind", sorted(FENCES))
def test_code_fences_the_extension_would_read_again_and_again_are_refused_with_their_line(project, kind):
    path = claim_with_body(project, "fences", "A first line.\n\n" + FENCES[kind])
    [error] = [e for e in errors_of(project) if e.path == path]
    assert error.line == body_line(path) + 2 and "code fences that are not closed" in error.message
    assert "``` or ~~~ fence" in error.hint


def test_closed_code_fences_are_not_refused(project, tmp_path):
    """Many fences, each closed (some by a longer fence, some highlighted), are read once each."""
    blocks = ["```python\nprint(1)\n```\n\n", "~~~\n```\nnot a fence here\n~~~\n\n",
              '```hl_lines="1"\nx\n```\n\n', "````\n```\n````\n\n", "Text with ``` inside.\n\n"]
    claim_with_body(project, "fenced", "".join(blocks * 300))
    build(project, tmp_path / "site", cards=False, search=False)
    assert (tmp_path / "site" / "claims" / "fenced" / "index.html").is_file()


# Start tags never closed whose quoted attributes hold ">": html.parser reads each as running on over
# the tags after it (taken for attributes), to the end of the document. 13 s for 100 KB of the first.
OPEN_TAGS = {
    "double quotes": '<a b=">"\n\n' * 5_000,
    "single quotes": "<abbr title='>'\n\n" * 4_000,
    "between words": 'Some words <b title="a>b" and more\n\n' * 2_000,
    "over lines": '<img\nalt=">"\nsrc=x\n\n' * 3_000,
}


@pytest.mark.parametrize("kind", sorted(OPEN_TAGS))
def test_tags_never_closed_with_quoted_closing_marks_are_refused_with_their_line(project, kind):
    path = claim_with_body(project, "tags", "A first line.\n\n" + OPEN_TAGS[kind])
    [error] = [e for e in errors_of(project) if e.path == path]
    assert error.line == body_line(path) + 2 and "HTML tags" in error.message


def test_closed_tags_with_quoted_closing_marks_are_not_refused(project, tmp_path):
    claim_with_body(project, "quoted", 'Read <abbr title="a > b">this</abbr>, <a href="/x?a=>">that</a>.\n\n' * 1_000)
    build(project, tmp_path / "site", cards=False, search=False)
    assert (tmp_path / "site" / "claims" / "quoted" / "index.html").is_file()


@pytest.mark.parametrize("count, construct, message", [
    (101, "*[A{}]: an abbreviation\n", "more than 100 abbreviations"),
    (301, "A note[^{}].\n\n", "more than 300 footnote"),
    (5001, "<b>{}</b>\n\n", "more than 10000 HTML tags"),
])
def test_too_many_abbreviations_footnotes_or_tags_are_refused(project, count, construct, message):
    path = claim_with_body(project, "many", "".join(construct.format(i) for i in range(count)))
    [error] = [e for e in errors_of(project) if e.path == path]
    assert message in error.message.replace(",", "")


def test_an_analysis_over_the_size_limit_is_refused_before_anything_else(project):
    path = claim_with_body(project, "long", "Plain words in a paragraph.\n\n" * 4000)
    [error] = [e for e in errors_of(project) if e.path == path]
    assert (error.line, error.message) == (body_line(path), "the analysis is 116,000 characters long; it may have "
                                                            "at most 100,000")


def test_a_page_past_a_limit_is_refused_too(project):
    path = write(project.content_dir / "pages" / "deep.md", "---\ntitle: Deep\n---\n" + "> " * 100 + "x\n")
    [error] = [e for e in errors_of(project) if e.path == path]
    assert error.line == 4 and "levels deep" in error.message


def test_a_paragraph_over_the_block_limit_is_refused(project):
    path = claim_with_body(project, "block", "Intro.\n\n" + "A sentence that goes on. " * 500)
    [error] = [e for e in errors_of(project) if e.path == path]
    assert error.line == body_line(path) + 2 and "12,500 characters long; it may have at most 10,000" in error.message


def test_the_preview_reports_deep_nesting_and_keeps_watching(project, monkeypatch):
    from factsite.commands.serve import PreviewServer

    monkeypatch.chdir(project.content_dir.parent)
    server = PreviewServer(project, port=0, log=lambda text: None)
    try:
        server.rebuild()
        assert not server.preview.failed
        path = project.content_dir / "claims" / "rain-record.md"
        path.write_text(path.read_text("utf-8") + "\n" + "- " * 600 + "x\n", "utf-8")
        server.rebuild()
        assert server.preview.failed
        assert [e.message for e in server.preview.problems if e.severity == "error"][0].startswith(
            "this line is nested")
    finally:
        server.httpd.server_close()
