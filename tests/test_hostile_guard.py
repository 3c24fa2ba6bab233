"""Walking around the verdict guard: each way a contributor could change what readers saw
without a correction, tried against both comparisons.

The guard compares the content with what readers saw (factsite/checks/guard.py): at the last
build (its verdicts.json, `check --published site`) and at a git revision (`check --since
REV`). Each test here is run against both (the `published` fixture): it publishes the
`basic` fixture (commits it, or builds it), makes a change as a contributor would, and
asks what the check says.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from factsite.engine import Project

from factsite.commands.build import build, check
from factsite.errors import BuildFailed

from .conftest import write
from .test_corrections import BUDGET, RAIN, build_step, commit, replace, repo  # noqa: F401 (a fixture)

SITE = "content/site.yml"
WITHDRAWN = "content/withdrawn.yml"
RAIN_VERDICT, BUDGET_VERDICT = 6, 8  # the verdict's line in each file
BUDGET_CORRECTIONS = 23
OLD_CORRECTION = "An earlier version gave the 2020 figure as 11 million."


class Published:
    """What readers saw, kept one way: in git (`--since HEAD`) or in the last build (`site/`)."""

    def __init__(self, folder: Path, kind: str):
        self.folder, self.kind = folder, kind
        self.publish()

    def publish(self) -> None:
        """The content as it is now becomes what readers see."""
        if self.kind == "git":
            commit(self.folder, "Published")
        else:
            build(Project.at(self.folder), self.folder / "site", cards=False, search=False)

    def errors(self) -> list[str]:
        return errors_in(self.folder, **({"since": "HEAD"} if self.kind == "git" else {"published": "site"}))


def errors_in(folder: Path, published: str | None = None, **options) -> list[str]:
    """Every error `check` reports for the site in ``folder``, as `path:line: message | hint`."""
    try:
        problems = check(Project.at(folder), published=folder / published if published else None, **options)
    except BuildFailed as failure:
        problems = failure.problems
    return [f"{Path(p.path).resolve().relative_to(folder.resolve()).as_posix()}:{p.line}: {p.message} | {p.hint}"
            for p in problems.errors]


@pytest.fixture(params=["git", "last build"])
def published(request, repo) -> Published:  # noqa: F811 (the fixture imported above)
    return Published(repo, request.param)


def located(errors: list[str]) -> list[str]:
    return [error.split(": ", 1)[0] for error in errors]


# Swapping or renaming the verdicts of site.yml -----------------------------------------

def swap_true_and_false(folder: Path) -> None:
    text = (folder / SITE).read_text("utf-8")
    text = text.replace('slug: "true"', "slug: TRUE").replace('slug: "false"', 'slug: "true"')
    (folder / SITE).write_text(text.replace("slug: TRUE", 'slug: "false"'), "utf-8")


def test_swapping_two_slugs_in_site_yml_changes_the_verdict_readers_see(published):
    swap_true_and_false(published.folder)  # every claim rated "false" now shows True, and so does the record
    [error, record] = published.errors()
    assert error.startswith(f'{BUDGET}:{BUDGET_VERDICT}: the verdict changed from "False"')
    assert 'to "True" without a correction' in error
    assert error.endswith("add to corrections: a note dated 2025-03-09 or later saying the verdict changed from False "
                          "to True, and why")
    # The fixture's withdrawn fact-check (content/withdrawn.yml) had the verdict False too.
    assert record.startswith(f'{WITHDRAWN}:5: readers saw the verdict "False" at /claims/eclipse-forecast/')
    assert record.endswith('write verdict: "true"')


def test_swapping_only_the_ratings_changes_the_verdict(published):
    # The labels stay; the ClaimReview's rating (what search engines show) turns over.
    replace(published.folder / SITE, "    rating: 3", "    rating: 9")
    replace(published.folder / SITE, "    rating: 1", "    rating: 3")
    replace(published.folder / SITE, "    rating: 9", "    rating: 1")
    [error, record] = published.errors()
    assert record.startswith(f"{WITHDRAWN}:5: ")
    assert error.startswith(f'{BUDGET}:{BUDGET_VERDICT}: the verdict changed from "False (rating 1)"')
    assert 'to "False (rating 3)" without a correction' in error


def test_relabelling_a_verdict_changes_every_claim_that_has_it(published):
    replace(published.folder / SITE, "label: Unproven", "label: Proven")
    assert located(published.errors()) == [f"{RAIN}:{RAIN_VERDICT}"]


def test_a_verdict_given_a_new_slug_with_the_same_meaning_needs_no_correction(published):
    replace(published.folder / SITE, 'slug: "false"', "slug: wrong")
    replace(published.folder / BUDGET, 'verdict: "false"', "verdict: wrong")
    replace(published.folder / WITHDRAWN, 'verdict: "false"', "verdict: wrong")
    replace(published.folder / SITE, "label: Unproven", "label: UNPROVEN")  # case is not meaning
    assert published.errors() == []


def test_an_old_slug_given_to_another_verdict_is_followed_by_meaning(published):
    # "false" renamed "wrong", and "false" now names a new, milder verdict: the claim that kept
    # `verdict: "false"` changed, the one moved to `wrong` did not.
    text = (published.folder / SITE).read_text("utf-8").replace('slug: "false"', "slug: wrong")
    text = text.replace("  - slug: unproven", '  - slug: "false"\n    label: Mostly false\n    definition: Mostly.\n'
                        '    colour: "#b42318"\n    rating: 1\n  - slug: unproven')
    (published.folder / SITE).write_text(text, "utf-8")
    [error, record] = published.errors()
    assert error.startswith(f'{BUDGET}:{BUDGET_VERDICT}: the verdict changed from "False"')
    assert 'to "Mostly false"' in error
    assert record.startswith(f"{WITHDRAWN}:5: ") and record.endswith('write verdict: "wrong"')
    replace(published.folder / BUDGET, 'verdict: "false"', "verdict: wrong")
    replace(published.folder / WITHDRAWN, 'verdict: "false"', "verdict: wrong")
    assert published.errors() == []


# Renaming a claim ---------------------------------------------------------------------

def rename_budget(folder: Path, new: str = "budget-claim", aliases: str | None = "[spending-doubled, budget-doubled]"
                  ) -> Path:
    target = folder / "content/claims" / f"{new}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    (folder / BUDGET).rename(target)
    if aliases:
        replace(target, "aliases: [spending-doubled]", f"aliases: {aliases}")
    return target


def test_renaming_a_claim_and_changing_its_verdict_is_caught_across_the_rename(published):
    target = rename_budget(published.folder)
    replace(target, 'verdict: "false"', "verdict: half-true")
    [error] = published.errors()
    assert error.startswith(f"content/claims/budget-claim.md:{BUDGET_VERDICT}: the verdict changed from \"False\" (")
    assert "published at /claims/budget-doubled/) to \"Half true\" without a correction" in error


def test_a_renamed_claim_keeps_its_corrections_and_its_verdict_and_passes(published):
    rename_budget(published.folder)
    assert published.errors() == []


def test_a_claim_moved_into_a_folder_keeps_its_address(published):
    rename_budget(published.folder, "2025/budget-doubled", aliases=None)
    assert published.errors() == []


def test_renaming_without_an_alias_leaves_the_old_address_dead(published):
    rename_budget(published.folder, aliases=None)
    errors = published.errors()
    assert any(error.startswith(f'{WITHDRAWN}:None: the fact-check "Budget doubled", published at '
                                "/claims/budget-doubled/") and "was deleted or renamed" in error
               and "if it moved, add to its new file: aliases: [budget-doubled]" in error for error in errors), errors


def test_merging_two_claims_into_one_needs_a_correction_for_the_one_whose_verdict_changed(published):
    # rain-record (Unproven) is deleted and its address given to budget-doubled (False).
    (published.folder / RAIN).unlink()
    replace(published.folder / BUDGET, "related: [rain-record]\naliases: [spending-doubled]",
            "aliases: [spending-doubled, rain-record]")
    errors = published.errors()
    assert located(errors) == [f"{BUDGET}:{BUDGET_VERDICT}"]
    assert 'from "Unproven" (' in errors[0] and "published at /claims/rain-record/" in errors[0]


def test_an_alias_dropped_later_leaves_its_address_dead(published):
    rename_budget(published.folder)
    published.publish()
    replace(published.folder / "content/claims/budget-claim.md", "aliases: [spending-doubled, budget-doubled]",
            "aliases: [spending-doubled]")
    [error] = published.errors()
    assert error.startswith("content/claims/budget-claim.md:27: the old address /claims/budget-doubled/")
    assert "no longer leads to this fact-check" in error
    assert error.endswith("keep it in aliases: [spending-doubled, budget-doubled]")



def new_claim(folder: Path, slug: str, verdict: str, more: str = "") -> str:
    """A new claim file, content/claims/<slug>.md (rain-record's text, retitled), with ``more`` front matter."""
    text = (folder / RAIN).read_text("utf-8").replace("verdict: unproven", f"verdict: {verdict}")
    text = text.replace("title: Rain record", f"title: New {slug}")
    write(folder / f"content/claims/{slug}.md", text.replace("published: 2025-04-01", "published: 2025-06-01" + more))
    return f"content/claims/{slug}.md"


@pytest.mark.parametrize("taken_by", ["a new file of that name", "another claim's aliases"])
def test_an_old_address_given_to_another_fact_check_is_an_error(published, taken_by):
    """/claims/spending-doubled/ led to budget-doubled, which is still there: readers who kept it
    must not land on another fact-check, whatever its verdict."""
    replace(published.folder / BUDGET, "aliases: [spending-doubled]", "aliases: []")
    if taken_by == "a new file of that name":
        path, line = new_claim(published.folder, "spending-doubled", '"false"'), "None"
    else:
        path, line = RAIN, "14"
        replace(published.folder / RAIN, "published: 2025-04-01", "published: 2025-04-01\naliases: [spending-doubled]")
    [error] = published.errors()
    assert error.startswith(f"{path}:{line}: the old address /claims/spending-doubled/")
    assert 'led to the fact-check "Budget doubled", which is at /claims/budget-doubled/' in error
    assert error.endswith("keep spending-doubled in the aliases of budget-doubled.md, and give "
                          "this fact-check an address of its own")


def test_an_old_address_of_a_withdrawn_fact_check_given_to_a_new_claim_is_an_error(published):
    """The alias is dropped from the record first, so that nothing says it is taken."""
    replace(published.folder / WITHDRAWN, "    aliases: [solar-eclipse]\n", "")
    path = new_claim(published.folder, "solar-eclipse", '"false"')  # the withdrawn one's verdict, too
    [error] = published.errors()
    assert error.startswith(f"{path}:None: the old address /claims/solar-eclipse/")
    assert 'led to the fact-check "Eclipse forecast", which is at /claims/eclipse-forecast/' in error
    assert "keep solar-eclipse in the aliases of its record in content/withdrawn.yml" in error


def test_a_renamed_claim_may_give_its_old_addresses_to_its_new_file(published):
    """What the check above must leave alone: the fact-check itself at its old address."""
    rename_budget(published.folder, "spending-doubled", aliases="[budget-doubled]")
    assert published.errors() == []

# Editing earlier corrections ------------------------------------------------------------

@pytest.mark.parametrize("old, new", [
    (OLD_CORRECTION, "An earlier version gave the 2025 figure as 16 million."),  # reworded
    ("- date: 2025-03-09", "- date: 2025-05-09"),  # redated, to count as new
    ("  - date: 2025-03-09\n    note: " + OLD_CORRECTION + "\n", ""),  # removed
    # replaced outright, its date and note both new: one new entry cannot note two changes
    ("- date: 2025-03-09\n    note: " + OLD_CORRECTION, "- date: 2025-05-09\n    note: Rated half true now."),
])
def test_an_edited_old_correction_never_counts_as_the_new_one(published, old, new):
    replace(published.folder / BUDGET, 'verdict: "false"', "verdict: half-true")
    if not new:
        replace(published.folder / BUDGET, "corrections:\n" + old, "corrections:\n")
    else:
        replace(published.folder / BUDGET, old, new)
    assert located(published.errors()) == [f"{BUDGET}:{BUDGET_VERDICT}", f"{BUDGET}:{BUDGET_CORRECTIONS}"]


@pytest.mark.parametrize("old, new", [
    (OLD_CORRECTION, "An earlier version gave the 2020 figure wrongly."),
    ("- date: 2025-03-09", "- date: 2025-03-08"),
])
def test_an_old_correction_changed_silently_is_an_error_on_the_corrections_line(published, old, new):
    replace(published.folder / BUDGET, old, new)
    [error] = published.errors()
    assert error.startswith(f"{BUDGET}:{BUDGET_CORRECTIONS}: an earlier correction (")
    assert "was changed or removed without a new correction saying so" in error
    assert f'or put it back as it was: "2025-03-09: {OLD_CORRECTION}"' in error


def test_a_replaced_correction_and_a_changed_verdict_each_with_a_new_correction_pass(published):
    replace(published.folder / BUDGET, 'verdict: "false"', "verdict: half-true")
    replace(published.folder / BUDGET, "- date: 2025-03-09\n    note: " + OLD_CORRECTION,
            "- date: 2025-05-09\n    note: Rated half true now, as the 2020 figure was revised.")
    replace(published.folder / BUDGET, "related: [rain-record]", "  - date: 2025-05-09\n    note: We replaced "
            "the correction of 9 March, which gave the 2020 figure as 11 million.\nrelated: [rain-record]")
    assert published.errors() == []


def test_two_earlier_corrections_changed_need_two_new_ones_and_the_message_says_no_more(published):
    replace(published.folder / BUDGET, "related: [rain-record]", "  - date: 2025-03-10\n    note: The 2010 "
            "figure was wrong too.\nrelated: [rain-record]")
    published.publish()
    replace(published.folder / BUDGET, OLD_CORRECTION, "An earlier version gave the 2020 figure wrongly.")
    replace(published.folder / BUDGET, "The 2010 figure was wrong too.", "The 2010 figure was wrong.")
    replace(published.folder / BUDGET, "related: [rain-record]", "  - date: 2025-04-02\n    note: We reworded the "
            "correction of 9 March.\nrelated: [rain-record]")
    [error] = published.errors()
    assert error.startswith(f"{BUDGET}:{BUDGET_CORRECTIONS}: an earlier correction (2025-03-09, 2025-03-10)")
    assert "2 of them, and there is 1 new correction: each change needs a new correction of its own" in error
    assert "verdict" not in error.split(" | ")[0]


def test_an_edited_correction_with_a_new_one_saying_so_passes(published):
    replace(published.folder / BUDGET, OLD_CORRECTION, "An earlier version gave the 2020 figure wrongly.")
    replace(published.folder / BUDGET, "related: [rain-record]", "  - date: 2025-04-02\n    note: We reworded the "
            "correction of 9 March.\nrelated: [rain-record]")
    assert published.errors() == []


def test_a_spacing_change_in_an_old_correction_is_no_change(published):
    replace(published.folder / BUDGET, "figure as 11 million.", "figure  as\n      11 million.")
    assert published.errors() == []


def test_a_backdated_correction_does_not_cover_a_changed_verdict(published):
    # Dated before the last change readers saw, it would not bring the fact-check back to the top of the feed.
    replace(published.folder / BUDGET, 'verdict: "false"', "verdict: half-true")
    replace(published.folder / BUDGET, "related: [rain-record]", "  - date: 2025-03-01\n    note: Rated half true "
            "now.\nrelated: [rain-record]")
    [error] = published.errors()
    assert error.startswith(f"{BUDGET}:{BUDGET_VERDICT}: the verdict changed from \"False\"")
    assert "the new correction is dated before 2025-03-09, the last change readers saw" in error
    assert error.endswith("date the new correction 2025-03-09 or later")


# Unpublishing, deleting and republishing -----------------------------------------------

RECORD = ("  - claim: rain-record\n    title: Rain record\n    date: 2025-05-01\n    verdict: unproven\n"
          "    note: The claim was about another city.\n")


def record(folder: Path, entry: str = RECORD) -> None:
    """Add an entry to content/withdrawn.yml (the fixture's has one already, on lines 2 to 7)."""
    with (folder / WITHDRAWN).open("a", encoding="utf-8") as file:
        file.write(entry)


def test_a_published_claim_made_a_draft_needs_a_record(published):
    replace(published.folder / RAIN, "published: 2025-04-01", "published: 2025-04-01\ndraft: true")
    [error] = published.errors()
    assert error.startswith(f"{RAIN}:14: this fact-check was published at /claims/rain-record/")
    assert "as a draft it would disappear from the site" in error
    assert ('content/withdrawn.yml: - {claim: rain-record, title: "Rain record", date: YYYY-MM-DD, '
            'verdict: "unproven", note: "TODO: why it was withdrawn"}') in error
    record(published.folder)
    assert published.errors() == []


def test_the_hints_record_copied_as_it_is_asks_for_the_note_readers_will_see(published):
    # The placeholder of the hint's note would be published on the notice and the corrections page.
    replace(published.folder / RAIN, "published: 2025-04-01", "published: 2025-04-01\ndraft: true")
    [error] = published.errors()
    entry = error.split(": - ", 1)[1].replace("YYYY-MM-DD", "2025-05-01")
    record(published.folder, f"  - {entry}\n")
    [error] = published.errors()
    assert error.startswith(f'{WITHDRAWN}:8: "note" still has the placeholder TODO')
    assert error.endswith("replace it with the note readers should see: why the fact-check was withdrawn")
    replace(published.folder / WITHDRAWN, "TODO: why it was withdrawn", "The claim was about another city.")
    assert published.errors() == []


def test_with_no_withdrawn_yml_the_hint_gives_the_whole_file(published):
    (published.folder / WITHDRAWN).unlink()  # its record was published: put back below, from the hint
    errors = published.errors()  # one for the address, one for its old address (an alias)
    assert located(errors) == [f"{WITHDRAWN}:None"] * 2
    entry = errors[0].split("put it back in content/withdrawn.yml: ", 1)[1]
    assert entry.startswith("withdrawn: [{claim: eclipse-forecast, ")
    (published.folder / WITHDRAWN).write_text(entry.replace("TODO: why it was withdrawn", "It was withdrawn.")
                                              + "\n", "utf-8")
    assert published.errors() == []


def test_a_deleted_claim_needs_a_record_too(published):
    (published.folder / RAIN).unlink()
    replace(published.folder / BUDGET, "related: [rain-record]\n", "")
    replace(published.folder / BUDGET, "See [the rain check](/claims/rain-record/)", "See")
    assert located(published.errors()) == [f"{WITHDRAWN}:None"]
    record(published.folder)
    assert published.errors() == []


def test_a_draft_republished_with_another_verdict_needs_a_correction(published):
    """The walk-around: unpublish in one change, republish with another verdict in the next."""
    replace(published.folder / RAIN, "published: 2025-04-01", "published: 2025-04-01\ndraft: true")
    record(published.folder)
    published.publish()
    replace(published.folder / RAIN, "draft: true", "draft: false")
    replace(published.folder / RAIN, "verdict: unproven", 'verdict: "false"')
    [error] = published.errors()
    assert error.startswith(f'{RAIN}:{RAIN_VERDICT}: the verdict changed from "Unproven" (')
    assert 'withdrawn on 2025-05-01) to "False" without a correction' in error
    # Removing the record as well changes nothing: the last state had it.
    replace(published.folder / WITHDRAWN, RECORD, "")
    assert located(published.errors()) == [f"{RAIN}:{RAIN_VERDICT}"]
    # A correction dated before the withdrawal does not count; one on or after it does.
    replace(published.folder / RAIN, "published: 2025-04-01",
            "published: 2025-04-01\ncorrections:\n  - date: 2025-04-20\n    note: Rated false.")
    assert "dated before 2025-05-01" in published.errors()[0]
    replace(published.folder / RAIN, "2025-04-20", "2025-05-02")
    assert published.errors() == []


def test_a_record_must_give_the_verdict_readers_saw(published):
    replace(published.folder / RAIN, "published: 2025-04-01", "published: 2025-04-01\ndraft: true")
    record(published.folder, RECORD.replace("verdict: unproven", 'verdict: "true"'))
    [error] = published.errors()
    assert error.startswith(f'{WITHDRAWN}:11: readers saw the verdict "Unproven" at /claims/rain-record/')
    assert error.endswith('| write verdict: "unproven"')


def test_a_record_removed_or_redated_later_is_an_error(published):
    replace(published.folder / RAIN, "published: 2025-04-01", "published: 2025-04-01\ndraft: true")
    record(published.folder)
    published.publish()
    replace(published.folder / WITHDRAWN, "date: 2025-05-01", "date: 2025-06-01")
    [error] = published.errors()
    assert error.startswith(f"{WITHDRAWN}:10: the fact-check was withdrawn on 2025-05-01")
    replace(published.folder / WITHDRAWN, RECORD.replace("2025-05-01", "2025-06-01"), "")
    [error] = published.errors()
    assert error.startswith(f'{WITHDRAWN}:None: the record of the withdrawn fact-check "Rain record"')
    assert "put it back in content/withdrawn.yml: - {claim: rain-record" in error


# Pull requests: built for a stand-in address -------------------------------------------

def test_a_build_for_another_address_still_compares_with_the_last_build(repo):  # noqa: F811
    """The Pages workflow builds a pull request for https://example.org/ over the site restored
    from the cache, which was built for the real address: claims are matched by address in the site."""
    build(Project.at(repo), repo / "site", base_url="https://owner.github.io/repo/", cards=False, search=False)
    replace(repo / RAIN, "verdict: unproven", 'verdict: "false"')
    assert located(errors_in(repo, "site", base_url="https://example.org/")) == [f"{RAIN}:{RAIN_VERDICT}"]


def test_the_workflows_pull_request_run_compares_with_the_restored_site(repo, tmp_path):  # noqa: F811
    """The workflow's own build step, run with factsite itself, on a pull request whose base is not
    in the history (so only the restored site can tell)."""
    factsite = Path(sys.executable).parent / "factsite"
    if not factsite.is_file():
        pytest.skip("factsite is not installed as a command beside this Python")
    step = build_step()
    build(Project.at(repo), repo / "site", base_url="https://owner.github.io/repo/", cards=False, search=False)
    replace(repo / RAIN, "verdict: unproven", 'verdict: "false"')
    commit(repo, "A changed verdict")
    environment = {**os.environ, "PATH": f"{factsite.parent}{os.pathsep}{os.environ['PATH']}",
                   "EVENT_NAME": "pull_request", "PULL_REQUEST_BASE": "1" * 40, "PUSHED_OVER": "", "BASE_URL": "",
                   "REPOSITORY": "owner/repo"}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=environment, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"::error file={RAIN},line={RAIN_VERDICT},title=factsite::the verdict changed from" in result.stdout


# verdicts.json is read back from the output folder: never trusted ------------------------

MALFORMED = [
    b"", b"\x00\xff\xfe", b"not json", b"[]", b"null", b'{"claims": {}}', b"[" * 100_000 + b"]" * 100_000,
    b'{"claims": [{"slug": "../../etc", "title": "x", "verdict": "x", "rating": null, "modified": "2025-01-01", '
    b'"corrections": [], "aliases": []}], "withdrawn": []}',
    b'{"claims": [{"slug": "rain-record", "title": "x", "verdict": "x", "rating": true, "modified": "2025-01-01", '
    b'"corrections": [], "aliases": []}], "withdrawn": []}',
    b'{"claims": [{"slug": "rain-record", "title": "x", "verdict": ["x"], "rating": 1, "modified": "2025-01-01", '
    b'"corrections": [], "aliases": []}], "withdrawn": []}',
    b'{"claims": [{"slug": "rain-record", "title": "x", "verdict": "x", "rating": 1, "modified": "x", '
    b'"corrections": [], "aliases": []}], "withdrawn": []}',
    b'{"claims": [{"slug": "rain-record", "title": "x", "verdict": "x", "rating": 1, "modified": "2025-01-01", '
    b'"corrections": ["2025-01-01"], "aliases": []}], "withdrawn": []}',
    b'{"claims": [{"slug": "rain-record", "title": "x", "verdict": "x", "rating": 1, "modified": "2025-01-01", '
    b'"corrections": [], "aliases": [7]}], "withdrawn": []}',
    b'{"claims": [], "withdrawn": [{"slug": "rain-record", "title": "x", "verdict": "x", "rating": 1}]}',
    b'{"claims": [1e999999]}',
]


@pytest.mark.parametrize("data", MALFORMED, ids=range(len(MALFORMED)))
def test_a_malformed_verdicts_json_means_nothing_to_compare(repo, data):  # noqa: F811
    site = repo / "site"
    write(site / "verdicts.json", "")
    (site / "verdicts.json").write_bytes(data)
    assert errors_in(repo, "site") == []


def test_a_verdicts_json_that_is_a_link_or_a_folder_is_not_read(repo):  # noqa: F811
    site = repo / "site"
    build(Project.at(repo), site, cards=False, search=False)
    state = json.loads((site / "verdicts.json").read_text("utf-8"))
    for claim in state["claims"]:
        claim["verdict"] = "Something else"
    planted = write(repo / "elsewhere.json", json.dumps(state))
    (site / "verdicts.json").unlink()
    (site / "verdicts.json").symlink_to(planted)
    assert errors_in(repo, "site") == []  # a link is not followed
    (site / "verdicts.json").unlink()
    (site / "verdicts.json").mkdir()
    assert errors_in(repo, "site") == []
    (site / "verdicts.json").rmdir()
    shutil.copy(planted, site / "verdicts.json")  # the same, as a file: compared
    assert located(errors_in(repo, "site")) == ["content/claims/budget-doubled.md:8",
                                                    "content/claims/rain-record.md:6"]


# The history is read leniently: what cannot be read there is left out, never a crash ------

def test_what_does_not_parse_at_the_revision_is_left_out(repo):  # noqa: F811
    from factsite.checks.history import state_at

    write(repo / SITE, "verdicts: [\n")  # site.yml does not parse: the verdicts of today are used
    write(repo / WITHDRAWN, "withdrawn: [1, {claim: ../x}, {claim: x, date: 2025-01-01, verdict: nope},\n"
                            "  {claim: y, date: 2025-13-01, verdict: unproven}, {claim: z, date: 2025-01-01, "
                            "verdict: unproven, aliases: [7, ../w, fine]}]\n")
    write(repo / "content/claims/odd.md", "---\nverdict: [1, 2]\ncorrections: 5\naliases: {a: b}\n---\n")
    write(repo / "content/claims/odd-two.md", "---\ntitle: [x]\nverdict: unproven\npublished: 12\n"
                                              "corrections: [3, {date: [x]}, {date: 2025-01-01, note: ' a  b '}]\n"
                                              "aliases: [7, ../x, fine-alias, true]\n---\n")
    write(repo / "content/claims/.hidden/old.md", (repo / RAIN).read_text("utf-8"))
    write(repo / "content/claims/deep" / ("nested/" * 50) / "far.md", "---\n" + "[" * 5000 + "\n---\n")
    commit(repo, "Files that would not build")
    state = state_at(repo / "content", "HEAD", {"unproven": ("Unproven", None)}).state
    # Only the claims whose verdict the fallback knows; none in a hidden folder (left out, as the build does).
    assert sorted(state.claims) == ["odd-two", "rain-record"]
    odd = state.claims["odd-two"]
    assert (odd.title, odd.label, odd.modified, odd.corrections, odd.aliases) == (
        "odd-two", "Unproven", "2025-01-01", frozenset({("2025-01-01", "a b")}), ("fine-alias",))
    assert sorted(state.withdrawn) == ["z"] and state.withdrawn["z"].aliases == ("fine",)


def test_a_planted_title_cannot_flood_the_messages(repo):  # noqa: F811
    build(Project.at(repo), repo / "site", cards=False, search=False)
    state = json.loads((repo / "site/verdicts.json").read_text("utf-8"))
    state["claims"][1]["title"] = "Rain\n::error::forged\n" + "x" * 100_000
    (repo / "site/verdicts.json").write_text(json.dumps(state), "utf-8")
    (repo / RAIN).unlink()
    replace(repo / BUDGET, "related: [rain-record]\n", "")
    replace(repo / BUDGET, "See [the rain check](/claims/rain-record/)", "See")
    [error] = errors_in(repo, "site")
    assert error.startswith(f'{WITHDRAWN}:None: the fact-check "Rain ::error::forged xxx')
    assert len(error) < 1000 and "\n" not in error
