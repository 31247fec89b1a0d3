import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebridge.rules import nhs_number


def test_documented_example_is_valid():
    # NHS Data Dictionary worked example: 943 476 5919.
    assert nhs_number.parse("943 476 5919").digits == "9434765919"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter an NHS number"),
        ("943476591", "10 digits long; you entered 9 digits"),
        ("94347659199", "you entered 11 digits"),
        ("943476591X", "only numbers"),
        ("9434765918", "check digit does not match"),
    ],
)
def test_invalid_numbers_say_why(text, message):
    with pytest.raises(nhs_number.InvalidNHSNumber, match=message):
        nhs_number.parse(text)


def test_remainder_of_ten_is_never_valid():
    # 999000001x: find nine digits whose check digit would be 10; no tenth digit makes them valid.
    nine = next(
        f"999{n:06d}" for n in range(10**6) if nhs_number.check_digit(f"999{n:06d}") is None
    )
    assert not any(nhs_number.is_valid(nine + str(d)) for d in range(10))


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_generated_numbers_validate_and_any_single_digit_change_fails(nine):
    c = nhs_number.check_digit(nine)
    if c is None:
        return
    number = nine + str(c)
    assert nhs_number.is_valid(number)
    assert nhs_number.is_valid(f"{number[:3]} {number[3:6]} {number[6:]}")
    for i in range(10):
        for d in "0123456789":
            if d != number[i]:
                assert not nhs_number.is_valid(number[:i] + d + number[i + 1 :])


def test_formatted():
    assert nhs_number.parse("9434765919").formatted() == "943 476 5919"
