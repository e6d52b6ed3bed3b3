"""Cost items in and out of spreadsheets: .xlsx export, .xlsx and .csv upload.

Uploads are untrusted. Before a byte is parsed the file must be small, of an allowed type
and, for .xlsx, a zip archive whose parts stay small when unpacked (zip bombs); openpyxl
then reads its XML through defusedxml, which refuses entity tricks (XML bombs, external
entities). Anything that still fails to parse is a corrupt file: a message, never a 500.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import zipfile
from collections.abc import Iterator, Sequence
from decimal import Decimal

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from portfolio.domain.cost_import import (
    CATEGORY_LABELS,
    COLUMNS,
    KIND_LABELS,
    MAX_IMPORT_ROWS,
    PHASE_LABELS,
    CostValues,
    ParsedImport,
    RowError,
    escape_cell,
    parse_rows,
)

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 1024 * 1024
#: Unpacked size of all parts of an .xlsx: a 1 000-row cost sheet is a few hundred kB.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_ZIP_MEMBERS = 100
#: Columns read per row: the cost sheet has 7; the rest of a wide sheet is ignored.
MAX_COLUMNS = 30
ALLOWED_EXTENSIONS = (".xlsx", ".csv")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE = "Kostnader"
INSTRUCTIONS_TITLE = "Instruktioner"


#: The most rows a sheet may declare: the cost rows, a header and some blank rows. A larger
#: declared size is refused before any row is read (a 5 kB file can declare a million rows,
#: and reading them cost seconds of CPU).
MAX_SHEET_ROWS = MAX_IMPORT_ROWS + 100


class _TooManyRows(Exception):
    """The sheet declares (or holds) more rows than an import may have."""


class SpreadsheetError(Exception):
    """A file that cannot be read; `code` is one of too_large, wrong_type, corrupt, encoding, empty."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.detail = detail


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def extension_of(filename: str | None) -> str:
    """The lower-case extension of an uploaded file's name, with its dot ('' if none)."""
    name = (filename or "").strip().lower()
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else ""


def parse_upload(filename: str | None, data: bytes) -> ParsedImport:
    """Read an uploaded .xlsx or .csv file into checked rows (see `domain.cost_import`).

    Raises SpreadsheetError for a file that is too large, of another type, or unreadable.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpreadsheetError("too_large")
    if not data:
        raise SpreadsheetError("empty")
    extension = extension_of(filename)
    if extension == ".xlsx":
        rows = _xlsx_rows(data)
    elif extension == ".csv":
        rows = _csv_rows(data)
    else:
        raise SpreadsheetError("wrong_type")
    try:
        return parse_rows(rows, max_rows=MAX_IMPORT_ROWS)
    except _TooManyRows:
        parsed = ParsedImport()
        parsed.errors.append(RowError(MAX_SHEET_ROWS + 1, None, "too_many_rows", str(MAX_IMPORT_ROWS)))
        return parsed
    except SpreadsheetError:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure on an untrusted file is "corrupt"
        log.info("Unreadable %s upload: %r (%r)", extension, error, error.__cause__ or error.__context__)
        raise SpreadsheetError("corrupt") from None


def _xlsx_rows(data: bytes) -> Iterator[list[object]]:
    if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        log.error("defusedxml is not in use by openpyxl; refusing .xlsx uploads")
        raise SpreadsheetError("wrong_type")
    if not data.startswith(b"PK\x03\x04"):
        raise SpreadsheetError("corrupt")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SpreadsheetError("corrupt") from None
    # The declared sizes are enforced by zipfile while unpacking, so checking them is enough.
    if len(members) > MAX_ZIP_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise SpreadsheetError("corrupt")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # noqa: BLE001 - see parse_upload
        log.info("Unreadable .xlsx upload: %r (%r)", error, error.__cause__ or error.__context__)
        raise SpreadsheetError("corrupt") from None
    return _sheet_rows(workbook)


def _declared_rows(sheet) -> int | None:
    """The number of rows the sheet's <dimension> declares (None when it declares none)."""
    try:
        return sheet.max_row
    except (TypeError, ValueError):
        return None


