"""The ranges the application accepts: every number and text a user can store, in one place.

Each kind of number names how many digits it keeps in all (`digits`), how many of them are
decimals (`places`) and its smallest value. The database columns are declared from these
limits (portfolio.models.base), the forms refuse what lies outside them with a message, and
input is never rounded: a value with more decimals than its kind keeps is refused.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class NumberLimit:
    """The digits a kind of number keeps and the smallest value it may take."""

    name: str
    digits: int
    places: int
    minimum: Decimal | None = None
    maximum_value: Decimal | None = None

    @property
    def maximum(self) -> Decimal:
        """The largest value: the column's own limit, or a smaller one the rules set."""
        column = Decimal(10) ** (self.digits - self.places) - Decimal(1).scaleb(-self.places)
        return column if self.maximum_value is None else min(column, self.maximum_value)

    @property
    def lowest(self) -> Decimal:
        """The smallest value accepted."""
        return -self.maximum if self.minimum is None else self.minimum

    def problem(self, value: Decimal | None) -> str | None:
        """Why `value` cannot be kept: "not_finite", "too_small", "too_large",
        "too_many_decimals"; None when it can (or is None)."""
        if value is None:
            return None
        if not value.is_finite():
            return "not_finite"
        if value < self.lowest:
            return "too_small"
        if value > self.maximum:
            return "too_large"
        if value != value.quantize(Decimal(1).scaleb(-self.places)):
            return "too_many_decimals"
        return None


#: Money in SEK with whole öre (cost items).
MONEY = NumberLimit("money", digits=14, places=2, minimum=Decimal(0), maximum_value=Decimal("999999999999.99"))
#: A measured value, a baseline or a target of an indicator.
MEASURED = NumberLimit("measured", digits=18, places=4)
#: SEK per unit of improvement (an indicator's valuation).
PRICE_PER_UNIT = NumberLimit("price_per_unit", digits=14, places=4, minimum=Decimal(0))
#: Units of improvement per year (an indicator's valuation).
VOLUME = NumberLimit("volume", digits=18, places=4, minimum=Decimal(0))
#: A stored ratio such as a discount rate (0.035 for 3,5 %).
RATIO = NumberLimit("ratio", digits=6, places=4, minimum=Decimal(0))
#: A per-cent value typed in a form (3,5 for 3,5 %): two decimals.
PERCENT = NumberLimit("percent", digits=6, places=2, minimum=Decimal(0), maximum_value=Decimal(100))
#: A sensitivity factor typed in per cent (the installation's defaults up to 1 000 %, a pilot's own
#: factors up to 500 %: web.cost_forms.ParametersForm).
FACTOR_PERCENT = NumberLimit("factor_percent", digits=6, places=2, minimum=Decimal(0), maximum_value=Decimal(1000))

NUMBER_LIMITS = {limit.name: limit for limit in (MONEY, MEASURED, PRICE_PER_UNIT, VOLUME, RATIO, PERCENT,
                                                 FACTOR_PERCENT)}


@dataclass(frozen=True)
class IntegerLimit:
    """A whole number's range."""

    name: str
    minimum: int
    maximum: int

    def problem(self, value: int | None) -> str | None:
        """"too_small" or "too_large" when outside the range; None otherwise."""
        if value is None:
            return None
        if value < self.minimum:
            return "too_small"
        if value > self.maximum:
            return "too_large"
        return None


#: A position in a list (goal frameworks, goals).
POSITION = IntegerLimit("position", 0, 10_000)
#: Years an economics calculation may cover (the installation's default: 1 to 30).
HORIZON_YEARS = IntegerLimit("horizon_years", 1, 50)
#: A database id typed in a URL or a filter: larger numbers cannot name a row.
ROW_ID = IntegerLimit("row_id", 1, 2**31 - 1)

#: Longest texts: a name, a short text and a long text.
NAME_LENGTH = 200
TEXT_LENGTH = 10_000

_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def control_characters(text: str) -> list[str]:
    """The control characters in `text` other than tab and line breaks (they break exports)."""
    return [char for char in text if char not in _ALLOWED_CONTROLS and unicodedata.category(char) in ("Cc", "Cs")]


def without_control_characters(text: str) -> str:
    """`text` with every control character but tab and line breaks removed."""
    return "".join(char for char in text if char in _ALLOWED_CONTROLS or unicodedata.category(char)
                   not in ("Cc", "Cs"))

#: A pilot's stored figure (services.figures): kronor with öre, up to ten thousand billion.
FIGURE = NumberLimit("figure", digits=18, places=2)
#: A stored realisation ratio (0.5 is 50 %), with six decimals.
FIGURE_RATIO = NumberLimit("figure_ratio", digits=12, places=6)
