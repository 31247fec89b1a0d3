import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebridge.rules import dates, names, postcode


@pytest.mark.parametrize(
    ("text", "expected"),
    [("nr12dh", "NR1 2DH"), (" NR1 2DH ", "NR1 2DH"), ("sw1a1aa", "SW1A 1AA"), ("M11AE", "M1 1AE")],
)
def test_postcodes_normalise(text, expected):
    assert postcode.parse(text) == expected


@pytest.mark.parametrize("text", ["", "NR1", "12345", "NR1 2D", "QQ1 1AA"])
def test_bad_postcodes_rejected(text):
    with pytest.raises(postcode.InvalidPostcode):
        postcode.parse(text)


def test_partial_postcode():
    assert postcode.is_partial_postcode("NR1")
    assert postcode.is_partial_postcode("nr1 2")
    assert not postcode.is_partial_postcode("NR1 2DH")


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "", ""), "Enter a date"),
        (("1", "", "2000"), "must include a month"),
        (("31", "2", "2000"), "must be a real date"),
        (("1", "13", "2000"), "must be a real date"),
        (("1", "1", "99"), "4 numbers"),
        (("a", "1", "2000"), "numbers only"),
    ],
)
def test_date_parts_errors(parts, message):
    with pytest.raises(dates.InvalidDate, match=message):
        dates.from_parts(*parts)


def test_leap_day():
    assert dates.from_parts("29", "2", "2024") == dt.date(2024, 2, 29)
    with pytest.raises(dates.InvalidDate):
        dates.from_parts("29", "2", "2023")


def test_birth_and_death_checks():
    today = dt.date(2026, 11, 22)
    assert dates.check_birth_and_death(dt.date(1950, 1, 1), None, today) == {}
    assert "date_of_birth" in dates.check_birth_and_death(dt.date(2027, 1, 1), None, today)
    assert "date_of_birth" in dates.check_birth_and_death(dt.date(1890, 1, 1), None, today)
    errors = dates.check_birth_and_death(dt.date(1950, 1, 1), dt.date(1949, 12, 31), today)
    assert errors == {"date_of_death": "Date of death must be the same as or after date of birth"}
    assert dates.check_birth_and_death(dt.date(1950, 1, 1), dt.date(1950, 1, 1), today) == {}


def test_age_on_birthday_edges():
    assert dates.age_on(dt.date(2000, 2, 29), dt.date(2018, 2, 28)) == 17
    assert dates.age_on(dt.date(2000, 2, 29), dt.date(2018, 3, 1)) == 18


names_st = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=14)


@given(names_st, st.data())
def test_one_typo_shares_a_search_key(name, data):
    """Symmetric-delete keys: a deletion, insertion, substitution or swap still matches."""
    i = data.draw(st.integers(0, len(name) - 1))
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    variants = [
        name[:i] + name[i + 1 :],  # deletion
        name[:i] + letter + name[i:],  # insertion
        name[:i] + letter + name[i + 1 :],  # substitution
    ]
    if i < len(name) - 1:
        variants.append(name[:i] + name[i + 1] + name[i] + name[i + 2 :])  # transposition
    stored = names.keys(name)
    for v in variants:
        if len(v) >= names.MIN_LENGTH_FOR_DELETIONS:
            assert stored & names.query_keys(v), (name, v)


def test_sound_alikes_and_accents():
    assert names.keys("Smith") & names.keys("Smyth")
    assert names.normalise("Zoë O'Brien-Smith") == "zoeobriensmith"
    assert names.split_query("Smith, Jane") == ("Jane", "Smith")
    assert names.split_query("Mary Jane Smith") == ("Mary Jane", "Smith")
