"""rules.carers: the checks on an offer of a carer's assessment and the carer's answer, and the
day a carer comes of age (s10(3))."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st

from carebridge.rules import carers
from carebridge.rules.dates import age_on

TODAY = dt.date(2026, 6, 15)
days = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 1, 1))


@given(
    offered_on=days,
    response=st.sampled_from([carers.AWAITING, carers.ACCEPTED, carers.DECLINED]),
    responded_on=st.none() | days,
    reason=st.sampled_from(["", "   ", "I can manage"]),
)
def test_an_offer_may_be_recorded_exactly_when_its_dates_and_answer_agree(
    offered_on, response, responded_on, reason
):
    errors = carers.offer_errors(
        offered_on=offered_on,
        response=response,
        responded_on=responded_on,
        declined_reason=reason,
        today=TODAY,
    )
    if response == carers.AWAITING:
        answer_ok = responded_on is None
    else:
        answer_ok = responded_on is not None and offered_on <= responded_on <= TODAY
    # A reason, in the carer's words, goes with a refusal and only with one.
    answer_ok = answer_ok and (response == carers.DECLINED) == bool(reason.strip())
    assert (not errors) == (offered_on <= TODAY and answer_ok)
    assert ("offered_on" in errors) == (offered_on > TODAY)


def test_messages_say_what_to_do():
    errors = carers.offer_errors(
        offered_on=TODAY,
        response=carers.DECLINED,
        responded_on=None,
        declined_reason="",
        today=TODAY,
    )
    assert errors == {
        "responded_on": "Enter the date of the carer's response",
        "declined_reason": "Enter the carer's reason for declining, in their words",
    }
    assert carers.offer_errors(
        offered_on=TODAY, response="maybe", responded_on=None, declined_reason="", today=TODAY
    ) == {"response": "Select the carer's response"}


@settings(max_examples=400)
@given(born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)))
@example(born=dt.date(1930, 3, 1))  # 18 years on is a leap year
@example(born=dt.date(2008, 2, 29))
@example(born=dt.date(2008, 2, 28))
def test_a_carer_comes_of_age_on_their_18th_birthday(born):
    adult = carers.adult_on(born)
    assert age_on(born, adult) == carers.ADULT_AGE_YEARS
    assert age_on(born, adult - dt.timedelta(days=1)) == carers.ADULT_AGE_YEARS - 1
