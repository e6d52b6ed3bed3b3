"""Numbers as people type them: Swedish by default, English when the user chose English."""

from decimal import Decimal

import pytest

from portfolio.domain.numbers import parse_decimal


@pytest.mark.parametrize(("typed", "value"), [
    ("1 234,50", Decimal("1234.50")),
    ("1234,5", Decimal("1234.5")),
    ("1\u00a0234\u00a0567", Decimal("1234567")),
    ("1234.5", Decimal("1234.5")),
    ("-12,5", Decimal("-12.5")),
    ("\u221212,5", Decimal("-12.5")),
    ("1 200 kr", Decimal("1200")),
    ("1,234", Decimal("1.234")),  # a Swedish decimal comma
])
def test_swedish_input(typed, value):
    assert parse_decimal(typed) == value


@pytest.mark.parametrize(("typed", "value"), [
    ("1,234", Decimal("1234")),
    ("1,234.50", Decimal("1234.50")),
    ("12,345,678", Decimal("12345678")),
    ("1234.5", Decimal("1234.5")),
    ("-0.5", Decimal("-0.5")),
])
def test_english_input(typed, value):
    assert parse_decimal(typed, decimal_comma=False) == value


@pytest.mark.parametrize("typed", ["1,5", "12,34", "1,2345", ",5"])
def test_an_english_comma_that_does_not_group_thousands_is_refused_not_guessed(typed):
    with pytest.raises(ValueError):
        parse_decimal(typed, decimal_comma=False)


@pytest.mark.parametrize("typed", ["", "abc", "1,234.5", "1.2.3", "NaN", "Infinity", "12e3", "--1"])
def test_what_is_not_a_swedish_number_is_refused(typed):
    with pytest.raises(ValueError):
        parse_decimal(typed)
