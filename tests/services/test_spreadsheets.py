"""Spreadsheet export and upload: round trip, Swedish CSV, formula escaping, hostile files."""

from __future__ import annotations

import io
import logging
import time
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from portfolio.domain.cost_import import COLUMNS, CostValues
from portfolio.domain.economics import CostCategory, CostKind, CostPhase
from portfolio.services import spreadsheets
from portfolio.services.spreadsheets import SpreadsheetError, export_costs, parse_upload

COSTS = [
    CostValues(CostCategory.LICENCE, CostKind.RECURRING, CostPhase.OPERATION, 2027, 2030, Decimal("12500.00"),
               "Licens för 20 förskolor"),
    CostValues(CostCategory.TRAINING, CostKind.ONE_OFF, CostPhase.IMPLEMENTATION, 2027, None, Decimal("1234.50"),
               "=HYPERLINK(\"http://evil.example\")"),
    CostValues(CostCategory.SUPPORT, CostKind.RECURRING, CostPhase.OPERATION, 2028, None, Decimal("0.00"), ""),
]
HEADER = ";".join(header for _key, header in COLUMNS)


def exported(costs=COSTS) -> bytes:
    return export_costs(costs, pilot_code="INN-2026-001", pilot_title="Laiban")


def test_export_then_import_gives_back_the_same_cost_items():
    parsed = parse_upload("kostnader.xlsx", exported())
    assert parsed.ok
    assert parsed.values == COSTS


def test_export_has_swedish_headers_numbers_as_numbers_and_instructions():
    workbook = openpyxl.load_workbook(io.BytesIO(exported()))
    sheet = workbook["Kostnader"]
    assert [cell.value for cell in sheet[1]] == ["Kategori", "Typ", "Fas", "Första år", "Sista år",
                                                 "Belopp (kr exkl. moms)", "Notering"]
    assert [cell.value for cell in sheet[2]][:6] == ["licens", "återkommande per år", "drift", 2027, 2030, 12500]
    assert "Instruktioner" in workbook.sheetnames


def test_formula_like_text_is_exported_as_text_not_as_a_formula():
    sheet = openpyxl.load_workbook(io.BytesIO(exported()))["Kostnader"]
    note = sheet.cell(row=3, column=7)
    assert note.value == "'=HYPERLINK(\"http://evil.example\")"
    assert note.data_type == "s"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_an_empty_export_is_a_template_to_fill_in():
    workbook = openpyxl.load_workbook(io.BytesIO(exported([])))
    assert workbook["Kostnader"].max_row == 1
    instructions = " ".join(str(cell.value) for row in workbook["Instruktioner"].iter_rows() for cell in row
                            if cell.value)
    assert "stöd och förvaltning" in instructions and "Exempel" in instructions
    assert [error.code for error in parse_upload("mall.xlsx", exported([])).errors] == ["no_rows"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_swedish_excel_csv_is_read_in_each_encoding(encoding):
    text = (f"{HEADER}\r\n"
            "Hårdvara;Engångskostnad;Införande;2027;;1 234,50;Surfplattor åt förskolan\r\n"
            "stöd och förvaltning;återkommande per år;drift;2027;2029;12\u00a0000;\r\n")
    if encoding == "cp1252":
        text = text.replace("\u00a0", " ")
    parsed = parse_upload("kostnader.csv", text.encode(encoding))
    assert parsed.ok, parsed.all_errors
    first, second = parsed.values
    assert (first.category, first.amount, first.note) == (CostCategory.HARDWARE, Decimal("1234.50"),
                                                          "Surfplattor åt förskolan")
    assert (second.category, second.last_year, second.amount) == (CostCategory.SUPPORT, 2029, Decimal("12000.00"))


def test_csv_with_excels_sep_line_or_commas_is_read_too():
    with_sep = f"sep=;\n{HEADER}\nlicens;engångskostnad;test;2027;;100,5;\n"
    assert parse_upload("a.csv", with_sep.encode()).values[0].amount == Decimal("100.50")
    commas = 'Kategori,Typ,Fas,Första år,Sista år,Belopp,Notering\nlicens,engångskostnad,test,2027,,"100,5",\n'
    assert parse_upload("b.csv", commas.encode()).values[0].amount == Decimal("100.50")


def test_csv_errors_name_row_and_column():
    text = f"{HEADER}\nlicens;engångskostnad;test;2027;;-5;\nmöbler;engångskostnad;test;2027;;5;\n"
    parsed = parse_upload("fel.csv", text.encode())
    assert [(e.row, e.column, e.code) for e in parsed.all_errors] == [(2, "amount", "negative"),
                                                                      (3, "category", "unknown_category")]


def test_too_many_rows_is_refused():
    text = HEADER + "\n" + "licens;engångskostnad;test;2027;;5;\n" * 1001
    assert [error.code for error in parse_upload("stor.csv", text.encode()).errors] == ["too_many_rows"]


def code_of(filename: str, data: bytes) -> str:
    with pytest.raises(SpreadsheetError) as caught:
        parse_upload(filename, data)
    return caught.value.code


def test_oversize_wrong_type_empty_and_corrupt_files_are_refused_with_a_reason():
    assert code_of("stor.csv", b"x" * (spreadsheets.MAX_UPLOAD_BYTES + 1)) == "too_large"
    assert code_of("kostnader.pdf", b"%PDF-1.7") == "wrong_type"
    assert code_of("kostnader", b"a;b") == "wrong_type"
    assert code_of("tom.xlsx", b"") == "empty"
    assert code_of("trasig.xlsx", b"this is not a spreadsheet") == "corrupt"
    assert code_of("avklippt.xlsx", exported()[:2000]) == "corrupt"
    assert code_of("bytt.xlsx", _zip({"hello.txt": b"not a workbook"})) == "corrupt"
    assert code_of("binär.csv", b"Kategori;Typ\x00\x00") == "corrupt"
    assert code_of("okodad.csv", HEADER.encode() + b"\n\x81\x8d;\x90\n") == "encoding"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            members[info.filename] = archive.read(info.filename)
    assert name in members
    members[name] = content
    return _zip(members)


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = _replace_member(exported(), "docProps/app.xml", b"\0" * (30 * 1024 * 1024))
    assert len(bomb) < spreadsheets.MAX_UPLOAD_BYTES
    assert code_of("bomb.xlsx", bomb) == "corrupt"


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'.encode()
        for n in range(1, 10)
    )
    + b"]>\n"
)


@pytest.mark.parametrize("member, body", [
    ("xl/worksheets/sheet1.xml",
     b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
     b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'),
    ("xl/workbook.xml",
     b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>'
     b'<sheet name="&lol9;" sheetId="1"/></sheets></workbook>'),
])
def test_an_xml_bomb_is_refused_quickly(member, body, caplog):
    bomb = _replace_member(exported(), member, BILLION_LAUGHS + body)
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="portfolio.services.spreadsheets"):
        assert code_of("bomb.xlsx", bomb) == "corrupt"
    assert time.monotonic() - started < 2
    assert "EntitiesForbidden" in caplog.text  # defusedxml refused it, not some later accident


def test_an_external_entity_is_not_fetched(caplog):
    body = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')
    with caplog.at_level(logging.INFO, logger="portfolio.services.spreadsheets"):
        assert code_of("xxe.xlsx", _replace_member(exported(), "xl/worksheets/sheet1.xml", body)) == "corrupt"
    assert "Forbidden" in caplog.text


def test_openpyxl_reads_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True
