"""Editors' mistakes: reported as `path:line: message` plus a hint, all together, never a traceback.

Each test copies the `basic` fixture (the `project` fixture), breaks one thing,
and checks what the editor is told: which file, which line, what is wrong and
what to do about it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from factsite.engine import read_site
from factsite.digest import digest_of
from factsite.model.site import Source
from factsite.read.quotes import quote_in_copy
from factsite.commands.cli import main
from factsite.errors import BuildFailed, ContentError

from .conftest import REPO, with_ukrainian, write

CLAIM = "claims/budget-doubled.md"
RAIN = "claims/rain-record.md"
SITE = "site.yml"
CITY_PAPER = "sources/city-paper.yml"
COUNCIL_DATA = "sources/council-data.yml"


# Helpers -----------------------------------------------------------------

def edit(project, relative: str, old: str, new: str) -> Path:
    """Replace the one occurrence of ``old`` in a content file; returns the file's path."""
    path = project.content_dir / relative
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {relative}"
    path.write_text(text.replace(old, new), "utf-8")
    return path


def errors_of(project, **options) -> list[ContentError]:
    with pytest.raises(BuildFailed) as excinfo:
        read_site(project, **options)
    return excinfo.value.problems.errors


def the_error(errors: list[ContentError], path: Path, text: str) -> ContentError:
    """The one error about ``path`` whose message contains ``text``."""
    found = [e for e in errors if e.path == path and text in e.message]
    assert len(found) == 1, f"expected one error on {path} about {text!r}, got:\n" + "\n".join(map(str, errors))
    return found[0]


def only_error(project, **options) -> ContentError:
    errors = errors_of(project, **options)
    assert len(errors) == 1, "expected exactly one error, got:\n" + "\n".join(map(str, errors))
    return errors[0]


# YAML syntax --------------------------------------------------------------

@pytest.mark.parametrize("old, new", [
    pytest.param("title: Budget doubled", 'title: >-\n  "Budget doubled," said the mayor', id="block-value-starting-with-a-quote"),
    pytest.param("title: Budget doubled", 'title: "Budget\n  doubled"', id="quoted-value-over-two-lines"),
    pytest.param("related: [rain-record]", "related:\n  - rain-record\nx_links:\n  - mailto:desk", id="entry-like-a-field"),
])
def test_valid_lines_above_a_yaml_mistake_are_not_blamed_for_it(project, old, new):
    """Lines that only look like a slip are valid YAML: the mistake below them is reported where it is."""
    edit(project, CLAIM, old, new)
    edit(project, CLAIM, "summary: Spending rose", "summary: Note: Spending rose")
    error = only_error(project)
    summary = next(n for n, text in enumerate((project.content_dir / CLAIM).read_text().split("\n"), 1)
                   if text.startswith("summary:"))
    assert (error.line, "mapping values are not allowed" in error.message) == (summary, True), str(error)


