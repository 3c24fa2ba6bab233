"""The `factsite` command line."""

from __future__ import annotations

import atexit
import gc
import os
import signal
from pathlib import Path

import click
import jinja2

from .. import __version__
from ..engine import Project
from ..errors import BuildFailed, ContentError, Problems
from ..output.search import SearchIndexError
from ..output.write_errors import WriteError, write_error
from ..read.schema import CLAIM_FIELDS
from .build import build, checked
from .report import (ProgressBar, echo_annotation, echo_failure, echo_ifcn_checklist, echo_problem,
                     echo_template_error, echo_write_error,
                     show_path)

content_option = click.option(
    "--content", "content_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("content"),
    show_default=True, help="Folder holding site.yml, claims/, sources/ and pages/.",
)


format_option = click.option(
    "--format", "output_format", type=click.Choice(["text", "github"]), default="text", show_default=True,
    help="github prints each mistake and warning as a GitHub Actions annotation.",
)


since_option = click.option(
    "--since", metavar="REV",
    help="A git commit, branch or tag, e.g. HEAD~1 or origin/main: what readers saw at REV may not change "
         "without a note (a verdict, a new correction; a claim deleted or made a draft, content/withdrawn.yml).",
)

published_option = click.option(
    "--published", "published_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
    show_default=True, help="The site as last built (its verdicts.json): what readers saw there may not change "
                            "without a note, as with --since.",
)


def run(args: list[str] | None = None, prog_name: str = "factsite", command: str | None = None) -> None:
    """The command line as a process of its own: the console script, `python -m factsite`
    and build.py, which runs ``command`` "build" alone, so that its usage line reads as typed.
    (Tests call :func:`main` inside their own process.)"""
    (main.commands[command] if command else main).main(args, prog_name=prog_name, obj=OWN_PROCESS)


OWN_PROCESS = object()  # run()'s mark on the command's context: the process ends with the command


def process_ends_with_the_command() -> None:
    """For a command the process ends with (build, check; not serve, which runs for hours),
    started by :func:`run`: Python's cycle collector left off (it runs only while pages are
    rendered, see runtime.model_frozen), and every object frozen at exit, so that Python's last
    collections skip the site model's cycles instead of walking and freeing them object by
    object, which the system does at once when the process ends. Every other exit handler
    still runs, and Python ends as usual. A test that calls main() in its own process leaves
    its collector alone."""
    if click.get_current_context().find_root().obj is OWN_PROCESS:
        gc.disable()
        atexit.register(gc.freeze)  # Python's last collections then skip every object made so far


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="factsite")
def main() -> None:
    """Build a static fact-check website from Markdown claim files."""


@main.command("build")
@click.option("--base-url", help="Where the site will be published, e.g. https://owner.github.io/repo/ "
                                 "(default: base_url in content/site.yml).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="Folder to write the site into.")
@click.option("--repository", help="The site's GitHub repository, owner/name, whose issue forms readers use to "
                                   "report errors and suggest claims (default: repository in content/site.yml).")
@click.option("--drafts", is_flag=True, help="Include claims marked draft: true.")
@click.option("--no-cards", is_flag=True, help="Skip drawing each claim's share image (quicker).")
@click.option("--no-search", is_flag=True, help="Skip building the search index (quicker).")
@click.option("--timings", is_flag=True, help="Also print the seconds spent in each phase.")
@format_option
@since_option
@content_option
def build_command(base_url: str | None, out_dir: Path, repository: str | None, drafts: bool, no_cards: bool,
                  no_search: bool, timings: bool, output_format: str, since: str | None, content_dir: Path) -> None:
    """Build the site into the output folder."""
    report = echo_annotation if output_format == "github" else echo_problem
    process_ends_with_the_command()
    progress = ProgressBar()
    try:
        try:
            result = build(Project.at(Path("."), content_dir), out_dir, base_url=base_url, drafts=drafts,
                           cards=not no_cards, search=not no_search, progress=progress, since=since,
                           repository=repository)
        finally:
            progress.close()  # before any message, so none is printed over the bar
    except BuildFailed as failure:
        echo_failure(failure, report)
        raise SystemExit(1) from None
    except WriteError as error:
        echo_write_error(error)
        raise SystemExit(1) from None
    except OSError as error:  # a disk error outside the site's folder (the build cache's, say)
        where = Path(error.filename) if isinstance(error.filename, str) else out_dir
        echo_write_error(write_error(error, f"cannot use {where}", where.parent, site=None))
        raise SystemExit(1) from None
    except SearchIndexError as error:
        click.echo(click.style("error: ", fg="red", bold=True) + str(error), err=True)
        if error.pages_updated:
            click.echo("The pages were updated, but search still finds the previous text. "
                       "The next build makes the search index again.", err=True)
        else:
            click.echo("The previous site is unchanged.", err=True)
        raise SystemExit(1) from None
    except jinja2.TemplateError as error:
        echo_template_error(error)
        raise SystemExit(1) from None
    for warning in result.warnings:
        report(warning)
    warnings = len(result.warnings)
    if timings:
        click.echo("Timings: " + ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in result.timings.items()))
    total = result.files_written + result.files_reused
    click.echo(f"Built {total} files ({result.files_written} written, {result.files_reused} reused from the cache) "
               f"into {show_path(result.out_dir)} in {result.seconds:.2f} s, "
               f"{warnings} warning{'s' if warnings != 1 else ''}.")


