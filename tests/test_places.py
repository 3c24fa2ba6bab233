"""factsite/places.py: what was kept by place, carried to a list's new places."""

from __future__ import annotations

from hypothesis import given, strategies as st

from factsite.places import keys_gone, shift_between


@given(old=st.sets(st.integers(0, 40)), new=st.sets(st.integers(0, 40)))
def test_what_is_kept_by_place_is_carried_where_each_item_is_now(old, new):
    old, new = sorted(old), sorted(new)
    shift = shift_between(old, new, at_most=100)
    assert shift.carry(old) == [item if item in old else None for item in new]
    assert [shift.place(at) for at in range(len(old))] == [new.index(item) if item in new else None for item in old]


def test_a_list_changed_more_than_asked_for_has_no_shift():
    assert shift_between(["a", "b"], ["c", "d"], at_most=3) is None
    assert shift_between(["a", "b"], ["a", "c"], at_most=2) is not None


@given(old=st.sets(st.integers(0, 20)), now=st.sets(st.integers(0, 20)), remade=st.sets(st.integers(0, 20)))
def test_the_keys_that_went_are_found_with_or_without_looking_at_every_key(old, now, remade):
    # ``changed``: the keys of ``now`` new to it, and any others it holds with another value.
    changed = [key for key in sorted(now) if key not in old or key in remade]
    assert sorted(keys_gone(dict.fromkeys(old), dict.fromkeys(now), changed)) == sorted(old - now)
