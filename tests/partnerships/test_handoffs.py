from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from carebridge.partnerships.handoffs import Period, changes, count, summarise

UTC = dt.UTC
T0 = dt.datetime(2026, 1, 1, 9, tzinfo=UTC)


def at(days: int) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def test_first_allocation_is_not_a_handoff():
    assert count([Period(at(0), None, 1, 10)], at(-100), at(100)) == 0


def test_change_of_worker_and_of_team_count_same_pair_does_not():
    periods = [
        Period(at(0), at(10), 1, 10),
        Period(at(10), at(20), 1, 11),  # new worker
        Period(at(20), at(30), 2, 11),  # new team
        Period(at(40), None, 2, 11),  # reopened with the same worker
    ]
    assert changes(periods) == [at(10), at(20)]
    assert count(periods, at(0), at(100)) == 2
    assert count(periods, at(15), at(100)) == 1
    assert count(periods, at(10), at(10)) == 1  # inclusive
    assert count(list(reversed(periods)), at(0), at(100)) == 2  # order of input is irrelevant


def test_summary():
    s = summarise([0, 0, 1, 3, 4])
    assert (s.people, s.handoffs, s.none, s.three_or_more) == (5, 8, 2, 2)
    assert s.mean == 1.6 and s.share_none == 0.4 and s.median == 1
    assert summarise([]).mean is None


periods = st.lists(
    st.builds(
        lambda d, team, worker: Period(at(d), None, team, worker),
        st.integers(0, 365),
        st.sampled_from([1, 2, None]),
        st.sampled_from([10, 11, None]),
    ),
    max_size=12,
    unique_by=lambda p: p.start,
)


@given(periods, st.integers(-10, 400), st.integers(0, 400))
def test_windows_add_up(ps, a, length):
    b = a + length
    whole = count(ps, at(-1), at(1000))
    # Split the window in two halves: the parts add up to the whole.
    mid = at(a) + (at(b) - at(a)) / 2
    eps = dt.timedelta(microseconds=1)
    assert count(ps, at(a), mid) + count(ps, mid + eps, at(b)) == count(ps, at(a), at(b))
    assert 0 <= count(ps, at(a), at(b)) <= whole <= max(len(ps) - 1, 0)


@given(periods)
def test_all_same_holder_has_no_handoffs(ps):
    same = [p._replace(team_id=1, worker_id=10) for p in ps]
    assert count(same, at(-1), at(1000)) == 0


@given(periods)
def test_all_different_holders_each_later_allocation_is_a_handoff(ps):
    distinct = [p._replace(worker_id=i) for i, p in enumerate(ps)]
    assert count(distinct, at(-1), at(1000)) == max(len(ps) - 1, 0)
