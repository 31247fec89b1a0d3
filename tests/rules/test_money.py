"""Money as pages and letters show it, from one formatter."""

from decimal import Decimal

import pytest

from carebridge.rules.money import money, signed_money


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (None, ""),
        (Decimal("0"), "£0.00"),
        (Decimal("1234.5"), "£1,234.50"),
        (Decimal("-12"), "\N{MINUS SIGN}£12.00"),
        (67.71, "£67.71"),
        (250000, "£250,000.00"),
    ],
)
def test_money(amount, shown):
    assert money(amount) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (None, ""),
        (Decimal("12"), "+£12.00"),
        (Decimal("-12"), "\N{MINUS SIGN}£12.00"),
        (Decimal("0"), "£0.00"),
    ],
)
def test_signed_money(amount, shown):
    assert signed_money(amount) == shown
