"""How the command line reports: each mistake with its file and line (or as a GitHub
annotation), a template's or the disk's error, and a progress bar for long builds."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
import jinja2

from ..errors import BuildFailed, ContentError, visible
from ..output.write_errors import WriteError


def show_path(path: Path) -> str:
    """A path relative to the current folder when it is inside it, as editors see it."""
    absolute = Path(path).absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def echo_problem(problem: ContentError, err: bool = True) -> None:
    colour = "red" if problem.severity == "error" else "yellow"
    where = visible(show_path(problem.path)) + (f":{problem.line}" if problem.line else "")
    click.echo(f"{where}: " + click.style(problem.severity, fg=colour, bold=True) + f": {visible(problem.message)}",
               err=err)
    if problem.hint:
        click.echo(f"    hint: {visible(problem.hint)}", err=err)


def github_annotation(problem: ContentError) -> str:
    """A GitHub Actions workflow command: the mistake shows on the pull request's changed line."""
    def escape(text: str, is_property: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if is_property else text

    properties = f"file={escape(show_path(problem.path), True)}"  # the real name, for GitHub to find the file
    if problem.line:
        properties += f",line={problem.line}"
    message = visible(problem.message) + (f". Hint: {visible(problem.hint)}" if problem.hint else "")
    return f"::{problem.severity} {properties},title=factsite::{escape(message)}"


def echo_annotation(problem: ContentError) -> None:
    click.echo(github_annotation(problem))


def echo_template_error(error: jinja2.TemplateError) -> None:
    """A mistake in a template is the designer's, not the editor's: say where it is."""
    where = ""
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = f"{error.filename or error.name}:{error.lineno}: "
    click.echo(f"{where}" + click.style("template error", fg="red", bold=True) + f": {error.message}", err=True)
    click.echo("nothing was written (the previous site is unchanged).", err=True)


def echo_write_error(error: WriteError) -> None:
    """The site could not be written: why, what became of the site, and what to do, without a traceback."""
    message = error.message + (f". {error.site}" if error.site else "")
    click.echo(click.style("error: ", fg="red", bold=True) + message, err=True)
    if error.hint:
        click.echo(f"    hint: {error.hint}", err=True)


def echo_failure(failure: BuildFailed, report=echo_problem) -> None:
    for problem in failure.problems.errors + failure.problems.warnings:
        report(problem)
    errors = len(failure.problems.errors)
    click.echo(click.style(f"\n{errors} error{'s' if errors != 1 else ''}; nothing was written "
                           "(the previous site is unchanged).", fg="red"), err=True)


class ProgressBar:
    """Click's progress bar for big builds, on a terminal only (never in CI or a log)."""

    SHOWN_FROM = 500  # pages; smaller builds finish before a bar would help

    def __init__(self):
        self.bar = None
        self.done = 0
        self.enabled = sys.stderr.isatty() and not os.environ.get("CI")

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < self.SHOWN_FROM:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Rendering", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def echo_ifcn_checklist(site) -> int:
    """The IFCN checklist (checks/ifcn.py), one line per commitment and one per thing missing;
    how many commitments are not met."""
    from ..checks.ifcn import ifcn_checklist

    checklist = ifcn_checklist(site)
    click.echo("\nIFCN Code of Principles: what the site shows")
    for commitment in checklist:
        mark = click.style("met", fg="green", bold=True) if commitment.met else click.style("missing", fg="red", bold=True)
        click.echo(f"  [{mark}] {commitment.name}")
        for missing in commitment.missing:
            click.echo(f"      - {visible(missing)}")
    unmet = sum(not commitment.met for commitment in checklist)
    click.echo(click.style(f"{len(checklist) - unmet} of {len(checklist)} commitments shown.",
                           fg="red" if unmet else "green"))
    return unmet
