"""Corrections are never lost: a published verdict that changes needs a correction saying so.

`factsite check --since REV` (and `build --since REV`) compares every claim with the
claims as they were at git revision REV, read from the history (`factsite/checks/history.py`),
so the check works in a fresh checkout with no last build to compare with, such as the
Pages workflow's. Each test makes a git repository of the `basic` fixture, commits it,
changes something and asks what the check says.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from factsite.engine import Project

from factsite.commands.build import check
from factsite.commands.cli import main
from factsite.errors import BuildFailed
from factsite.checks.history import state_at

from .conftest import FIXTURES, REPO, write

RAIN = "content/claims/rain-record.md"
BUDGET = "content/claims/budget-doubled.md"
HINT = ("hint: add to corrections: a note dated 2025-04-01 or later saying the verdict changed from Unproven to False, "
        "and why")
CORRECTION = ("corrections:\n  - date: 2025-04-03\n    note: The verdict changed from Unproven to False; "
              "the council published the record series.\npublished: 2025-04-01")

# Whoever runs the tests, git needs a name to commit under and must not sign or ask anything.
GIT_SETTINGS = ["-c", "user.name=Test Desk", "-c", "user.email=desk@example.org", "-c", "commit.gpgsign=false",
                "-c", "init.defaultBranch=main", "-c", "core.hooksPath=/dev/null"]


def git(folder: Path, *args: str) -> str:
    result = subprocess.run(["git", *GIT_SETTINGS, *args], cwd=folder, capture_output=True, text=True,
                            env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def commit(folder: Path, message: str = "edit") -> str:
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "--allow-empty", "-m", message)
    return git(folder, "rev-parse", "HEAD")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path.name}"
    path.write_text(text.replace(old, new), "utf-8")


def copy_site(folder: Path) -> Path:
    """A folder laid out like a newsroom's repository: content/, templates/, static/."""
    shutil.copytree(FIXTURES / "basic" / "content", folder / "content")
    shutil.copytree(REPO / "templates", folder / "templates")
    shutil.copytree(REPO / "static", folder / "static")
    return folder


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """The `basic` fixture committed in a git repository of its own, as the current folder."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = copy_site(tmp_path / "newsroom")
    git(folder, "init", "-q")
    commit(folder, "The site as published")
    monkeypatch.chdir(folder)
    return folder


def project(folder: Path) -> Project:
    return Project.at(folder)


def errors_since(folder: Path, revision: str = "HEAD") -> list[str]:
    """Every error `check --since revision` reports, as `path:line: message` plus the hint."""
    try:
        problems = check(project(folder), since=revision)
    except BuildFailed as failure:
        problems = failure.problems
    return [f"{Path(p.path).resolve().relative_to(folder.resolve()).as_posix()}:{p.line}: {p.message}"
            f" | {p.hint}" for p in problems.errors]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def change_the_verdict(folder: Path) -> None:
    replace(folder / RAIN, "verdict: unproven", 'verdict: "false"')


# The check -----------------------------------------------------------------

def test_a_changed_verdict_without_a_correction_is_an_error_on_the_verdict_line(repo):
    sha = git(repo, "rev-parse", "--short=7", "HEAD")
    change_the_verdict(repo)
    assert errors_since(repo) == [
        f'{RAIN}:6: the verdict changed from "Unproven" (at HEAD, {sha}) to "False" without a correction | '
        + HINT.removeprefix("hint: ")
    ]


def test_a_correction_added_with_the_changed_verdict_passes(repo):
    change_the_verdict(repo)
    replace(repo / RAIN, "published: 2025-04-01", CORRECTION)
    assert errors_since(repo) == []


def test_a_correction_that_was_already_there_does_not_cover_a_new_change(repo):
    # budget-doubled already has a correction (about a figure): the verdict change needs its own.
    replace(repo / BUDGET, 'verdict: "false"', "verdict: half-true")
    errors = errors_since(repo)
    assert len(errors) == 1 and errors[0].startswith(
        f'{BUDGET}:8: the verdict changed from "False" (at HEAD, ') and 'to "Half true" without' in errors[0]
    # A new entry does.
    replace(repo / BUDGET, "related: [rain-record]", "  - date: 2025-03-20\n    note: Rated half true after the "
            "council revised its figures.\nrelated: [rain-record]")
    assert errors_since(repo) == []


def test_changing_only_the_summary_passes(repo):
    replace(repo / RAIN, "summary: No record series was published",
            "summary: No record series has been published")
    assert errors_since(repo) == []


def test_a_new_claim_passes_and_a_deleted_one_needs_a_record(repo):
    write(repo / "content/claims/new-claim.md",
          (repo / RAIN).read_text("utf-8").replace("title: Rain record", "title: A new claim"))
    assert errors_since(repo) == []
    (repo / BUDGET).unlink()  # its addresses would lead nowhere (tests/test_hostile_guard.py has more)
    errors = errors_since(repo)
    assert [error.split(" (at HEAD")[0] for error in errors] == [
        f'content/withdrawn.yml:None: the fact-check "Budget doubled", published at /claims/{slug}/'
        for slug in ("budget-doubled", "spending-doubled")]
    assert errors[0].endswith('record it in content/withdrawn.yml: - {claim: budget-doubled, title: "Budget doubled", '
                              'date: YYYY-MM-DD, verdict: "false", aliases: [spending-doubled], '
                              "note: \"TODO: why it was withdrawn\"}")
    with (repo / "content/withdrawn.yml").open("a", encoding="utf-8") as records:
        records.write('  - {claim: budget-doubled, title: Budget doubled, date: 2025-06-01, verdict: "false", '
                      "aliases: [spending-doubled], note: The figures were a draft.}\n")
    assert errors_since(repo) == []


def test_the_comparison_is_with_the_named_revision_not_the_latest_commit(repo):
    first = git(repo, "rev-parse", "HEAD")
    change_the_verdict(repo)
    commit(repo, "Changed a verdict without a correction")
    assert errors_since(repo, "HEAD") == []  # nothing changed since the latest commit
    [error] = errors_since(repo, "HEAD~1")
    assert f'"Unproven" (at HEAD~1, {first[:7]}) to "False"' in error
    [error] = errors_since(repo, first)  # a full sha is named once, shortened
    assert f'"Unproven" (at {first[:7]}) to "False"' in error


def test_a_claim_that_was_a_draft_at_the_revision_may_change_its_verdict(repo):
    replace(repo / RAIN, "published: 2025-04-01", "published: 2025-04-01\ndraft: true")
    commit(repo, "Unpublished")
    replace(repo / RAIN, "draft: true", "draft: false")
    change_the_verdict(repo)
    assert errors_since(repo) == []


def test_a_file_that_did_not_parse_at_the_revision_is_skipped(repo):
    replace(repo / RAIN, "verdict: unproven", "verdict: [unproven")
    commit(repo, "A broken file")
    replace(repo / RAIN, "verdict: [unproven", 'verdict: "false"')
    assert errors_since(repo) == []


def test_many_claims_are_each_compared_with_their_own_past(repo):
    """One cat-file process reads every claim: each must be paired with the right file."""
    text = (repo / RAIN).read_text("utf-8")
    verdicts = ["unproven", '"true"', "half-true", '"false"']
    for number in range(60):
        write(repo / f"content/claims/batch/claim-{number:02d}.md",
              text.replace("verdict: unproven", f"verdict: {verdicts[number % 4]}"))
    commit(repo, "Sixty claims")
    history = state_at(repo / "content", "HEAD", {})
    assert {slug: history.state.claims[slug].label for slug in ("claim-00", "claim-01", "claim-02", "claim-59")} == {
        "claim-00": "Unproven", "claim-01": "True", "claim-02": "Half true", "claim-59": "False"}
    for number in (7, 42):  # each rotated to the next verdict
        path = repo / f"content/claims/batch/claim-{number:02d}.md"
        path.write_text(text.replace("verdict: unproven", f"verdict: {verdicts[(number + 1) % 4]}"), "utf-8")
    errors = errors_since(repo)
    assert [error.split(":")[0] for error in errors] == [
        "content/claims/batch/claim-07.md", "content/claims/batch/claim-42.md"]
    assert 'from "False" (at HEAD' in errors[0] and 'to "Unproven" without' in errors[0]
    assert 'from "Half true" (at HEAD' in errors[1] and 'to "False" without' in errors[1]


def test_the_last_builds_claims_json_and_git_report_a_change_once(repo):
    assert run("build", "--out", "site", "--no-search", "--no-cards").exit_code == 0
    change_the_verdict(repo)
    result = run("check", "--since", "HEAD")
    assert result.exit_code == 1
    assert result.output.count("error: the verdict changed") == 1, result.output


# The command line ---------------------------------------------------------

def test_check_since_prints_file_line_and_hint(repo):
    change_the_verdict(repo)
    result = run("check", "--since", "HEAD")
    assert result.exit_code == 1
    assert f"{RAIN}:6: error: the verdict changed from \"Unproven\" (at HEAD, " in result.output
    assert HINT in result.output
    github = run("check", "--since", "HEAD", "--format", "github")
    assert f"::error file={RAIN},line=6,title=factsite::the verdict changed from" in github.output

    replace(repo / RAIN, "published: 2025-04-01", CORRECTION)
    result = run("check", "--since", "HEAD")
    assert result.exit_code == 0, result.output


def test_build_since_stops_before_writing_anything(repo):
    assert run("build", "--out", "site", "--no-search", "--no-cards", "--since", "HEAD").exit_code == 0
    shutil.rmtree(repo / "site")  # so only git can tell the verdict changed
    change_the_verdict(repo)
    result = run("build", "--out", "site", "--no-search", "--no-cards", "--since", "HEAD")
    assert result.exit_code == 1
    assert f"{RAIN}:6: error: the verdict changed from" in result.output
    assert not (repo / "site").exists()


@pytest.mark.parametrize("revision", ["no-such-branch", "0123456789abcdef0123456789abcdef01234567", "--help"])
def test_an_unknown_revision_is_a_clean_error(repo, revision):
    result = run("check", "--since", revision)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f'content: error: cannot compare the verdicts with "{revision}": ' in result.output
    assert "hint: give a commit, branch or tag" in result.output


def test_outside_a_git_repository_is_a_clean_error(tmp_path, monkeypatch):
    folder = copy_site(tmp_path / "no-git")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # even if the temporary folder is in one
    result = run("check", "--since", "HEAD")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert ('content: error: cannot compare the verdicts with "HEAD": the folder content is not in a git repository'
            in result.output)
    assert "hint: run factsite in a clone of the repository" in result.output


def test_without_git_installed_is_a_clean_error(repo, monkeypatch):
    monkeypatch.setenv("PATH", str(repo / "nowhere"))
    result = run("check", "--since", "HEAD")
    assert result.exit_code == 1
    assert "git is not installed" in result.output and "hint: install git" in result.output


def test_a_shallow_clone_says_to_fetch_the_whole_history(repo, tmp_path, monkeypatch):
    change_the_verdict(repo)
    commit(repo, "second")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", repo.as_uri(), str(clone))
    monkeypatch.chdir(clone)
    result = run("check", "--since", "HEAD~1")
    assert result.exit_code == 1
    assert "there is no such commit in this clone, which has only part of the history" in result.output
    assert "fetch-depth: 0" in result.output
    assert run("check", "--since", "HEAD").exit_code == 0  # the newest commit is there


def test_check_since_in_a_real_process(repo):
    change_the_verdict(repo)
    result = subprocess.run([sys.executable, "-m", "factsite", "check", "--since", "HEAD"], cwd=repo,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert f"{RAIN}:6: error: the verdict changed from" in result.stdout
    assert HINT in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    unknown = subprocess.run([sys.executable, "-m", "factsite", "check", "--since", "nope"], cwd=repo,
                             capture_output=True, text=True, timeout=120, check=False)
    assert unknown.returncode == 1 and "Traceback" not in unknown.stdout + unknown.stderr
    assert 'cannot compare the verdicts with "nope"' in unknown.stdout


# The Pages workflow -------------------------------------------------------

def build_step() -> dict:
    workflow = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text("utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "a shallow clone has no earlier commit to compare with"
    return next(step for step in steps if "factsite build" in step.get("run", ""))


@pytest.mark.parametrize("event, base, before, expected, warned", [
    ("pull_request", "BASE", "", "--since BASE", False),
    ("push", "", "BASE", "--since BASE", False),
    ("push", "", "0" * 40, "", False),  # a new branch's first push: nothing to compare with
    ("workflow_dispatch", "", "", "", False),
    ("push", "", "1" * 40, "", True),  # force-pushed over: that commit was never fetched
    ("push", "", "$(touch pwned)", "", True),  # values are data, never code
])
def test_the_workflow_checks_since_the_commit_the_change_starts_from(repo, tmp_path, event, base, before, expected,
                                                                     warned):
    step = build_step()
    assert "${{" not in step["run"], "GitHub values go through env:, not into the script"
    sha = git(repo, "rev-parse", "HEAD")
    fake = write(tmp_path / "bin" / "factsite", '#!/bin/sh\necho "factsite $*"\n')
    fake.chmod(0o755)
    environment = {**os.environ, "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}", "EVENT_NAME": event,
                   "PULL_REQUEST_BASE": base.replace("BASE", sha), "PUSHED_OVER": before.replace("BASE", sha),
                   "BASE_URL": "", "REPOSITORY": "owner/repo"}  # a pull request has no Pages address
    assert set(step["env"]) == {"BASE_URL", "EVENT_NAME", "PULL_REQUEST_BASE", "PUSHED_OVER", "REPOSITORY"}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=environment, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    *said, command = result.stdout.strip().splitlines()
    assert command == ("factsite build --base-url https://example.org/ --format github "
                       + expected.replace("BASE", sha)).strip()
    assert [line.startswith("::warning::") for line in said] == ([True] if warned else [])
    assert not (repo / "pwned").exists()


def test_the_workflow_links_readers_to_the_repositorys_issue_forms_only_if_it_has_them(repo, tmp_path):
    step = build_step()
    fake = write(tmp_path / "bin" / "factsite", '#!/bin/sh\necho "factsite $*"\n')
    fake.chmod(0o755)
    environment = {**os.environ, "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}", "EVENT_NAME": "push",
                   "PULL_REQUEST_BASE": "", "PUSHED_OVER": "", "BASE_URL": "", "REPOSITORY": "owner/repo"}
    commands = []
    for forms in (False, True):
        if forms:
            write(repo / ".github/ISSUE_TEMPLATE/report-error.yml", "name: Report an error\n")
        result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=environment, capture_output=True,
                                text=True, timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        commands.append(result.stdout.strip().splitlines()[-1])
    assert commands == ["factsite build --base-url https://example.org/ --format github",
                        "factsite build --base-url https://example.org/ --repository owner/repo --format github"]
