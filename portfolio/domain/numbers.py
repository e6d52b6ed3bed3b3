"""Reading numbers as Swedish users type them: `1 234,50`, `1234,5`, `1 234 567`, `-12,5`."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Spaces, no-break spaces and narrow no-break spaces group thousands in Swedish.
_GROUPING = re.compile(r"[\s\u00a0\u202f]")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
# English grouping: 1,234 or 12,345,678.5; a comma anywhere else is refused, never guessed.
_ENGLISH_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def parse_decimal(text: str | int | float | Decimal | None, *, decimal_comma: bool = True) -> Decimal:
    """Parse a typed number into a Decimal; raise ValueError if it is not one.

    Swedish (`decimal_comma`, the default): a comma is the decimal sign; a point is accepted as
    the decimal sign too (spreadsheets write 1234.5), but not mixed with a comma.
    English: a point is the decimal sign and commas may only group thousands (`1,234.5`), so
    `1,234` is 1234 and an ambiguous `1,5` is refused rather than read as 15.
    """
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int):
        value = Decimal(text)
    elif isinstance(text, float):
        value = Decimal(str(text))
    else:
        raw = _GROUPING.sub("", (text or "").strip()).replace("\u2212", "-")  # typographic minus
        if raw.endswith("kr"):
            raw = raw[:-2]
        if not decimal_comma and "," in raw:
            if not _ENGLISH_GROUPED.match(raw):
                raise ValueError("misplaced comma")
            raw = raw.replace(",", "")
        if "," in raw and "." in raw:
            raise ValueError("mixed decimal signs")
        raw = raw.replace(",", ".")
        if not _PLAIN.match(raw):
            raise ValueError("not a number")
        try:
            value = Decimal(raw)
        except InvalidOperation as error:  # pragma: no cover - the pattern already excludes these
            raise ValueError("not a number") from error
    if not value.is_finite():
        raise ValueError("not a number")
    return value