@pytest.mark.parametrize("old, new, line, message, hint", [
    pytest.param("claim: The budget has doubled since 2020.", "claim: Mayor: the budget has doubled",
                 3, "mapping values are not allowed", 'must be in quotes', id="colon-in-claim"),
    pytest.param("summary: Spending rose", "summary: Note: Spending rose",
                 9, "mapping values are not allowed", 'must be in quotes', id="colon-in-summary"),
    pytest.param("  - source: council-data", "\t- source: council-data",
                 18, "tab", "spaces, not tabs", id="tab-indent"),
    pytest.param("claim: The budget has doubled since 2020.", 'claim: "The budget has doubled since 2020.',
                 3, "quotation mark opened on this line is not closed", "same quotation mark",
                 id="unclosed-double-quote"),
    pytest.param("claim: The budget has doubled since 2020.", "claim: 'The budget has doubled since 2020.",
                 3, "quotation mark opened on this line is not closed", "same quotation mark",
                 id="unclosed-single-quote"),
    # The slips recognised from the text (read/yaml_messages.py), each on its own line.
    pytest.param("title: Budget doubled", "title: 'The mayor's budget'",
                 2, "in single quotes and contains an apostrophe",
                 """write it in double quotes (title: "The mayor's budget") or double the apostrophe """
                 """(title: 'The mayor''s budget')""", id="apostrophe-in-single-quotes"),
    pytest.param('    quote: "the budget has doubled since 2020"', "    quote: 'the mayor's budget has doubled'",
                 13, "in single quotes and contains an apostrophe", "(quote: 'the mayor''s budget has doubled')",
                 id="apostrophe-in-a-quote"),
    pytest.param('claim: The budget has doubled since 2020.', 'claim: "The "budget" has doubled"',
                 3, 'in double quotes and contains a straight " inside',
                 'use curly quotation marks inside (claim: "The “budget” has doubled")', id="quote-in-double-quotes"),
    pytest.param('claim: The budget has doubled since 2020.', 'claim: "The budget" has doubled',
                 3, "starts with a quotation mark and goes on after the quotation closes",
                 """put the whole value in single quotes: claim: '"The budget" has doubled'""",
                 id="quotation-at-the-start"),
    pytest.param('verdict: "false"', '  verdict: "false"',
                 8, '"verdict:" is indented more than "appeared_in:" above it',
                 'start "verdict:" at the beginning of the line, like "appeared_in:"', id="indented-field"),
    pytest.param('    quote: "the budget has doubled since 2020"', '     quote: "the budget has doubled since 2020"',
                 13, '"quote:" is indented more than "source:" above it',
                 'line "quote:" up with "source:" above it, 4 spaces from the beginning of the line',
                 id="indented-field-of-a-source"),
    pytest.param("title: Budget doubled", "  title: Budget doubled",
                 2, '"title:" is indented', 'start "title:" at the beginning of the line', id="indented-first-field"),
    pytest.param('verdict: "false"', 'verdict:"false"',
                 8, 'no space after the colon of "verdict:"', 'put a space after the colon: verdict: "false"',
                 id="no-space-after-colon"),
    pytest.param("title: Budget doubled", "title:Budget doubled",
                 2, 'no space after the colon of "title:"', "put a space after the colon: title: Budget doubled",
                 id="no-space-after-the-first-colon"),
])
def test_yaml_syntax_error_in_claim_is_reported_on_its_line_in_the_file(project, old, new, line, message, hint):
    path = edit(project, CLAIM, old, new)
    error = only_error(project)
    assert (error.path, error.line) == (path, line)
    assert message in error.message
    assert hint in error.hint


def test_yaml_syntax_error_in_site_yml_is_reported_on_its_line(project):
    path = edit(project, SITE, "tagline: A small site", "tagline: Tests: a small site")
    error = only_error(project)
    assert (error.path, error.line) == (path, 2)
    assert "YAML syntax error" in error.message
    assert "quotes" in error.hint


def test_an_apostrophe_in_single_quotes_in_a_source_is_reported_on_its_line(project):
    path = edit(project, CITY_PAPER, "publisher: The City Paper", "publisher: 'The City's Paper'")
    error = the_error(errors_of(project), path, "apostrophe")
    assert error.line == 2
    assert error.hint.endswith("""double the apostrophe (publisher: 'The City''s Paper')""")


def test_yaml_syntax_error_in_source_is_reported_on_its_line(project):
    path = edit(project, CITY_PAPER, "publisher: The City Paper", "publisher: The City: Paper")
    error = the_error(errors_of(project), path, "YAML syntax error")
    assert error.line == 2
    assert "quotes" in error.hint


def test_broken_source_file_does_not_also_make_its_citations_unknown(project):
    path = edit(project, CITY_PAPER, "publisher: The City Paper", "publisher: The City: Paper")
    errors = errors_of(project)
    assert [e.path for e in errors] == [path]


def test_unclosed_front_matter_is_reported_on_a_line_of_the_file(project):
    path = write(project.content_dir / CLAIM, "---\ntitle: Budget doubled\nclaim: It doubled.\n\nThe analysis.\n")
    error = only_error(project)
    assert error.path == path
    assert "not closed" in error.message
    assert "---" in error.hint
    # The opening `---` or the last line of the file; never a line past its end.
    assert error.line in (1, 5)


