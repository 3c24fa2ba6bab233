"""The `factsite` command line."""

from __future__ import annotations

import os
from pathlib import Path

import click

from . import __version__
from .build import Project, build
from .errors import BuildFailed, ContentError
from .write import WriteError


def show_path(path: Path) -> str:
    """A path relative to the current folder when it is inside it, as editors see it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def echo_problem(problem: ContentError) -> None:
    colour = "red" if problem.severity == "error" else "yellow"
    where = show_path(problem.path) + (f":{problem.line}" if problem.line else "")
    click.echo(f"{where}: " + click.style(problem.severity, fg=colour, bold=True) + f": {problem.message}", err=True)
    if problem.hint:
        click.echo(f"    hint: {problem.hint}", err=True)


def echo_failure(failure: BuildFailed) -> None:
    for problem in failure.problems.errors + failure.problems.warnings:
        echo_problem(problem)
    errors = len(failure.problems.errors)
    click.echo(click.style(f"\n{errors} error{'s' if errors != 1 else ''}; nothing was written "
                           "(the previous site is unchanged).", fg="red"), err=True)


project_option = click.option(
    "--project", "project_root", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="Folder holding content/, templates/ and static/.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="factsite")
def main() -> None:
    """Build a static fact-check website from Markdown claim files."""


@main.command("build")
@click.option("--base-url", help="Where the site will be published, e.g. https://owner.github.io/repo/ "
                                 "(default: base_url in content/site.yml).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="Folder to write the site into.")
@click.option("--drafts", is_flag=True, help="Include claims marked draft: true.")
@project_option
def build_command(base_url: str | None, out_dir: Path, drafts: bool, project_root: Path) -> None:
    """Build the site into the output folder."""
    try:
        result = build(Project.at(project_root), out_dir, base_url=base_url, drafts=drafts)
    except BuildFailed as failure:
        echo_failure(failure)
        raise SystemExit(1) from None
    except WriteError as error:
        click.echo(click.style("error: ", fg="red", bold=True) + str(error), err=True)
        raise SystemExit(1) from None
    for warning in result.warnings:
        echo_problem(warning)
    warnings = len(result.warnings)
    click.echo(f"Built {result.files_written} files into {show_path(result.out_dir)} "
               f"in {result.seconds:.2f} s, {warnings} warning{'s' if warnings != 1 else ''}.")
