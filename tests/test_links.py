"""The link check kept from one update to the next (checks/links.LinkCheck), as the preview keeps it."""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st

from factsite.checks.links import LinkCheck, WrittenLinks
from factsite.errors import Problems
from factsite.render.jobs import JobResult


def test_a_page_that_could_not_be_read_is_read_again_for_its_anchors():
    # The link check is kept from one update to the next (checks/links.LinkCheck): a page it
    # could not read once must not count as a page without anchors from then on.
    results = {("claim", "a"): JobResult({"claims/a/index.html": None},
                                         [WrittenLinks("a.md", "https://x.test/claims/a/", [("/claims/b/#s", 3)])]),
               ("claim", "b"): JobResult({"claims/b/index.html": None}, [])}
    pages = [None, b'<h2 id="s">The section</h2>']
    check, found = LinkCheck(), []
    for _ in range(2):
        problems = Problems()
        check.check(results, "https://x.test/", problems, read=lambda path: pages.pop(0))
        found.append([p.message for p in problems.items])
    assert found == [['the link "/claims/b/#s" names an anchor "#s" that is not on that page'], []]


PAGES = [f"page-number-{number}/index.html" for number in range(3)]  # (alike: a link astray is told the nearest)
JOBS = range(3)

# An update's edits: the jobs that write a page (none, one, or two: a page of the theme's at a
# claim's address, say), a page's ids, a job's links (each to a page, with an anchor or none);
# and whether each job's result is made anew, edited or not (the renderer may give an equal
# result as another object).
edit_of_the_results = st.one_of(
    st.tuples(st.just("owners"), st.integers(0, len(PAGES) - 1), st.frozensets(st.sampled_from(JOBS), max_size=2)),
    st.tuples(st.just("ids"), st.integers(0, len(PAGES) - 1), st.sets(st.sampled_from("ab"))),
    st.tuples(st.just("links"), st.sampled_from(JOBS),
              st.lists(st.tuples(st.integers(0, len(PAGES)), st.sampled_from(["", "a", "b"])), max_size=3)))


@settings(max_examples=300, deadline=None)
# A page that goes, which an unchanged job's link led to; a page that comes, which one's led nowhere;
# a page one job of two that wrote it no longer writes.
@example(updates=[([("owners", 1, {0}), ("links", 1, [(1, "")])], False), ([("owners", 1, set())], False)])
@example(updates=[([("links", 0, [(0, "")])], False), ([("owners", 0, {1})], False)])
@example(updates=[([("owners", 0, {1, 2}), ("links", 0, [(0, "")])], False), ([("owners", 0, {2})], False)])
@given(updates=st.lists(st.tuples(st.lists(edit_of_the_results, max_size=3), st.booleans()), min_size=1, max_size=8))
def test_a_link_check_kept_between_updates_finds_what_a_first_check_finds(updates):
    # The preview's link check keeps its index and its findings (checks/links.LinkCheck): jobs
    # come and go, pages move from one job to another, come and go, and change their anchors.
    owners, ids, links = [set()] * len(PAGES), [set()] * len(PAGES), [[] for _ in JOBS]
    kept, last = LinkCheck(), {}
    for edits, remade in updates:
        for kind, at, value in edits:
            {"owners": owners, "ids": ids, "links": links}[kind][at] = value
        results = {}
        for job in JOBS:
            files = {page: sorted(ids[at]) for at, page in enumerate(PAGES) if job in owners[at]}
            written = [(f"/page-number-{target}/" + (f"#{anchor}" if anchor else ""), line)
                       for line, (target, anchor) in enumerate(links[job], start=1)]
            if files or written:  # else no such job in this update
                result = JobResult(files, [WrittenLinks(f"{job}.md", f"https://x.test/p{job}/", written)])
                results[("claim", str(job))] = last[job] if last.get(job) == result and not remade else result
        last = {int(job[1]): result for job, result in results.items()}
        found_kept, found_fresh = Problems(), Problems()
        kept.check(results, "https://x.test/", found_kept)
        LinkCheck().check(results, "https://x.test/", found_fresh)
        assert sorted(map(str, found_kept.items)) == sorted(map(str, found_fresh.items))
        assert kept.files == frozenset(path for result in results.values() for path in result.files)