def test_non_text_key_is_an_error_not_a_traceback(project):
    path = edit(project, CLAIM, "title: Budget doubled", "[a, b]: Budget doubled")
    error = the_error(errors_of(project), path, "")
    assert error.line == 2


def test_deeply_nested_yaml_is_an_error_not_a_traceback(project):
    path = write(project.content_dir / CLAIM, "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\nBody.\n")
    error = the_error(errors_of(project), path, "")
    assert error.line == 2


# Fields --------------------------------------------------------------------

@pytest.mark.parametrize("relative, old, new, field, line", [
    pytest.param(CLAIM, "claimant: The Mayor\n", "", "claimant", 1, id="claim"),
    pytest.param(CLAIM, "claimant: The Mayor\n", "claimant:\n", "claimant", 4, id="claim-empty-value"),
    pytest.param(CLAIM, "    quote: Total spending 2025 15.0m\n    stance: contradicts\n",
                 "    quote: Total spending 2025 15.0m\n", "stance", 18, id="claim-citation-entry"),
    pytest.param(COUNCIL_DATA, "kind: data\n", "", "kind", 1, id="source"),
    pytest.param(SITE, "contact_email: errors@example.org\n", "", "contact_email", 1, id="site"),
    pytest.param(SITE, "    label: Half true\n", "", "label", 16, id="site-verdict-entry"),
])
def test_missing_required_field_says_what_to_add(project, relative, old, new, field, line):
    path = edit(project, relative, old, new)
    error = only_error(project)
    assert (error.path, error.line) == (path, line)
    assert error.message == f'missing required field "{field}"'
    assert error.hint.startswith(f"add a line: {field}: ")


@pytest.mark.parametrize("relative, old, new, line, message, hint", [
    pytest.param(CLAIM, "topics: [budget]", "topics: {a: b}", 10, '"topics" must be a list',
                 "topics: [", id="topics-mapping"),
    pytest.param(CLAIM, "related: [rain-record]", "related: [rain-record]\ndraft: maybe", 27,
                 '"draft" must be true or false', "draft: false", id="draft-maybe"),
    pytest.param(SITE, "rating: 2", "rating: high", 20, '"rating" must be a whole number',
                 "rating: 4", id="rating-high"),
])
def test_wrong_type_is_reported_with_an_example(project, relative, old, new, line, message, hint):
    path = edit(project, relative, old, new)
    error = only_error(project)
    assert (error.path, error.line) == (path, line)
    assert message in error.message
    assert hint in error.hint


@pytest.mark.parametrize("old, new, line, message, suggestion", [
    pytest.param('verdict: "false"', "verdict: flase", 8, 'unknown verdict "flase"', '"false"', id="verdict"),
    pytest.param("  - source: council-data", "  - source: council-dta", 18,
                 'unknown source "council-dta"', '"council-data"', id="citation-source"),
    pytest.param("appeared_in: city-paper", "appeared_in: city-papr", 7,
                 'unknown source "city-papr"', '"city-paper"', id="appeared-in"),
    pytest.param("topics: [budget]", "topics: [budgte]", 10, 'unknown topic "budgte"', '"budget"', id="topic"),
    pytest.param("related: [rain-record]", "related: [rain-recrod]", 26,
                 'unknown related claim "rain-recrod"', '"rain-record"', id="related"),
])
def test_unknown_reference_suggests_the_closest_name(project, old, new, line, message, suggestion):
    path = edit(project, CLAIM, old, new)
    error = only_error(project)
    assert (error.path, error.line) == (path, line)
    assert message in error.message
    assert error.hint.startswith(f"did you mean {suggestion}?")


def test_same_file_name_in_two_claim_folders_is_a_duplicate_address(project):
    claims = project.content_dir / "claims"
    first = claims / "2024" / "rain-record.md"
    second = claims / "2025" / "rain-record.md"
    first.parent.mkdir()
    second.parent.mkdir()
    shutil.move(claims / "rain-record.md", first)
    shutil.copy(first, second)
    error = only_error(project)
    assert error.path in (first, second)
    assert error.line in (None, 1)
    assert 'already uses the address "rain-record"' in error.message
    other = second if error.path == first else first
    assert str(other) in error.hint


