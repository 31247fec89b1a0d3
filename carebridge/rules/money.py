"""Money as people read it on pages and in letters: pounds and pence, thousands separated, a
true minus sign. One home, so a page and the letter about it never show an amount differently."""

from __future__ import annotations

from decimal import Decimal

MINUS = "\N{MINUS SIGN}"


def money(amount: Decimal | int | None) -> str:
    """£1,234.50; a true minus sign before a negative amount; empty when there is none."""
    if amount is None:
        return ""
    if amount < 0:
        return f"{MINUS}£{-amount:,.2f}"
    return f"£{amount:,.2f}"


def signed_money(amount: Decimal | int | None) -> str:
    """A difference: +£12.00, minus sign and £12.00, or £0.00."""
    if amount is None:
        return ""
    return f"+{money(amount)}" if amount > 0 else money(amount)
