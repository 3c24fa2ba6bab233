"""What reading made of each file at the last update, given again while what it was made from
is the same.

A long-running preview reads the whole content on every save, and most files are as they
were: the file cache (filecache.py) gives back each unchanged file's parsed record, the same
object every time, and the claim, source or settings made from it need not be made again.
Each result is kept with what it was made from, its *inputs*: the record, and the other
objects it links to (a claim's verdict, the sources it cites). It is given again only while
every input is the very same object, or an equal plain value (a file's signature), and then
with the warnings and errors that making it reported.

A build that keeps nothing (the CLI's, a first update) makes everything, through the same
functions: there is one way to read content, with or without what was kept.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from typing import TypeVar

from ..errors import Problems

T = TypeVar("T")
_reported = operator.itemgetter(2)  # of a kept (inputs, result, what making it reported)


class Reuse:
    """Results by what they were made from, kept from one update to the next."""

    def __init__(self):
        self.last: dict = {}  # by key: (inputs, result, what making it reported)
        self.now: dict = {}
        self.replaced: list = []  # (key, what was kept last time) for each result this update made again
        self.made_now: list = []  # the key of each result this update made
        self.update = 0  # the number of the update it last kept: see next_update
        self.interrupted = False  # an update stopped part-way since the last one kept (abandon)

    def made(self, key, inputs: tuple, make: Callable[[Problems], T], problems: Problems) -> T:
        """``make(problems)``, or what it gave last time for ``key`` if ``inputs`` are the same;
        either way, what it reported goes to ``problems``."""
        # A tuple compares its items by identity first, and the model's classes compare by
        # identity only (eq=False): a result links to its inputs, so an equal copy would not do.
        # Plain values (a signature, a flag) compare by value. The kept inputs hold their
        # objects, so no other object can take their id meanwhile. (Spelt out here and in
        # computed(), without a function of its own: asked of every claim on every update.)
        kept = self.last.get(key)
        if kept is not None and kept[0] == inputs:
            self.now[key] = kept
        else:
            kept = self._made_again(key, inputs, make)
        problems.items.extend(kept[2])
        return kept[1]

    def computed(self, key, inputs: tuple, compute: Callable[[], T]) -> T:
        """made(), for a result that reports nothing (what rendering works out: render/kept.py)."""
        kept = self.last.get(key)  # (as made() compares)
        if kept is not None and kept[0] == inputs:
            self.now[key] = kept
            return kept[1]
        return self._made_again(key, inputs, lambda reported: compute())[1]

    def carried(self, changed) -> None:
        """Give again every result kept last time but those of the ``changed`` keys, without
        comparing their inputs: for a caller that knows nothing else changed, and asks for those
        (render/claim_rows.py). Their inputs and results go to changed_inputs() as usual."""
        self.now = dict(self.last)
        for key in changed:
            self.now.pop(key, None)

    def carry(self, keys, problems: Problems | None = None) -> None:
        """Give again what was kept for each of ``keys`` last time, without comparing its inputs,
        with what making it reported: for a caller that knows they are the same."""
        kept = list(map(self.last.__getitem__, keys))
        self.now.update(zip(keys, kept))
        if problems is not None:
            problems.items.extend(itertools.chain.from_iterable(map(_reported, kept)))

    def carry_all_but(self, keys: list, places: list[int], problems: Problems | None = None) -> list:
        """carry() each of ``keys`` (None where nothing was kept) but those at ``places``, which the
        caller makes again: for what is kept by place (read/claims_kept.py, read/translations.py,
        model/editions.py). Returns the keys with None at those places, for the caller to fill."""
        keys = list(keys)
        for at in places:
            keys[at] = None
        self.carry([*filter(None, keys)], problems)
        return keys

    def results(self, keys) -> list:
        """This update's result for each of ``keys``, each of which it made or gave again."""
        now = self.now
        return [now[key][1] for key in keys]

    def given_unchecked(self, key):
        """What was made for ``key`` last time, given again without comparing its inputs: for a
        caller that compared them itself (model/editions.py, which compares a few of them)."""
        kept = self.now[key] = self.last[key]
        return kept[1]

    def remade(self, key, inputs: tuple, compute: Callable[[], T]) -> T:
        """computed(), made again even if ``inputs`` are the same: for a caller that knows that
        something they do not cover changed (render/claim_rows.unchanged_lists)."""
        return self._made_again(key, inputs, lambda reported: compute())[1]

    def _made_again(self, key, inputs: tuple, make: Callable[[Problems], T]) -> tuple:
        if key in self.last:
            self.replaced.append((key, self.last[key]))
        reported = Problems()
        kept = self.now[key] = (inputs, make(reported), reported.items)
        self.made_now.append(key)
        return kept

    def inputs(self, key) -> tuple | None:
        """What was made for ``key`` last time was made from, if anything."""
        kept = self.last.get(key)
        return None if kept is None else kept[0]

    def reported(self, key) -> list | None:
        """What making what was kept for ``key`` reported last time, if anything was kept."""
        kept = self.last.get(key)
        return None if kept is None else kept[2]

    def kept(self, key):
        """What was made for ``key`` last time, if anything."""
        kept = self.last.get(key)
        return None if kept is None else kept[1]

    def dropped(self) -> list:
        """The results kept last time that this update did not give again."""
        return [kept[1] for kept in self._not_given_again()]

    def changed_inputs(self) -> list[tuple]:
        """The inputs of each result this update made, and of each kept last time that it did not
        give again: what differs from the last update, on both sides."""
        return [self.now[key][0] for key in self.made_now] + [kept[0] for kept in self._not_given_again()]

    def _not_given_again(self) -> list[tuple]:
        # Those of keys this update did not ask for, and those it made again (unless a later ask
        # gave them back): not every kept result compared with this update's, which a preview of
        # 10,000 claims would do on every save. In no order that matters.
        replaced = [kept for key, kept in self.replaced if self.now.get(key) is not kept]
        # Every key this update has that the last had not, it made: if the rest are as many as the
        # last update's keys, it has them all, which is then known without hashing them all again.
        new = {key for key in self.made_now if key not in self.last}
        if len(self.now) - len(new) == len(self.last):
            return replaced
        return replaced + [self.last[key] for key in self.last.keys() - self.now.keys()]

    def abandon(self) -> None:
        """Forget what this update made so far, and keep the last update's for the next: a read
        that stopped before the files were read, or crashed part-way (which ``interrupted`` then
        tells, until the next update is kept)."""
        self.interrupted = self.interrupted or bool(self.now)
        self.now, self.replaced, self.made_now = {}, [], []

    def next_update(self, number: int | None = None) -> None:
        """Keep only what this update made or gave again. ``number``: the update's, for results
        kept in step with another Reuse (render/renderer.Renderer.changes_since); by default, one
        more than the last."""
        self.last, self.now, self.replaced, self.made_now = self.now, {}, [], []
        self.update = self.update + 1 if number is None else number
        self.interrupted = False

