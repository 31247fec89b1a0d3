"""The generator's pure parts: code tables, NHS numbers, rosters, service terms."""

from __future__ import annotations

import random

import pytest

from carebridge.demo import distributions as d
from carebridge.demo import history, population
from carebridge.demo.county import DEMO_ACCOUNTS, PEOPLE_PER_WORKER, TEAM_SPECS, _roster
from carebridge.rules import cld, nhs_number


def test_a_table_with_a_value_outside_its_code_list_is_refused():
    with pytest.raises(ValueError, match="not in its code list"):
        d.cld_table(cld.GENDER, {"Female": 1, "Woman": 1})
    with pytest.raises(ValueError, match="not in its code list"):
        d.require(cld.EVENT_OUTCOME, "NFA: Because")


def test_weighted_picks_follow_their_weights():
    table = d.cld_table(cld.GENDER, {"Female": 3, "Male": 1})
    rng = random.Random(1)
    picks = [table.pick(rng) for _ in range(4000)]
    assert 0.7 < picks.count("Female") / len(picks) < 0.8
    assert set(picks) == {"Female", "Male"}


def test_nhs_numbers_are_distinct_valid_test_numbers():
    numbers = population.nhs_numbers(random.Random(5), 5000)
    assert len(numbers) == len(set(numbers)) == 5000
    assert all(n.startswith("999") and nhs_number.is_valid(n) for n in numbers)
    assert population.nhs_numbers(random.Random(5), 50) == population.nhs_numbers(
        random.Random(5), 50
    )


def test_the_roster_has_every_demo_account_and_scales_with_people():
    small = _roster(100)
    for account in DEMO_ACCOUNTS:
        assert (account.team_key, account.role) in small
    big = _roster(50_000)
    assert len(big) == round(50_000 / PEOPLE_PER_WORKER)
    teams = {key for key, _ in big}
    assert teams == set(TEAM_SPECS)


def test_service_terms_are_coded_and_costed():
    rng = random.Random(2)
    person = history.PersonSim(
        pk=1,
        carer=False,
        psr="Learning disability support",
        profile=d.NEW_LTS,
        older=False,
        age=30,
        gender="Male",
        ethnicity=d.ETHNICITY.values[0],
        town=0,
        dies=False,
    )
    for component in history.COSTS:
        mechanism, cost, frequency, units, _ = history.service_terms(
            rng, d.LTS_COMMUNITY, component, person
        )
        assert mechanism in cld.codes(cld.DELIVERY_MECHANISM)
        assert frequency in cld.codes(cld.COST_FREQUENCY)
        assert cost >= 0 and cost.as_tuple().exponent == -2
        # Units as a care plan records them (the CLD return's cost check needs them): one for a
        # one-off cost, none when there is no charge.
        assert units is not None and (units > 0 or frequency == d.NO_CHARGE)
