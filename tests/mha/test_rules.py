"""The pure rules: which legal status may follow which (Mental Health Act 1983 s2, s4, s5,
s17A, s17G, s136; Part III), what ending one needs, and what the Act requires before an AMHP's
application (s2(3), s3(3), s4(3), s11(3)-(4), s12(2))."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebridge.rules import amhp
from carebridge.rules import legal_status as rules
from carebridge.rules import mental_health_act as mha
from carebridge.rules.amhp import Doctor
from carebridge.rules.mental_health_act import EndReason

CODES = [s.code for s in mha.SECTIONS]
UTC = dt.UTC


@pytest.mark.parametrize(
    ("old", "new", "how"),
    [
        ("s136", "s2", EndReason.REPLACED),
        ("s135_1", "s3", EndReason.REPLACED),
        ("s5_2", "s2", EndReason.REPLACED),
        ("s5_4", "s5_2", EndReason.REPLACED),
        ("s4", "s2", EndReason.REPLACED),
        ("s4", "s3", EndReason.REPLACED),
        ("s2", "s3", EndReason.REPLACED),
        ("s3", "s17a", EndReason.REPLACED),
        ("s37", "s17a", EndReason.REPLACED),
        ("s38", "s37", EndReason.REPLACED),
        ("s17a", "s3", EndReason.CTO_REVOKED),
        ("s2", "s2", None),  # s2 cannot be renewed (s2(4))
        ("s3", "s2", None),
        ("s2", "s17a", None),  # a CTO follows a detention for treatment only (s17A)
        ("s37_41", "s17a", None),  # restricted patients cannot have a CTO
        ("s136", "s17a", None),
        ("s136", "s135_1", None),
        ("s7", "s3", None),
    ],
)
def test_which_section_may_follow_which(old, new, how):
    assert rules.how_replaced(old, new) == how


def test_a_revoked_cto_returns_to_the_section_it_followed():
    assert rules.how_replaced("s17a", "s3", before_old="s3") == EndReason.CTO_REVOKED
    assert rules.how_replaced("s17a", "s37", before_old="s3") is None
    assert rules.how_replaced("s17a", "s37", before_old="s37") == EndReason.CTO_REVOKED
    assert rules.followers("s17a", before_old="s37") == ["s37"]


def test_unknown_sections_are_an_error_not_a_refusal():
    with pytest.raises(ValueError, match="not a Mental Health Act section"):
        rules.how_replaced("s99", "s2")


@given(old=st.sampled_from(CODES), new=st.sampled_from(CODES))
def test_a_replacement_is_never_refused_for_running_beside_the_one_it_replaces(old, new):
    if rules.how_replaced(old, new) is not None:
        assert rules.start_problem(new, [], replacing=old) == ""
        assert new != old


@given(current=st.sampled_from(mha.DETAINING), new=st.sampled_from(mha.DETAINING))
def test_never_two_detentions_at_once(current, new):
    assert "already detained" in rules.start_problem(new, [current])


@given(current=st.lists(st.sampled_from(CODES), max_size=2))
def test_a_cto_never_starts_on_its_own(current):
    assert "s17A" in rules.start_problem(mha.CTO, current)


def test_a_detention_can_start_beside_a_cto_or_guardianship_only_by_replacing_it():
    assert rules.start_problem("s136", ["s17a"]) == ""
    assert "already under" in rules.start_problem("s7", ["s17a"])


def _end(**kw):
    fields = {
        "code": "s3",
        "started_at": dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC),
        "ended_at": dt.datetime(2026, 4, 3, 10, 0, tzinfo=UTC),
        "reason": EndReason.DISCHARGED_BY_TRIBUNAL.value,
        "left_hospital_on": dt.date(2026, 4, 4),
        "ended_on": dt.date(2026, 4, 3),
        "now": dt.datetime(2026, 5, 1, tzinfo=UTC),
        "today": dt.date(2026, 5, 1),
    }
    return rules.end_problems(**{**fields, **kw})


def test_ending_a_status():
    assert _end() == {}
    assert _end(ended_at=dt.datetime(2026, 3, 1, tzinfo=UTC)) == {
        "ended_on": "The end cannot be before the start"
    }
    assert "future" in _end(ended_at=dt.datetime(2026, 6, 1, tzinfo=UTC))["ended_on"]
    assert _end(ended_at=None)["ended_on"] == "Enter the date it ended"
    assert _end(reason="replaced")["end_reason"] == "Select why it ended"  # by replacing only
    assert _end(reason="nonsense")["end_reason"] == "Select why it ended"
    assert (
        "before the detention ended"
        in _end(left_hospital_on=dt.date(2026, 4, 2))["left_hospital_on"]
    )
    assert "future" in _end(left_hospital_on=dt.date(2026, 5, 2))["left_hospital_on"]
    assert "not a detention in hospital" in _end(code="s17a")["left_hospital_on"]
    assert _end(code="s17a", left_hospital_on=None) == {}
    assert _end(reason=None) == {}  # ended by a replacement: no reason of its own


def _problems(outcome, doctors=None, **kw):
    fields = {
        "doctors": doctors
        if doctors is not None
        else [Doctor("Dr A", True, False), Doctor("Dr B", False, True)],
        "acquaintance_reason": "",
        "nr_contact": amhp.NR_CONSULTED,
        "nr_name": "Pat Relative",
        "nr_reason": "",
        "nr_objected": False,
    }
    return amhp.outcome_problems(outcome, **{**fields, **kw})


@pytest.mark.parametrize("outcome", [o for o, _ in amhp.OUTCOMES])
def test_a_well_founded_outcome_passes(outcome):
    assert _problems(outcome) == {}


def test_two_doctors_one_approved_under_s12_for_s2_and_s3():
    one = [Doctor("Dr A", True, True), Doctor("", False, False)]
    assert "two medical recommendations" in _problems(amhp.DETAINED_S2, one)["doctor_2_name"]
    unapproved = [Doctor("Dr A", False, True), Doctor("Dr B", False, False)]
    assert "section 12" in _problems(amhp.DETAINED_S3, unapproved)["doctor_1_s12"]
    same = [Doctor("Dr A", True, True), Doctor("dr a ", False, False)]
    assert "two different doctors" in _problems(amhp.DETAINED_S3, same)["doctor_2_name"]


def test_previous_acquaintance_or_the_reason_why_not():
    strangers = [Doctor("Dr A", True, False), Doctor("Dr B", False, False)]
    assert "s12(2)" in _problems(amhp.DETAINED_S2, strangers)["acquaintance_reason"]
    assert _problems(amhp.DETAINED_S2, strangers, acquaintance_reason="GP on leave") == {}


def test_section_4_needs_one_doctor():
    assert "s4(3)" in _problems(amhp.DETAINED_S4, [Doctor("", False, False)])["doctor_1_name"]
    assert _problems(amhp.DETAINED_S4, [Doctor("Dr A", False, True)]) == {}
    stranger = [Doctor("Dr A", False, False)]
    assert "s4(3)" in _problems(amhp.DETAINED_S4, stranger)["acquaintance_reason"]


def test_the_nearest_relative_before_section_3():
    informed = _problems(amhp.DETAINED_S3, nr_contact=amhp.NR_INFORMED)
    assert "s11(4)(b)" in informed["nr_contact"]
    assert _problems(amhp.DETAINED_S2, nr_contact=amhp.NR_INFORMED) == {}
    assert "s11(4)(a)" in _problems(amhp.DETAINED_S3, nr_objected=True)["nr_objected"]
    assert _problems(amhp.DETAINED_S2, nr_objected=True) == {}  # s11(3): informed, not a veto
    assert "s11(3)" in _problems(amhp.DETAINED_S2, nr_contact="")["nr_contact"]
    unreachable = _problems(amhp.DETAINED_S3, nr_contact=amhp.NR_NOT_PRACTICABLE)
    assert unreachable == {
        "nr_reason": "Say why the nearest relative was not consulted or informed"
    }
    assert (
        _problems(amhp.DETAINED_S3, nr_contact=amhp.NR_NONE, nr_reason="No relatives", nr_name="")
        == {}
    )
    assert _problems(amhp.DETAINED_S3, nr_name="")["nr_name"] == "Enter the nearest relative's name"


def test_outcomes_that_do_not_detain_need_no_doctors_or_nearest_relative():
    assert _problems(amhp.NO_FURTHER_ACTION, [], nr_contact="", nr_name="") == {}
    assert _problems("made_up") == {"outcome": "Select the outcome of the assessment"}