@pytest.mark.parametrize("value, message", [
    pytest.param("2025-02-30", 'is not a real date: "2025-02-30"', id="impossible"),
    pytest.param("04/09/2025", 'must be a date written YYYY-MM-DD, not "04/09/2025"', id="badly-formatted"),
])
def test_bad_date_is_reported_on_its_line(project, value, message):
    path = edit(project, CLAIM, "published: 2025-03-05", f"published: {value}")
    error = only_error(project)
    assert (error.path, error.line) == (path, 21)
    assert error.message == f'"published" {message}'
    assert "published: 2025-09-10" in error.hint


def test_unknown_field_suggests_the_closest_field(project):
    path = edit(project, CLAIM, 'verdict: "false"', 'verdcit: "false"')
    error = the_error(errors_of(project), path, 'unknown field "verdcit"')
    assert error.line == 8
    assert error.hint == 'did you mean "verdict"?'


def test_key_written_twice_is_an_error_naming_both_lines(project):
    path = edit(project, CLAIM, "related: [rain-record]", 'related: [rain-record]\nverdict: "true"')
    error = only_error(project)
    assert (error.path, error.line) == (path, 27)
    assert error.message == '"verdict" is written twice'
    assert "line 8" in error.hint


@pytest.mark.parametrize("relative, old, new, line, field, word", [
    pytest.param(CLAIM, 'verdict: "false"', "verdict: false", 8, "verdict", "false", id="claim-false"),
    pytest.param(CLAIM, 'verdict: "false"', "verdict: true", 8, "verdict", "true", id="claim-true"),
    pytest.param(SITE, '  - slug: "false"', "  - slug: false", 21, "slug", "false", id="site-verdict-slug"),
])
def test_unquoted_yaml_boolean_as_verdict_slug_hints_at_quotes(project, relative, old, new, line, field, word):
    path = edit(project, relative, old, new)
    error = only_error(project)
    assert (error.path, error.line) == (path, line)
    assert f'"{field}" must be' in error.message
    assert "quotes" in error.hint
    assert f'{field}: "{word}"' in error.hint


# Whole files ---------------------------------------------------------------

def test_file_that_is_not_utf8_is_reported_on_the_line_of_the_bad_byte(project):
    path = project.content_dir / CLAIM
    path.write_bytes(b'---\ntitle: Budget doubled\nclaim: It doubled.\nclaimant: The Mayor\nverdict: "f\xffalse"\n---\n')
    error = only_error(project)
    assert (error.path, error.line) == (path, 5)
    assert "not UTF-8" in error.message
    assert "UTF-8" in error.hint


@pytest.mark.parametrize("text", ["", "\n  \n"], ids=["empty", "blank-lines"])
def test_empty_file_is_an_error(project, text):
    path = write(project.content_dir / CLAIM, text)
    error = only_error(project)
    assert error.path == path
    assert error.line in (None, 1)
    assert "empty" in error.message
    assert error.hint


def test_file_without_front_matter_is_an_error_on_line_1(project):
    path = write(project.content_dir / CLAIM, "title: Budget doubled\n\nThe analysis.\n")
    error = only_error(project)
    assert (error.path, error.line) == (path, 1)
    assert "does not start with front matter" in error.message
    assert "---" in error.hint


def test_unclosed_front_matter_is_an_error(project):
    path = write(project.content_dir / CLAIM, "---\ntitle: Budget doubled\nclaim: It doubled.\n")
    error = only_error(project)
    assert error.path == path
    assert "not closed" in error.message
    assert "add a line `---`" in error.hint


# Quotes checked against the archived copy ---------------------------------------