def _sheet_rows(workbook) -> Iterator[list[object]]:
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise SpreadsheetError("empty")
        sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else sheets[0]
        declared = _declared_rows(sheet)
        if declared is not None and declared > MAX_SHEET_ROWS:
            raise _TooManyRows()
        # Bounded whatever the file declares: openpyxl pads missing rows and columns with empty
        # cells, so a row numbered 1 048 576 would otherwise cost a million empty rows.
        for row in sheet.iter_rows(max_row=MAX_SHEET_ROWS + 1, max_col=MAX_COLUMNS, values_only=True):
            yield list(row[:MAX_COLUMNS])
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    """CSV text from Excel: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        # Windows-1252 last: almost any bytes decode as it, so UTF-8 must get its chance first.
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError("encoding")


def _csv_rows(data: bytes) -> Iterator[list[object]]:
    text = _decode(data)
    if "\x00" in text:
        raise SpreadsheetError("corrupt")
    lines = text.splitlines()
    delimiter = None
    if lines and lines[0].lower().startswith("sep=") and len(lines[0]) == 5:
        # Excel's own hint line, e.g. "sep=;"
        delimiter = lines[0][4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
    if delimiter is None:
        header = next((line for line in lines if line.strip()), "")
        # Swedish Excel separates with ";" because "," is the decimal sign.
        delimiter = ";" if ";" in header else "\t" if "\t" in header else ","
    return _csv_reader(text, delimiter)


def _csv_reader(text: str, delimiter: str) -> Iterator[list[object]]:
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield list(row[:MAX_COLUMNS])
    except csv.Error:
        raise SpreadsheetError("corrupt") from None


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

_WIDTHS = {"category": 22, "kind": 22, "phase": 12, "first_year": 11, "last_year": 11, "amount": 22, "note": 60}
_EXAMPLE = CostValues(
    category=next(iter(CATEGORY_LABELS)),
    kind=next(iter(KIND_LABELS)),
    phase=next(iter(PHASE_LABELS)),
    first_year=2027,
    last_year=None,
    amount=Decimal("12500.00"),
    note="Licens för 20 förskolor",
)


def _row_cells(values: CostValues) -> list[object]:
    """One cost item as spreadsheet cells: labels in Swedish, numbers as numbers, text escaped."""
    return [
        escape_cell(CATEGORY_LABELS[values.category]),
        escape_cell(KIND_LABELS[values.kind]),
        escape_cell(PHASE_LABELS[values.phase]),
        values.first_year,
        values.last_year,
        values.amount,
        escape_cell(values.note),
    ]


def _list_validation(labels: Sequence[str], column: str, prompt: str) -> DataValidation:
    validation = DataValidation(
        type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True,
        showErrorMessage=True, errorTitle="Ogiltigt värde", error="Välj ett värde i listan.",
        showInputMessage=True, promptTitle=prompt, prompt="Välj i listan.",
    )
    validation.add(f"{column}2:{column}{MAX_IMPORT_ROWS + 1}")
    return validation


def export_costs(costs: Sequence[CostValues], *, pilot_code: str, pilot_title: str) -> bytes:
    """The cost items as an .xlsx workbook: a cost sheet (the import format) and instructions.

    With no cost items the cost sheet has only its headers, so the file is a template to fill in.
    """
    workbook = openpyxl.Workbook()
    workbook.properties.creator = "Innovationsportföljen"
    workbook.properties.title = escape_cell(f"Kostnader {pilot_code}")
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([header for _key, header in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in costs:
        sheet.append(_row_cells(values))
    for index, (key, _header) in enumerate(COLUMNS):
        letter = openpyxl.utils.get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = _WIDTHS[key]
        if key == "amount":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                cell.number_format = "#,##0.00"
        if key == "note":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for labels, column, prompt in ((CATEGORY_LABELS.values(), "A", "Kategori"),
                                   (KIND_LABELS.values(), "B", "Typ"),
                                   (PHASE_LABELS.values(), "C", "Fas")):
        sheet.add_data_validation(_list_validation(list(labels), column, prompt))
    _instructions(workbook.create_sheet(INSTRUCTIONS_TITLE), pilot_code, pilot_title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(sheet, pilot_code: str, pilot_title: str) -> None:
    lines: list[list[object]] = [
        [escape_cell(f"Kostnader för {pilot_code} {pilot_title}")],
        [],
        ["Fyll i en kostnad per rad på bladet Kostnader och ladda upp filen på sidan Kostnader och värdering."],
        ["Rader som är identiska med en kostnad som redan finns hoppas över, så samma fil kan laddas upp igen."],
        ["Om någon rad har fel importeras ingenting: rätta raderna och ladda upp filen på nytt."],
        ["Skriv inga personuppgifter om elever i noteringen."],
        [],
        ["Kolumn", "Vad som ska stå där"],
        ["Kategori", ", ".join(CATEGORY_LABELS.values())],
        ["Typ", ", ".join(KIND_LABELS.values())],
        ["Fas", ", ".join(PHASE_LABELS.values())],
        ["Första år", "Året kostnaden börjar, till exempel 2027"],
        ["Sista år", "Bara för återkommande kostnader; tomt = till kalkylperiodens slut"],
        ["Belopp (kr exkl. moms)", "Belopp i kronor utan moms, per år för återkommande kostnader; "
                                   "till exempel 1 234,50"],
        ["Notering", "Valfri kort beskrivning"],
        [],
        ["Exempel"],
        [header for _key, header in COLUMNS],
        _row_cells(_EXAMPLE),
    ]
    for line in lines:
        sheet.append(line)
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[8] + sheet[17] + sheet[18]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 70
