"""The templates' ``url()`` gives exactly what ``reverse`` gives, for every named URL."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from carebridge.jinja2 import url
from tests.access.test_permission_matrix import _patterns

SAMPLES = {
    0: [()],
    1: [("P0001234",), ("42",), ("a-b_c",)],
    2: [("P0001234", "7"), ("P1", "9"), ("42", "7")],
}


def _named():
    return sorted({name for name, route in _patterns() if name and not route.startswith("admin/")})


@pytest.mark.parametrize("name", _named())
def test_url_matches_reverse_for_every_view(name):
    checked = 0
    for samples in SAMPLES.values():
        for args in samples:
            try:
                expected = reverse(name, args=args or None)
            except NoReverseMatch:
                continue
            assert url(name, *args) == expected
            assert url(name, *args) == expected  # and again, from the cache
            checked += 1
    for args in (("P0001234", "3", "needs"), ("P0001234", "3", "12")):
        try:
            expected = reverse(name, args=args)
        except NoReverseMatch:
            continue
        assert url(name, *args) == expected
        checked += 1
    assert checked, f"no sample arguments fit {name}"


def test_arguments_that_need_quoting_go_through_reverse():
    assert url("people:detail", "P 1") == reverse("people:detail", args=["P 1"])
    with pytest.raises(NoReverseMatch):
        url("people:detail", "P1/2")  # not a person ID: reverse refuses it, so does url()


def test_unknown_view_is_still_an_error():
    with pytest.raises(NoReverseMatch):
        url("people:no-such-view")