def test_quote_missing_from_archived_copy_names_the_claim_and_the_quote_line(project):
    path = edit(project, CLAIM, 'quote: "the budget has doubled since 2020"',
                'quote: "the budget has tripled since 2020"')
    error = only_error(project)
    assert (error.path, error.line) == (path, 13)
    assert 'does not appear in the archived copy of "city-paper"' in error.message
    assert "city-paper.txt" in error.hint


@pytest.mark.parametrize("old, new, differs", [
    pytest.param('"the budget has doubled since 2020"', '"the budget has tripled since 2020"',
                 'the copy has "the budget has" and then "doubled", where the quote has "tripled"', id="a-word"),
    pytest.param("Council figures show spending rose from 10 million to 15 million.",
                 "Council figures show spending rose from 10 million to 16 million.",
                 'the copy has "...show spending rose from 10 million to" and then "15", where the quote has "16"',
                 id="a-number-after-forty-characters"),
    pytest.param('"the budget has doubled since 2020"', '"The budget has doubled since 2020"',
                 # The copy has “the: quotation marks count, their style does not.
                 'the copy has ""the" before "budget has doubled since 2020", where the quote has "The"',
                 id="a-capital-at-the-start"),
    pytest.param("Council figures show spending rose from 10 million to 15 million.",
                 "spending rose from 10 million to 15 million, it said.",
                 'the copy has "spending rose from 10 million to 15" and then "million.", where the quote has "million,"',
                 id="punctuation"),
    pytest.param("Council figures show spending rose from 10 million to 15 million.",
                 "spending rose from 10 million to 15 million. And more.",
                 'the copy ends with "...rose from 10 million to 15 million.", where the quote goes on with "And"',
                 id="the-copy-ends"),
    pytest.param('"the budget has doubled since 2020"', '"In City budget doubles, mayor says"',
                 'the copy starts with "City budget doubles, mayor says", where the quote has "In" before it',
                 id="the-copy-starts"),
    pytest.param('"the budget has doubled since 2020"', '"nothing of the kind"', "", id="no-two-words-shared"),
])
def test_a_quote_missing_from_its_copy_says_where_it_parts_from_the_copy(project, old, new, differs):
    edit(project, CLAIM, f"quote: {old}", f"quote: {new}")
    error = only_error(project)
    expected = 'the quote does not appear in the archived copy of "city-paper"'
    assert error.message == (f"{expected}: {differs}" if differs else expected)


def test_a_quote_missing_from_a_copy_of_one_word_repeated_is_reported_without_a_search(project):
    """Where the quote's words are everywhere in the copy (a page of one word, a table of the same
    few numbers), looking for where the two part would take minutes: the message goes without it."""
    copy = project.content_dir / "sources/city-paper.txt"
    copy.write_text(copy.read_text() + " the" * 600_000)
    edit(project, CLAIM, 'quote: "the budget has doubled since 2020"', 'quote: "' + "the " * 5 + 'budget tripled"')
    assert only_error(project).message == 'the quote does not appear in the archived copy of "city-paper"'


@pytest.mark.parametrize("archived, quote", [
    pytest.param(None, "quote: 'that \"the budget has   doubled\n      since 2020\".'",
                 id="straight-quotes-and-extra-spaces-in-claim"),
    pytest.param('The mayor said that "the budget has\n   doubled since 2020".\n',
                 'quote: "that “the budget has doubled since 2020”"',
                 id="curly-quotes-in-claim-straight-in-copy"),
    pytest.param("The mayor’s  office\n said so.\n", "quote: \"The mayor's office said so.\"",
                 id="straight-apostrophe-vs-curly"),
])
def test_quote_differing_only_in_spacing_and_quote_marks_is_accepted(project, archived, quote):
    if archived is not None:
        # Keep the line that the claim's other city-paper quote comes from.
        write(project.content_dir / "sources/city-paper.txt",
              archived + "Council figures show spending rose from 10 million to 15 million.\n")
    edit(project, CLAIM, 'quote: "the budget has doubled since 2020"', quote)
    site, problems = read_site(project)
    assert problems.errors == []
    claim = next(c for c in site.claims if c.slug == "budget-doubled")
    assert len(claim.citations) == 3  # the edited citation was kept


# A claim checked twice ----------------------------------------------------------

