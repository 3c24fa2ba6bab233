"""Long lists are cut into pages by content (factsite/model/pagination.py): every item is on one
page, pages keep between bounds, and one item joining or leaving a list anywhere changes a few
pages, however long the list, so that an edit re-renders a bounded number of pages."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass

from hypothesis import example, given, settings
from hypothesis import strategies as st

from factsite.model.pagination import CLAIMS_CUT, CORRECTIONS_CUT, Cut, listings_of, page_cuts
from factsite.render.kept_lists import kept_list, verdict_counts
from factsite.render.templating import count_by_verdict

START = dt.date(2020, 1, 1)


def dated(number: int) -> str:
    """An item named by its number; four a day, so that pages can start on the same day."""
    return f"claim-{number:06d}"


def date_of(item: str) -> dt.date:
    return START + dt.timedelta(days=int(item[6:12]) // 4)


def pages_of(items: list[str], cut: Cut = CLAIMS_CUT, base: str = "verdicts/false/", date=date_of):
    """The pages of a list of items named by themselves, as the renderer cuts a list."""
    return listings_of(items, base, page_cuts(items, [date(item) for item in items], base, cut))


def newest_first(count: int) -> list[str]:
    return [dated(number) for number in reversed(range(count))]


@settings(max_examples=60, deadline=None)
@given(count=st.integers(0, 400), cut=st.sampled_from([CLAIMS_CUT, CORRECTIONS_CUT]))
def test_every_item_is_on_one_page_in_order_and_pages_keep_to_their_bounds(count, cut):
    items = newest_first(count)
    pages = pages_of(items, cut)
    assert [item for page in pages for item in page.items] == items
    newest, older = pages[0], pages[1:]
    assert newest.url == "verdicts/false/" and newest.is_newest
    assert all(cut.min_items <= len(page.items) <= cut.max_items for page in older)
    # The newest page is joined to the one before when short, so it never shows a handful.
    assert len(newest.items) <= cut.max_items + cut.min_items - 1
    assert len(newest.items) >= min(count, cut.min_items)


@settings(max_examples=40, deadline=None)
@given(count=st.integers(1, 400))
def test_pages_link_to_each_other_and_are_named_by_the_date_they_start(count):
    pages = pages_of(newest_first(count))
    urls = [page.url for page in pages]
    assert len(set(urls)) == len(urls)
    for newer, older in zip(pages, pages[1:]):
        assert newer.older == older.url and older.newer == newer.url
        assert older.url.startswith(f"verdicts/false/page/{older.since.isoformat()}")
        assert older.since <= older.until <= newer.since
    assert pages[0].newer is None and pages[-1].older is None
    assert pages[0].oldest == (pages[-1].url if len(pages) > 1 else None)
    assert all(page.oldest is None for page in pages[1:])


def changed(before, after) -> int:
    """How many pages of ``after`` a build must write: new, or showing something else."""
    shown = {(page.frame, tuple(page.items)) for page in before}
    return sum((page.frame, tuple(page.items)) not in shown for page in after)


def test_one_item_joining_or_leaving_anywhere_changes_a_few_pages_however_long_the_list():
    """Fixed cuts (30 a page) would change every page newer than the item: half the list."""
    for count in (600, 6000):
        items = newest_first(count)
        before = pages_of(items)
        rng = random.Random(count)
        counts = []
        for edit in range(60):
            at = rng.randrange(count)
            joined = items[:at] + [items[at] + "-joined"] + items[at:]  # the same day as its neighbour
            left = items[:at] + items[at + 1:]
            counts += [changed(before, pages_of(joined)), changed(before, pages_of(left))]
        assert max(counts) <= 8 and sum(counts) / len(counts) <= 2, (count, sorted(counts)[-10:])
        assert len(before) >= count // CLAIMS_CUT.max_items  # so the bound is not from few pages


def test_a_new_newest_item_changes_the_newest_page_and_at_most_the_one_it_leaves():
    items = newest_first(500)
    before = pages_of(items)
    for number in range(500, 560):
        after = pages_of([dated(number)] + items)
        assert changed(before, after) <= 3
        items, before = [dated(number)] + items, after


def test_pages_starting_on_the_same_day_keep_their_addresses_when_one_joins():
    """An archive imported in bulk: hundreds of claims of one day. The pages that start that day
    are named by their first item, not counted, so a page split among them renames no other."""
    items = [f"claim-{number:06d}" for number in reversed(range(600))]
    same_day = dict(cut=CLAIMS_CUT, base="", date=lambda item: START)
    before = pages_of(items, **same_day)
    assert len({page.url for page in before}) == len(before) > 10
    rng = random.Random(7)
    for edit in range(40):
        at = rng.randrange(len(items))
        joined = items[:at] + [items[at] + "-joined"] + items[at:]
        assert changed(before, pages_of(joined, **same_day)) <= 8


@dataclass(frozen=True)
class Rating:
    slug: str


RATINGS = [Rating("false"), Rating("misleading"), Rating("true")]


@dataclass(eq=False)  # as the model's claims: the same object, or another
class Listed:
    slug: str
    published: dt.date
    claimant: object
    text: str
    verdict: Rating = RATINGS[0]
    appeared: bool = False  # made in the source whose list this is (a source's page counts those)


EDIT = st.tuples(st.sampled_from(["retitled", "rerated", "appeared", "redated", "added", "removed", "claimant",
                                  "settings"]),
                 st.integers(0, 10**6))


@settings(max_examples=60, deadline=None)
# A claim added that starts a page of its own: the page before it has the same claims, and links to another.
@example(count=200, updates=[[("added", 44)]], some_counted=False)
@given(count=st.one_of(st.integers(0, 59), st.integers(60, 300)),  # short lists, and lists of many pages
       updates=st.lists(st.lists(EDIT, min_size=1, max_size=3), max_size=5), some_counted=st.booleans())
def test_a_list_kept_from_the_last_update_is_cut_and_fingerprinted_as_one_made_afresh(count, updates, some_counted):
    """The preview keeps a list's cut while its items' keys and dates are the same, and each
    page's fingerprint while its fields and items are (render/kept_lists.kept_list), and counts its
    verdicts from the last update's counts (verdict_counts): after any run of updates, each of a few
    edits, what it keeps gives the pages, fingerprints and counts a list made afresh gives."""
    items = [Listed(dated(n), date_of(dated(n)), object(), "", RATINGS[n % 3], n % 2 == 0)
             for n in reversed(range(count))]

    layout = ["site.yml"]  # what every page shows of the list itself
    serial = itertools.count()  # a site's slugs are unique: so are the claims added
    # Every claim, or some (as a source's page counts the claims made in it).
    counted = (lambda claims: [claim for claim in claims if claim.appeared]) if some_counted else None

    def made(before, moved=None):
        shown = {item.slug: f"{item.text}/{id(item.claimant)}" for item in items}
        counts = verdict_counts(before, items, moved, tuple(layout), counted)
        # Counted on the newest page alone, as the lists count their claims by verdict:
        totals = lambda listing: (str(len(items)), repr(sorted(counts.items()))) if listing.is_newest else ()
        return kept_list(before, "listing", "topics/x/", items, moved, tuple(layout), counts, shown,
                         lambda listing: listing,
                         lambda listing: ((*layout, *listing.frame, *totals(listing)), listing.items))

    def edit(kind: str, number: int) -> None:
        at = number % max(len(items), 1)
        if kind == "settings":
            layout[0] = f"site.yml {number}"
        elif kind == "added" or not items:
            day = items[at].published if items else START
            items.insert(at, Listed(f"new-{number}-{next(serial)}", day, object(), ""))
        elif kind == "removed":
            del items[at]
        elif kind == "claimant":  # the same claim, linked to a claimant made again
            items[at].claimant = object()
        else:
            old = items.pop(at)
            day = old.published - dt.timedelta(days=number % 3) if kind == "redated" else old.published
            rating = RATINGS[number % 3] if kind == "rerated" else old.verdict
            items.insert(next((n for n, item in enumerate(items) if item.published <= day), len(items)),
                         Listed(old.slug, day, old.claimant, f"{kind} {number}", rating,
                                old.appeared != (kind == "appeared")))

    kept = made(None)
    for edits in updates:
        last = items
        items = list(items)  # a new list, as each assembly makes, which the one kept may be
        for kind, number in edits:
            edit(kind, number)
        # What came and went, as a patched assembly tells (model/assemble.Assembly.changes_since),
        # unless a claimant is another object: then the lists are compared whole.
        came = [item for item in items if all(item is not other for other in last)]
        went = [item for item in last if all(item is not other for other in items)]
        moved = None if any(kind == "claimant" for kind, _ in edits) else (came, went)
        kept, fresh = made(kept, moved), made(None)
        assert kept.counts == fresh.counts == count_by_verdict(counted(items) if counted else items)
        assert kept.prints == fresh.prints
        assert (kept.keys, kept.dates) == (fresh.keys, fresh.dates)
        assert [(page.url, list(map(id, page.items))) for page in kept.pages.values()] == \
               [(page.url, list(map(id, page.items))) for page in fresh.pages.values()]  # the very same claims
