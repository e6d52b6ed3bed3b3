"""Cost items as rows of a spreadsheet: the rules of a cost item, reading imported rows,
fingerprints that make a re-import add nothing, and cell escaping for export.

Pure: standard library only. Problems come back as codes (see :data:`ERROR_CODES`), never as
text, so the web layer words them in the user's language and this module stays free of Flask.

The spreadsheet format is Swedish whatever the user's language: the headers and the labels of
category, kind and phase are Swedish, and the English codes are accepted on import as well.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from . import limits
from .economics import CostCategory, CostKind, CostPhase
from .numbers import parse_decimal

__all__ = [
    "AMOUNT_PLACES",
    "COLUMNS",
    "ERROR_CODES",
    "MAX_AMOUNT",
    "MAX_IMPORT_ROWS",
    "MAX_NOTE_LENGTH",
    "MAX_YEAR",
    "MIN_YEAR",
    "CostValues",
    "ImportRow",
    "ParsedImport",
    "RowError",
    "check_cost",
    "escape_cell",
    "fingerprint",
    "normalise_note",
    "parse_rows",
    "unescape_cell",
    "validate_row",
]

#: Columns of the spreadsheet, in order: (key, Swedish header).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("category", "Kategori"),
    ("kind", "Typ"),
    ("phase", "Fas"),
    ("first_year", "Första år"),
    ("last_year", "Sista år"),
    ("amount", "Belopp (kr exkl. moms)"),
    ("note", "Notering"),
)
HEADERS: dict[str, str] = dict(COLUMNS)
REQUIRED_COLUMNS = ("category", "kind", "phase", "first_year", "amount")

#: The Swedish labels used in the spreadsheet (and accepted on import, in any case).
CATEGORY_LABELS: dict[CostCategory, str] = {
    CostCategory.PERSONNEL: "personal",
    CostCategory.LICENCE: "licens",
    CostCategory.HARDWARE: "hårdvara",
    CostCategory.SERVICES: "tjänster",
    CostCategory.TRAINING: "utbildning",
    CostCategory.SUPPORT: "stöd och förvaltning",
    CostCategory.OTHER: "övrigt",
}
KIND_LABELS: dict[CostKind, str] = {
    CostKind.ONE_OFF: "engångskostnad",
    CostKind.RECURRING: "återkommande per år",
}
PHASE_LABELS: dict[CostPhase, str] = {
    CostPhase.TEST: "test",
    CostPhase.IMPLEMENTATION: "införande",
    CostPhase.OPERATION: "drift",
}
# Shorter forms people type.
_KIND_ALIASES = {"engång": CostKind.ONE_OFF, "återkommande": CostKind.RECURRING}

MIN_YEAR = 2000
MAX_YEAR = 2100
#: Money (domain.limits.MONEY): whole öre, twelve digits before the decimal sign.
AMOUNT_PLACES = limits.MONEY.places
MAX_AMOUNT = limits.MONEY.maximum
MAX_NOTE_LENGTH = 2000
MAX_IMPORT_ROWS = 1000

#: Every problem code a caller must be able to word.
ERROR_CODES = frozenset({
    "required",  # a required cell is empty
    "unknown_category",
    "unknown_kind",
    "unknown_phase",
    "not_a_year",
    "year_out_of_range",
    "last_year_before_first",
    "last_year_one_off",  # a one-off cost has no last year
    "not_a_number",
    "negative",
    "too_many_decimals",
    "too_large",
    "too_long",
    # file-level
    "no_header",
    "missing_columns",
    "too_many_rows",
    "no_rows",
})

# A cell starting with one of these is read as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CostValues:
    """The values of one cost item, already checked against :func:`check_cost`."""

    category: CostCategory
    kind: CostKind
    phase: CostPhase
    first_year: int
    last_year: int | None
    amount: Decimal
    note: str = ""

    def to_list(self) -> list[str]:
        """A JSON-friendly form (all strings) that :func:`validate_row` reads back."""
        return [
            self.category.value,
            self.kind.value,
            self.phase.value,
            str(self.first_year),
            "" if self.last_year is None else str(self.last_year),
            str(self.amount),
            self.note,
        ]


@dataclass(frozen=True)
class RowError:
    """One problem: the spreadsheet row (1 = the header row), the column key and a code."""

    row: int
    column: str | None
    code: str
    detail: str = ""  # e.g. the missing column headers


@dataclass
class ImportRow:
    """One data row of an upload: its row number, its values when valid, else its errors."""

    number: int
    cells: dict[str, str]  # the cells as text, for the preview
    values: CostValues | None
    errors: list[RowError]
    duplicate: bool = False  # set by the caller: an identical cost item already exists


@dataclass
class ParsedImport:
    """An upload read row by row; `errors` are the problems of the file as a whole."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def all_errors(self) -> list[RowError]:
        """File problems first, then every row's, in row order."""
        return self.errors + [error for row in self.rows for error in row.errors]

    @property
    def ok(self) -> bool:
        """Whether the whole file may be imported (all or nothing)."""
        return not self.all_errors

    @property
    def values(self) -> list[CostValues]:
        """The valid rows' values, in file order."""
        return [row.values for row in self.rows if row.values is not None]


