"""Reading cost rows from a spreadsheet: Swedish labels and numbers, errors per row and column,
fingerprints that make a re-import idempotent, and escaping of formula-like cells."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portfolio.domain.cost_import import (
    COLUMNS,
    CostValues,
    check_cost,
    escape_cell,
    fingerprint,
    parse_rows,
    unescape_cell,
    validate_row,
)
from portfolio.domain.economics import CostCategory, CostKind, CostPhase

HEADER = [header for _key, header in COLUMNS]


def row(category="licens", kind="engångskostnad", phase="införande", first="2027", last="", amount="1 234,50",
        note=""):
    return [category, kind, phase, first, last, amount, note]


def codes(parsed_row):
    return [(error.column, error.code) for error in parsed_row.errors]


def test_swedish_labels_in_any_case_and_english_codes_are_accepted():
    parsed = parse_rows([
        HEADER,
        row("Stöd och förvaltning", "ÅTERKOMMANDE PER ÅR", "Drift", "2027", "2029", "12 000"),
        row("personnel", "one_off", "implementation", amount="1234.5"),
        row("hardware", "one-off", "test", amount="99"),
    ])
    assert parsed.ok
    first, second, third = parsed.values
    assert (first.category, first.kind, first.phase) == (CostCategory.SUPPORT, CostKind.RECURRING, CostPhase.OPERATION)
    assert (first.first_year, first.last_year, first.amount) == (2027, 2029, Decimal("12000.00"))
    assert (second.category, second.kind, second.amount) == (CostCategory.PERSONNEL, CostKind.ONE_OFF,
                                                             Decimal("1234.50"))
    assert third.phase is CostPhase.TEST


@pytest.mark.parametrize("typed, expected", [
    ("1 234,50", "1234.50"), ("1234,5", "1234.50"), ("1\u00a0234", "1234.00"), ("0", "0.00"), ("12,50 kr", "12.50"),
])
def test_amounts_are_read_as_swedes_write_them(typed, expected):
    assert validate_row(dict(zip([k for k, _ in COLUMNS], row(amount=typed))), 2).values.amount == Decimal(expected)


def test_spreadsheet_numbers_arrive_as_numbers():
    cells = dict(zip([k for k, _ in COLUMNS], ["licens", "engångskostnad", "test", 2027.0, None, 0.1 + 0.2, None]))
    values = validate_row(cells, 2).values
    assert values.first_year == 2027
    assert values.amount == Decimal("0.30")  # what the spreadsheet shows, not the binary float


@pytest.mark.parametrize("cells, expected", [
    (row(category="möbler"), [("category", "unknown_category")]),
    (row(kind="ibland"), [("kind", "unknown_kind")]),
    (row(phase="planering"), [("phase", "unknown_phase")]),
    (row(first="tjugo"), [("first_year", "not_a_year")]),
    (row(first="1850"), [("first_year", "year_out_of_range")]),
    (row(amount="-5"), [("amount", "negative")]),
    (row(amount="tusen"), [("amount", "not_a_number")]),
    (row(amount="1,234"), [("amount", "too_many_decimals")]),
    (row(amount="1 000 000 000 000"), [("amount", "too_large")]),
    (row(last="2029"), [("last_year", "last_year_one_off")]),
    (row(kind="återkommande per år", first="2028", last="2027"), [("last_year", "last_year_before_first")]),
    (row(note="x" * 2001), [("note", "too_long")]),
    (row(category="", amount=""), [("category", "required"), ("amount", "required")]),
])
def test_each_problem_is_reported_with_its_column(cells, expected):
    parsed = validate_row(dict(zip([k for k, _ in COLUMNS], cells)), 7)
    assert parsed.values is None
    assert codes(parsed) == expected
    assert all(error.row == 7 for error in parsed.errors)


def test_a_date_is_not_a_year():
    cells = dict(zip([k for k, _ in COLUMNS], row(first=dt.datetime(2027, 1, 1))))
    assert codes(validate_row(cells, 2)) == [("first_year", "not_a_year")]


def test_row_numbers_count_as_the_spreadsheet_does_and_blank_rows_are_skipped():
    parsed = parse_rows([[], HEADER, row(), ["", None, ""], row(amount="-1")])
    assert [r.number for r in parsed.rows] == [3, 5]
    assert [(e.row, e.column, e.code) for e in parsed.all_errors] == [(5, "amount", "negative")]
    assert not parsed.ok


def test_columns_are_found_by_header_in_any_order_and_unknown_ones_ignored():
    parsed = parse_rows([
        ["Belopp", "kategori", "Extra", "FAS", "Typ", "Första år"],
        ["500", "licens", "ignoreras", "drift", "engångskostnad", "2027"],
    ])
    assert parsed.ok
    assert parsed.values[0].amount == Decimal("500.00")


def test_missing_columns_empty_files_and_too_many_rows_are_file_errors():
    missing = parse_rows([["Kategori", "Typ"], ["licens", "engångskostnad"]])
    assert [(e.code, e.detail) for e in missing.errors] == [("missing_columns", "Fas, Första år, "
                                                                                "Belopp (kr exkl. moms)")]
    assert [e.code for e in parse_rows([]).errors] == ["no_header"]
    assert [e.code for e in parse_rows([HEADER]).errors] == ["no_rows"]
    too_many = parse_rows([HEADER] + [row()] * 4, max_rows=3)
    assert [e.code for e in too_many.errors] == ["too_many_rows"]
    assert not too_many.ok


def test_fingerprint_ignores_how_the_amount_was_written_but_not_the_content():
    base = CostValues(CostCategory.LICENCE, CostKind.ONE_OFF, CostPhase.TEST, 2027, None, Decimal("1234.5"), "Avtal")
    same = CostValues(CostCategory.LICENCE, CostKind.ONE_OFF, CostPhase.TEST, 2027, None, Decimal("1234.50"),
                      " Avtal\r\n")
    other = CostValues(CostCategory.LICENCE, CostKind.ONE_OFF, CostPhase.TEST, 2027, None, Decimal("1234.51"), "Avtal")
    assert fingerprint(base) == fingerprint(same)
    assert fingerprint(base) != fingerprint(other)


@pytest.mark.parametrize("text", ["=1+1", "+46 8 123", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_escaped_and_reads_back_unchanged(text):
    escaped = escape_cell(text)
    assert escaped == "'" + text
    assert unescape_cell(escaped) == text


def test_plain_text_and_numbers_are_not_escaped():
    assert escape_cell("Licens för 20 förskolor") == "Licens för 20 förskolor"
    assert escape_cell(Decimal("-5")) == Decimal("-5")
    assert unescape_cell("'citat'") == "'citat'"


def test_an_escaped_note_imports_as_the_original_text():
    cells = dict(zip([k for k, _ in COLUMNS], row(note="'=HYPERLINK(\"http://x\")")))
    assert validate_row(cells, 2).values.note == '=HYPERLINK("http://x")'


def test_values_survive_their_list_form():
    values = CostValues(CostCategory.SUPPORT, CostKind.RECURRING, CostPhase.OPERATION, 2027, 2030,
                        Decimal("100.00"), "Drift; förvaltning")
    again = validate_row(dict(zip([k for k, _ in COLUMNS], values.to_list())), 2).values
    assert again == values


def test_check_cost_is_the_rule_of_the_form_too():
    assert check_cost(CostKind.RECURRING, 2027, None, Decimal("10"), "") == []
    assert check_cost(CostKind.ONE_OFF, 2027, 2028, Decimal("10"), "") == [("last_year", "last_year_one_off")]
