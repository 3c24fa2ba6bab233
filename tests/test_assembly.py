"""An assembly patched from the last one (model/assemble.py) is the assembly made afresh: the
same claims in the same order in every list, every claim linked to the same related claims,
the same corrections log, in every edition."""

from __future__ import annotations

import random

import pytest

from factsite.engine import read_site
from factsite.errors import BuildFailed
from factsite.read.filecache import DocumentCache
from factsite.read.reuse import Reuse

from .conftest import copies_of_budget_doubled, with_ukrainian


def shape(site) -> dict:
    """What an assembly makes of a site, by slugs and names, as the objects differ between reads;
    and whether each claim in a list is the site's own (not one an earlier read made)."""
    own = {id(claim) for claim in site.claims}

    def slugs(claims):
        return [(claim.slug, id(claim) in own) for claim in claims]
    shown = {"claims": slugs(site.claims),
             "corrections": [(c.date, c.claim.slug, c.note) for c in site.corrections],
             "related": {claim.slug: slugs(claim.related) for claim in site.claims},
             "claimants": [(c.slug, c.name, c.type, slugs(c.claims)) for c in site.claimants]}
    for kind in ("verdicts", "topics", "sources", "people"):
        shown[kind] = {getattr(h, "slug", None) or h.id: slugs(h.claims) for h in getattr(site, kind)}
    return shown


def shapes(site) -> list[dict]:
    return [shape(edition) for edition in (site, *site.editions)]


def outcome(read) -> list[dict] | list[str]:
    """The shapes of the site ``read`` gives, or the mistakes it reports."""
    try:
        return shapes(read())
    except BuildFailed as failed:
        return sorted(str(problem) for problem in failed.problems.errors)


def contents(assembly) -> tuple:
    """What an assembly's lists hold, as it made them."""
    return (tuple(assembly.claims), tuple(assembly.corrections),
            {(type(holder).__name__, getattr(holder, "slug", None) or holder.id): tuple(claims)
             for holder, claims in assembly.lists.items()})


class Reader:
    """Reads a project again and again as the preview's engine does, keeping what it may."""

    def __init__(self, project):
        self.project, self.cache = project, DocumentCache()
        self.reuse, self.copies, self.assemblies = Reuse(), Reuse(), {}

    def read(self):
        return read_site(self.project, cache=self.cache, reuse=self.reuse, copies=self.copies,
                         assemblies=self.assemblies)[0]


def edits(content, rng: random.Random, copies: list, named: set):
    """A random edit of one of the numbered copies of a claim, of a kind that moves it in or out
    of lists or links it to others. ``named``: the copies named as related, never deleted."""
    path = rng.choice([path for path in copies if path.exists()])
    others = sorted(rng.sample([other.stem for other in copies if other.exists() and other != path], 2))
    text = path.read_text("utf-8")
    number = rng.randrange(100, 999)
    choices = {
        "deleted": lambda: path.unlink() if path.stem not in named else path.write_text(text + "\nMore.\n", "utf-8"),
        "added": lambda: (content / f"claims/budget-{number}.md").write_text(
            text.replace("since 2020 (", f"since 2020 ({number}, ")
            .replace("published: 2025-03-05", f"published: 2024-01-{number % 28 + 1:02d}"), "utf-8"),
        "published": lambda: path.write_text(text.replace("published: 2025-03-05", f"published: 2024-02-{number % 28 + 1:02d}"),
                                             "utf-8"),
        "title": lambda: path.write_text(text.replace("title: Budget doubled", f"title: Budget doubled {number}"), "utf-8"),
        "draft": lambda: path.write_text(text if "draft: true" in text else
                                         text.replace("claim_wording:", "draft: true\nclaim_wording:"), "utf-8"),
        "related": lambda: (named.update(others), path.write_text(
            text.replace("related: [rain-record]", f"related: [{', '.join(others)}]"), "utf-8")),
        "correction gone": lambda: path.write_text(text.replace(
            "corrections:\n  - date: 2025-03-09\n    note: An earlier version gave the 2020 figure as 11 million.\n",
            "").replace("updated: 2025-03-09\n", ""), "utf-8"),
        "corrections on one day": lambda: path.write_text(text.replace(
            "corrections:\n", "corrections:\n  - date: 2025-03-09\n    note: Another mistake put right that day.\n"),
            "utf-8"),
        "topics": lambda: path.write_text(text.replace("topics: [budget]", "topics: [budget, weather]"), "utf-8"),
        "claimant": lambda: path.write_text(text.replace("claimant: The Mayor", "claimant: The Governor"), "utf-8"),
        "claimant type": lambda: path.write_text(text.replace("claimant_type: person", "claimant_type: organization"),
                                                 "utf-8"),  # an error while the other claims say otherwise
        "source notes": lambda: (content / "sources/city-paper.yml").write_text(
            (content / "sources/city-paper.yml").read_text("utf-8") + f"# {number}\n", "utf-8"),
        "translated title": lambda: (content / "claims/budget-doubled.uk.md").write_text(
            (content / "claims/budget-doubled.uk.md").read_text("utf-8").replace("title: ", f"title: {number} ", 1),
            "utf-8"),
        "verdict": lambda: path.write_text(text.replace('verdict: "false"', "verdict: unproven"), "utf-8"),
    }
    name = rng.choice(sorted(choices))
    choices[name]()
    if name == "added":
        copies.append(content / f"claims/budget-{number}.md")
    return name, path.name