# --------------------------------------------------------------------------------------------
# Rules of a cost item (shared by the form and the import)
# --------------------------------------------------------------------------------------------


def check_cost(kind: CostKind | None, first_year: int | None, last_year: int | None,
               amount: Decimal | None, note: str = "") -> list[tuple[str, str]]:
    """The problems of a cost item as (field, code) pairs; empty when it may be saved.

    Fields that are None have already failed to parse and are not checked again here.
    """
    problems: list[tuple[str, str]] = []
    for name, year in (("first_year", first_year), ("last_year", last_year)):
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            problems.append((name, "year_out_of_range"))
    if last_year is not None:
        if kind is CostKind.ONE_OFF:
            problems.append(("last_year", "last_year_one_off"))
        elif first_year is not None and last_year < first_year:
            problems.append(("last_year", "last_year_before_first"))
    if amount is not None:
        if amount < 0:
            problems.append(("amount", "negative"))
        elif amount > MAX_AMOUNT:
            problems.append(("amount", "too_large"))
        elif _decimal_places(amount) > AMOUNT_PLACES:
            problems.append(("amount", "too_many_decimals"))
    if len(note) > MAX_NOTE_LENGTH:
        problems.append(("note", "too_long"))
    return problems


def _decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def normalise_note(note: str | None) -> str:
    """A note as it is stored: trimmed, with Unix line ends, without control characters
    (a NUL or an escape character copied from another program is invisible and breaks exports)."""
    return limits.without_control_characters((note or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


def fingerprint(values: CostValues) -> str:
    """A stable digest of a cost item's content, to find an identical existing item.

    Two items with the same category, kind, phase, years, amount (to the öre) and note have
    the same fingerprint, however the amount was typed (`1 234,5` and `1234.50`).
    """
    canonical = json.dumps(
        [
            values.category.value,
            values.kind.value,
            values.phase.value,
            values.first_year,
            values.last_year,
            str(values.amount.quantize(Decimal(1).scaleb(-AMOUNT_PLACES))),
            normalise_note(values.note),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------
# Cell escaping (formula injection)
# --------------------------------------------------------------------------------------------


def escape_cell(value: object) -> object:
    """A text cell made safe for a spreadsheet: a leading `= + - @`, tab or CR gets a `'`, and
    control characters (a NUL, a bell, an escape: invalid in the file format) are removed.

    Spreadsheet programs run such text as a formula (CSV/formula injection); the apostrophe
    makes it plain text. Numbers and other types pass unchanged.
    """
    if not isinstance(value, str):
        return value
    value = limits.without_control_characters(value)
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """Undo :func:`escape_cell`, so an exported file imports back to the same text."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_STARTS):
        return value[1:]
    return value


# --------------------------------------------------------------------------------------------
# Reading rows
# --------------------------------------------------------------------------------------------


def _key(text: str) -> str:
    """Labels and codes compared without case, surrounding space or `-`/`_` differences."""
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def _lookup(enum_cls, labels: Mapping, aliases: Mapping | None = None) -> dict[str, object]:
    table: dict[str, object] = {}
    for member in enum_cls:
        table[_key(member.value)] = member
        table[_key(labels[member])] = member
    for alias, member in (aliases or {}).items():
        table[_key(alias)] = member
    return table


_CATEGORIES = _lookup(CostCategory, CATEGORY_LABELS)
_KINDS = _lookup(CostKind, KIND_LABELS, _KIND_ALIASES)
_PHASES = _lookup(CostPhase, PHASE_LABELS)
_HEADER_KEYS = {**{_key(header): key for key, header in COLUMNS}, **{_key(key): key for key, _ in COLUMNS}}
_HEADER_KEYS[_key("Belopp")] = "amount"


def cell_text(value: object) -> str:
    """A cell as the text a user would see: numbers without a trailing `.0`, dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, float):
        # 15 significant digits is what spreadsheet programs show: 0.1 + 0.2 reads 0.3.
        text = format(value, ".15g")
        return text if "e" not in text else format(Decimal(text), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _year(text: str) -> int:
    compact = text.replace(" ", "").replace("\u00a0", "")
    if compact.endswith(".0"):  # a year typed as a number in some spreadsheet programs
        compact = compact[:-2]
    if not compact.isascii() or not compact.isdigit() or len(compact) > 6:
        raise ValueError(text)
    return int(compact)


def validate_row(cells: Mapping[str, object], number: int) -> ImportRow:
    """Check one row's cells (keyed by column key) and return it with its values or errors."""
    text = {key: cell_text(cells.get(key)).strip() for key, _ in COLUMNS}
    text["note"] = unescape_cell(normalise_note(cell_text(cells.get("note"))))
    errors: list[RowError] = []

    def fail(column: str, code: str) -> None:
        errors.append(RowError(number, column, code))

    for column in REQUIRED_COLUMNS:
        if not text[column]:
            fail(column, "required")

    category = kind = phase = None
    if text["category"]:
        category = _CATEGORIES.get(_key(text["category"]))
        if category is None:
            fail("category", "unknown_category")
    if text["kind"]:
        kind = _KINDS.get(_key(text["kind"]))
        if kind is None:
            fail("kind", "unknown_kind")
    if text["phase"]:
        phase = _PHASES.get(_key(text["phase"]))
        if phase is None:
            fail("phase", "unknown_phase")

    years: dict[str, int | None] = {"first_year": None, "last_year": None}
    for column in years:
        if text[column]:
            try:
                years[column] = _year(text[column])
            except ValueError:
                fail(column, "not_a_year")

    amount = None
    if text["amount"]:
        try:
            amount = parse_decimal(text["amount"])
        except ValueError:
            fail("amount", "not_a_number")

    for column, code in check_cost(kind, years["first_year"], years["last_year"], amount, text["note"]):
        fail(column, code)

    values = None
    if not errors:
        values = CostValues(
            category=category, kind=kind, phase=phase,  # type: ignore[arg-type]
            first_year=years["first_year"], last_year=years["last_year"],  # type: ignore[arg-type]
            amount=amount.quantize(Decimal(1).scaleb(-AMOUNT_PLACES)),  # type: ignore[union-attr]
            note=text["note"],
        )
    return ImportRow(number=number, cells=text, values=values, errors=errors)


def _blank(row: Sequence[object]) -> bool:
    return all(cell_text(cell).strip() == "" for cell in row)


def parse_rows(rows: Iterable[Sequence[object]], *, max_rows: int = MAX_IMPORT_ROWS) -> ParsedImport:
    """Read a table whose first non-empty row is the header; every later row is a cost item.

    Headers are matched without case (the Swedish headers or the column keys); unknown
    columns are ignored and empty rows skipped. Row numbers count from the first row of the
    table, as a spreadsheet program shows them. More than `max_rows` data rows is an error
    of the file, and reading stops there.
    """
    parsed = ParsedImport()
    columns: dict[int, str] | None = None
    data_rows = 0
    for number, row in enumerate(rows, start=1):
        if _blank(row):
            continue
        if columns is None:
            columns = {}
            for index, cell in enumerate(row):
                key = _HEADER_KEYS.get(_key(cell_text(cell)))
                if key is not None and key not in columns.values():
                    columns[index] = key
            missing = [HEADERS[key] for key in REQUIRED_COLUMNS if key not in columns.values()]
            if missing:
                parsed.errors.append(RowError(number, None, "missing_columns", ", ".join(missing)))
                return parsed
            continue
        data_rows += 1
        if data_rows > max_rows:
            parsed.errors.append(RowError(number, None, "too_many_rows", str(max_rows)))
            return parsed
        cells = {key: row[index] if index < len(row) else None for index, key in columns.items()}
        parsed.rows.append(validate_row(cells, number))
    if columns is None:
        parsed.errors.append(RowError(1, None, "no_header"))
    elif not parsed.rows:
        parsed.errors.append(RowError(1, None, "no_rows"))
    return parsed