def a_second_file(project, name: str, claim: str = "The budget has doubled since 2020.",
                  changes: tuple[tuple[str, str], ...] = ()) -> Path:
    """claims/``name``.md, a copy of budget-doubled.md with ``claim``, and each (old, new) of ``changes``."""
    text = (project.content_dir / CLAIM).read_text("utf-8").replace("aliases: [spending-doubled]\n", "")
    text = text.replace("claim: The budget has doubled since 2020.", f"claim: {claim}")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return write(project.content_dir / f"claims/{name}.md", text)


def repeated(problems) -> list[ContentError]:
    return [w for w in problems.warnings if "already checked" in w.message]


def test_a_claim_checked_again_from_the_same_source_is_a_warning_on_the_later_file(project):
    later = a_second_file(project, "mayor-on-spending", "the budget  has DOUBLED since 2020!")
    _, problems = read_site(project)
    [warning] = repeated(problems)
    assert (warning.path, warning.line) == (later, 3)
    assert warning.message == "this claim, from the same source, is already checked in budget-doubled.md"
    assert "update budget-doubled.md instead" in warning.hint


def test_a_claim_checked_again_is_warned_on_the_later_file_by_path_whichever_is_new(project):
    a_second_file(project, "a-budget-check")
    _, problems = read_site(project)
    [warning] = repeated(problems)
    assert warning.path == project.content_dir / CLAIM
    assert "already checked in a-budget-check.md" in warning.message


NO_SOURCE_SAID = ("appeared_in: city-paper\n", "")
SOMEONE_ELSE = ("claimant: The Mayor", "claimant: The Treasurer")


@pytest.mark.parametrize("changes, warned", [
    pytest.param([("appeared_in: city-paper", "appeared_in: council-data")], False, id="made-elsewhere"),
    pytest.param([SOMEONE_ELSE], True, id="someone-else-in-the-same-source"),
    pytest.param([NO_SOURCE_SAID], True, id="by-the-same-claimant-no-source-said"),
    pytest.param([NO_SOURCE_SAID, SOMEONE_ELSE], False, id="by-someone-else-no-source-said"),
])
def test_the_same_words_are_the_same_claim_when_made_in_the_same_place(project, changes, warned):
    """Where a claim appeared tells two appearances apart; where one does not say, who made it."""
    a_second_file(project, "mayor-on-spending", changes=tuple(changes))
    _, problems = read_site(project)
    assert len(repeated(problems)) == warned


def test_a_claim_matched_by_its_claimant_says_so(project):
    a_second_file(project, "mayor-on-spending", changes=(NO_SOURCE_SAID,))
    _, problems = read_site(project)
    [warning] = repeated(problems)
    assert warning.message == "this claim, by the same claimant, is already checked in budget-doubled.md"


@pytest.mark.parametrize("first, second", [
    pytest.param("Inflation is 10.5%.", "Inflation is 105%.", id="a-decimal-point"),
    pytest.param("Growth was -2% last year.", "Growth was 2% last year.", id="a-minus-sign"),
])
def test_claims_whose_figures_differ_are_not_the_same_claim(project, first, second):
    a_second_file(project, "first-figure", first)
    a_second_file(project, "second-figure", second)
    _, problems = read_site(project)
    assert repeated(problems) == []


def test_a_claim_checked_again_in_another_folder_is_named_with_its_folder(project):
    a_second_file(project, "2026/budget-check")
    _, problems = read_site(project)
    [warning] = repeated(problems)
    assert "already checked in 2026/budget-check.md" in warning.message


def test_a_claim_is_not_checked_twice_by_its_translation_nor_a_draft_by_itself(project):
    with_ukrainian(project)
    edit(project, "claims/budget-doubled.uk.md", "claim: Бюджет подвоївся з 2020 року.",
         "claim: The budget has doubled since 2020.")  # not yet translated
    _, problems = read_site(project)
    assert repeated(problems) == []  # a translation is not a claim of its own
    draft = a_second_file(project, "mayor-on-spending", changes=(("\n---\n", "\ndraft: true\n---\n"),))
    _, problems = read_site(project)
    assert repeated(problems) == []  # the draft is not in this build
    _, problems = read_site(project, drafts=True)
    assert [(w.path, w.message) for w in repeated(problems)] == [
        (draft, "this claim, from the same source, is already checked in budget-doubled.md")]


