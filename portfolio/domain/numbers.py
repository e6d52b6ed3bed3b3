"""Reading numbers as Swedish users type them: `1 234,50`, `1234,5`, `1 234 567`, `-12,5`."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Spaces, no-break spaces and narrow no-break spaces group thousands in Swedish.
_GROUPING = re.compile(r"[\s\u00a0\u202f]")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_decimal(text: str | int | float | Decimal | None) -> Decimal:
    """Parse a Swedish or plain number into a Decimal; raise ValueError if it is not one.

    A comma is the decimal sign. A point is accepted as the decimal sign too (spreadsheets
    and English users write 1234.5), but not mixed with a comma.
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