@pytest.mark.parametrize("seed", range(6))
def test_an_assembly_patched_edit_after_edit_is_the_one_made_afresh(project, settled, seed):
    with_ukrainian(project)
    copies = copies_of_budget_doubled(project.content_dir, 12)
    rng, reader, named = random.Random(seed), Reader(project), set()
    reader.read()
    for step in range(20):
        edit = edits(project.content_dir, rng, copies, named)
        last = dict(reader.assemblies)
        kept = {language: contents(assembly) for language, assembly in last.items()}
        read = outcome(reader.read)
        assert read == outcome(lambda: read_site(project)[0]), edit
        assert {language: contents(assembly) for language, assembly in last.items()} == kept, edit  # left as they were
        if read and isinstance(read[0], dict):  # read: what the next patch compares with the claims' claimants
            for assembly in reader.assemblies.values():
                assert assembly.claimants == tuple(claim.claimant for claim in assembly.claims), edit


def test_a_list_no_claim_of_which_changed_is_kept_as_it_was(project, settled):
    """The point of patching: an edit of one claim leaves the lists it is not on untouched, and
    makes a copy of those it is on."""
    copies = copies_of_budget_doubled(project.content_dir, 3)
    reader = Reader(project)
    before = reader.read()
    weather, budget = (next(t for t in before.topics if t.slug == slug).claims for slug in ("weather", "budget"))
    copies[1].write_text(copies[1].read_text("utf-8").replace("title: Budget doubled", "title: Budget halved"), "utf-8")
    after = reader.read()
    assert next(t for t in after.topics if t.slug == "weather").claims is weather
    assert next(t for t in after.topics if t.slug == "budget").claims is not budget
    assert [c.title for c in budget if c.slug == "budget-01"] == ["Budget doubled 1"]  # the last one's, unchanged
    assert shapes(after) == shapes(read_site(project)[0])


def test_after_a_patch_that_crashed_the_next_assembly_is_made_anew(project, settled, monkeypatch):
    """Should patching ever fail on what the last assembly kept, the preview is not stuck with it:
    the update after the crash assembles everything."""
    from factsite.model import assemble

    def broken(last, claims):
        raise RuntimeError("a bug in patching")

    copies = copies_of_budget_doubled(project.content_dir, 2)
    reader = Reader(project)
    reader.read()
    monkeypatch.setattr(assemble, "patched", broken)
    copies[0].write_text(copies[0].read_text("utf-8").replace("title: Budget doubled", "title: Budget halved"), "utf-8")
    with pytest.raises(RuntimeError):
        reader.read()
    assert shapes(reader.read()) == shapes(read_site(project)[0])