# YAML anchors and aliases -----------------------------------------------------

def test_yaml_anchor_and_alias_are_refused(project):
    path = edit(project, CLAIM, "title: Budget doubled\nclaim: The budget has doubled since 2020.",
                "title: &t Budget doubled\nclaim: *t")
    error = only_error(project)
    assert error.path == path
    assert error.line in (2, 3)  # the anchor's line or the alias's line
    assert "anchors and aliases" in error.message
    assert "in full" in error.hint


def test_billion_laughs_fails_fast_with_a_clear_error(project):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    path = write(project.content_dir / CLAIM, "---\n" + "\n".join(levels) + "\n---\nLaughs.\n")
    error = only_error(project)  # completing at all is the point: 9**9 strings are never built
    assert error.path == path
    assert 2 <= error.line <= 11
    assert "anchors and aliases" in error.message


# Verdict colours in site.yml ------------------------------------------------------

def test_verdict_colour_with_too_little_contrast_is_an_error(project):
    path = edit(project, SITE, '"#1a7f37"', '"#ffd700"')
    error = only_error(project)
    assert (error.path, error.line) == (path, 14)
    assert "#ffd700" in error.message
    assert "4.5:1" in error.message
    assert "darker" in error.hint


@pytest.mark.parametrize("colour", ['"#1a7"', "green", '"1a7f37"'])
def test_verdict_colour_not_written_rrggbb_is_an_error(project, colour):
    path = edit(project, SITE, '"#1a7f37"', colour)
    error = only_error(project)
    assert (error.path, error.line) == (path, 14)
    assert "not written as #rrggbb" in error.message
    assert 'colour: "#' in error.hint


# All mistakes at once -------------------------------------------------------------

def test_every_mistake_in_every_file_is_reported_in_one_run_sorted_by_path_and_line(project):
    claim = edit(project, CLAIM, "published: 2025-03-05", "published: 2025-02-30")
    edit(project, CLAIM, 'verdict: "false"', "verdict: flase")
    rain = edit(project, RAIN, "topics: [weather]", "topics: [wether]")
    city = edit(project, CITY_PAPER, "published: 2025-03-01", "published: 2025-13-01")
    council = edit(project, COUNCIL_DATA, "kind: data", "kind: dataset")
    errors = errors_of(project)
    assert [(e.path, e.line) for e in errors] == [
        (claim, 8), (claim, 21), (rain, 8), (city, 4), (council, 3),
    ]
    assert all(e.hint for e in errors)


# Warnings and drafts ----------------------------------------------------------------

def test_claim_over_75_characters_is_a_warning_on_the_claim_line(project):
    path = edit(project, CLAIM, "claim: The budget has doubled since 2020.", "claim: " + "x" * 76)
    site, problems = read_site(project)
    assert problems.errors == []
    # Only the claim line matters here; other editorial warnings may exist.
    [warning] = [w for w in problems.warnings if (w.path, w.line) == (path, 3)]
    assert warning.severity == "warning"
    assert "76 characters" in warning.message
    assert warning.hint


def test_claim_of_exactly_75_characters_gives_no_warning(project):
    path = edit(project, CLAIM, "claim: The budget has doubled since 2020.", "claim: " + "x" * 75)
    _, problems = read_site(project)
    assert problems.errors == []
    assert [w for w in problems.warnings if (w.path, w.line) == (path, 3)] == []


def test_draft_claim_is_left_out_unless_drafts_are_asked_for(project):
    site, _ = read_site(project)
    assert sorted(c.slug for c in site.claims) == ["budget-doubled", "rain-record"]
    site, _ = read_site(project, drafts=True)
    assert sorted(c.slug for c in site.claims) == ["budget-doubled", "draft-claim", "rain-record"]