@main.command("check")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--ifcn", is_flag=True, help="Also list what the site does not yet show of the IFCN Code of "
                                          "Principles (funding, team, right of reply...), and fail while anything "
                                          "is missing.")
@click.option("--repository", help="The site's GitHub repository, owner/name "
                                   "(default: repository in content/site.yml).")
@format_option
@click.option("--drafts", is_flag=True, help="Also check links to and from draft claims.")
@published_option
@since_option
@content_option
def check_command(strict: bool, ifcn: bool, repository: str | None, output_format: str, drafts: bool,
                  published_dir: Path, since: str | None, content_dir: Path) -> None:
    """Check every content file without writing the site.

    Reports every mistake the build would stop on, and warnings for what is
    allowed but usually wrong. Exits 0 when there is nothing to fix, 1 otherwise.
    """
    process_ends_with_the_command()
    site = None
    try:
        update = checked(Project.at(Path("."), content_dir), drafts=drafts, published=published_dir, since=since,
                         repository=repository)
        problems, site = update.problems, update.site
    except BuildFailed as failure:
        problems = failure.problems
    except jinja2.TemplateError as error:
        echo_template_error(error)
        raise SystemExit(1) from None
    if strict:
        problems = Problems([ContentError(p.path, p.line, p.message, p.hint) for p in problems.items])
    for problem in problems.errors + problems.warnings:
        if output_format == "github":
            echo_annotation(problem)
        else:
            echo_problem(problem, err=False)  # the report is check's output: all of it on stdout
    errors, warnings = len(problems.errors), len(problems.warnings)
    summary = f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}."
    if output_format == "text":
        click.echo(click.style(summary, fg="red" if errors else "green"))
    unmet = echo_ifcn_checklist(site) if ifcn and site is not None else 0
    if ifcn and site is None:
        click.echo("The IFCN checklist needs the content to read without errors: fix them, then run it again.")
    if errors or unmet or (ifcn and site is None):
        raise SystemExit(1)


@main.command("new")
@click.argument("title")
@click.option("--claimant", help="Who made the claim.")
@click.option("--verdict", help="A verdict slug from content/site.yml (default: the off-scale verdict, e.g. unproven).")
@click.option("--source", help="The id of the source where the claim appeared.")
@click.option("--claimant-type", type=click.Choice(CLAIM_FIELDS["claimant_type"].choices),
              help="Whether the claimant is a person or an organization (default: as other claims say, "
                   "else organization if the name looks like one, e.g. a ministry, a party or a newspaper).")
@content_option
def new_command(title: str, claimant: str | None, verdict: str | None, source: str | None,
                claimant_type: str | None, content_dir: Path) -> None:
    """Create a new claim file from TITLE, e.g. factsite new "ERAM missile delivery".

    The file has every field, each with a line saying what to write, and
    draft: true, so it stays off the published site until you change that.
    """
    from .scaffold import ScaffoldError, new_claim

    try:
        notes: list[str] = []
        path = new_claim(content_dir, title, claimant=claimant, verdict=verdict, source=source,
                         claimant_type=claimant_type, note=notes.append)
    except ScaffoldError as error:
        click.echo(click.style("error: ", fg="red", bold=True) + str(error), err=True)
        raise SystemExit(1) from None
    click.echo(f"Created {show_path(path)}")
    for text in notes:
        click.echo(f"Note: {text}")
    click.echo("Fill in the fields marked TODO, then preview it with: factsite serve")


@main.command("serve")
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--drafts/--no-drafts", default=True, show_default=True, help="Include claims marked draft: true.")
@published_option
@content_option
def serve_command(port: int, drafts: bool, published_dir: Path, content_dir: Path) -> None:
    """Preview the site: rebuild on every save and reload the browser."""
    from .serve import PreviewServer

    try:
        server = PreviewServer(Project.at(Path("."), content_dir), port=port, drafts=drafts,
                               log=lambda text: click.echo(text, err=True), published=published_dir)
    except OSError as error:
        click.echo(click.style("error: ", fg="red", bold=True) + f"cannot listen on port {port}: {error.strerror}; "
                   "choose another with --port", err=True)
        raise SystemExit(1) from None
    signal.signal(signal.SIGTERM, stop_as_if_interrupted(os.getpid()))  # as `kill` or a process manager stops it
    try:
        server.start()
        click.echo(f"Preview at {server.url} (press Ctrl+C to stop)")
        server.stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()  # which removes the preview's folder


def stop_as_if_interrupted(server_process: int):
    """A SIGTERM handler that stops the server as Ctrl+C does. The first build's workers are
    forked with it, and their pool ends them with SIGTERM: in them, it does what it would by default."""
    def handler(signum, frame) -> None:
        if os.getpid() != server_process:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt
    return handler
