"""The `factsite` command line."""

from __future__ import annotations

from pathlib import Path

import click
import jinja2

from . import __version__
from .build import Project, build
from .errors import BuildFailed, ContentError
from .write import WriteError


def show_path(path: Path) -> str:
    """A path relative to the current folder when it is inside it, as editors see it."""
    absolute = Path(path).absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def echo_problem(problem: ContentError) -> None:
    colour = "red" if problem.severity == "error" else "yellow"
    where = show_path(problem.path) + (f":{problem.line}" if problem.line else "")
    click.echo(f"{where}: " + click.style(problem.severity, fg=colour, bold=True) + f": {problem.message}", err=True)
    if problem.hint:
        click.echo(f"    hint: {problem.hint}", err=True)


def echo_template_error(error: jinja2.TemplateError) -> None:
    """A mistake in a template is the designer's, not the editor's: say where it is."""
    where = ""
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = f"{error.filename or error.name}:{error.lineno}: "
    click.echo(f"{where}" + click.style("template error", fg="red", bold=True) + f": {error.message}", err=True)
    click.echo("nothing was written (the previous site is unchanged).", err=True)


def echo_failure(failure: BuildFailed) -> None:
    for problem in failure.problems.errors + failure.problems.warnings:
        echo_problem(problem)
    errors = len(failure.problems.errors)
    click.echo(click.style(f"\n{errors} error{'s' if errors != 1 else ''}; nothing was written "
                           "(the previous site is unchanged).", fg="red"), err=True)


content_option = click.option(
    "--content", "content_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("content"),
    show_default=True, help="Folder holding site.yml, claims/, sources/ and pages/.",
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
@content_option
def build_command(base_url: str | None, out_dir: Path, drafts: bool, content_dir: Path) -> None:
    """Build the site into the output folder."""
    try:
        result = build(Project.at(Path("."), content_dir), out_dir, base_url=base_url, drafts=drafts)
    except BuildFailed as failure:
        echo_failure(failure)
        raise SystemExit(1) from None
    except WriteError as error:
        click.echo(click.style("error: ", fg="red", bold=True) + str(error), err=True)
        raise SystemExit(1) from None
    except jinja2.TemplateError as error:
        echo_template_error(error)
        raise SystemExit(1) from None
    for warning in result.warnings:
        echo_problem(warning)
    warnings = len(result.warnings)
    click.echo(f"Built {result.files_written} files into {show_path(result.out_dir)} "
               f"in {result.seconds:.2f} s, {warnings} warning{'s' if warnings != 1 else ''}.")