# The command line -------------------------------------------------------------------

def test_cli_build_with_mistakes_exits_1_with_path_line_and_hint(project, tmp_path, monkeypatch):
    path = edit(project, CLAIM, 'verdict: "false"', "verdict: flase")
    rain = edit(project, RAIN, "topics: [weather]", "topics: [wether]")
    out = tmp_path / "out"
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["build", "--content", str(project.content_dir), "--out", str(out)])
    assert result.exit_code == 1
    assert f'{path}:8: error: unknown verdict "flase"' in result.output
    assert f'{rain}:8: error: unknown topic "wether"' in result.output
    assert '    hint: did you mean "false"?' in result.output
    assert "2 errors" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an uncaught error
    assert not out.exists()


def test_build_py_with_a_broken_claim_exits_1_naming_file_and_line(project, tmp_path):
    path = edit(project, CLAIM, "claim: The budget has doubled since 2020.", "claim: Mayor: the budget doubled")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "build.py", "--content", str(project.content_dir), "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{path}:3: error: YAML syntax error" in result.stderr
    assert "hint:" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("claim, inner", [
    ("'“The budget has doubled.”'", "The budget has doubled."),
    ("'\"The budget has doubled.\"'", "The budget has doubled."),
    ("«Le budget a doublé.»", "Le budget a doublé."),
    ("'“Doubled” and “tripled”'", None),  # marks around parts of the claim
    ("The mayor said it “doubled”", None),
])
def test_a_claim_wrapped_in_quotation_marks_is_a_warning_with_the_words_to_keep(project, claim, inner):
    """Pages show every claim as a quotation: marks around the whole of it would show twice."""
    path = edit(project, CLAIM, "claim: The budget has doubled since 2020.", f"claim: {claim}")
    _, problems = read_site(project)
    quoted = [w for w in problems.warnings if "quotation marks" in w.message]
    if inner is None:
        assert quoted == []
    else:
        [warning] = quoted
        assert (warning.path, warning.line) == (path, 3)
        assert warning.message == "the claim is in quotation marks, which the pages add"
        assert warning.hint == f"leave them out: claim: {inner}"


WORD = st.text(st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs")), min_size=1, max_size=8)
SPACE = st.text(st.sampled_from(" \t\n\u00a0\u2003\u3000"), min_size=1, max_size=3)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(WORD, min_size=1, max_size=6), spaces=st.lists(SPACE, min_size=12, max_size=12),
       left=st.sampled_from(['"', "“", "„", "«"]), right=st.sampled_from(['"', "”", "»"]))
def test_a_quote_is_found_in_its_copy_whatever_its_spacing_and_quotation_marks(words, spaces, left, right):
    """What the error's hint promises: only spacing and straight or curly quotation marks may differ."""
    copy = "Before. " + spaces[0].join(['"' + words[0], *words[1:]]) + '" after.'
    quote = spaces[1] + spaces[2].join([left + words[0], *words[1:]]) + right + spaces[3]
    source = Source("report", "A report", "news report", archived_text=copy, digest=digest_of(copy))
    assert quote_in_copy(quote, source)
    assert not quote_in_copy(quote + " unsaid", source)


def test_a_quote_is_checked_again_when_its_copy_changes():
    """What was found is remembered by the copy's digest: a new copy is searched afresh."""
    before = Source("report", "A report", "news report", archived_text="They said no.", digest=digest_of("no"))
    after = Source("report", "A report", "news report", archived_text="They said yes.", digest=digest_of("yes"))
    assert quote_in_copy("said no", before) and not quote_in_copy("said no", after)
    assert quote_in_copy("said yes", after) and not quote_in_copy("said yes", before)


def test_text_read_back_from_the_cache_may_skip_the_control_character_search_when_printable():
    """plain_values.py checks text read back from the cache for what NOT_XML finds only when it is
    not printable: that is sound only if every character NOT_XML finds is unprintable."""
    from factsite.read.fields import NOT_XML

    assert [hex(code) for code in range(0x110000) if NOT_XML.match(chr(code)) and chr(code).isprintable()] == []
