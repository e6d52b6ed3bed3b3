"""Chart geometry: scales, axis ticks and pixel coordinates for the SVG charts.

Pure (standard library only), so the web page and the decision paper draw the same chart from
the same numbers. The functions here decide *where* things go; the Jinja macros decide how they
look and format every label (numbers and dates in the reader's language).

Values stay :class:`~decimal.Decimal` (a tick's value is the exact number the label shows);
only pixel coordinates are floats, rounded to 0.01 px, so that the SVG text is short and the
same input always gives the same output.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "DateTick",
    "Level",
    "LineChart",
    "PlotPoint",
    "ValueTick",
    "date_ticks",
    "line_chart_geometry",
    "nice_step",
    "nice_ticks",
    "ticks_covering",
]

#: Enough precision for any realistic measurement; traps turn nonsense into exceptions.
_CONTEXT = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.InvalidOperation,
                                                                            decimal.DivisionByZero])
#: Multiples of a power of ten that make readable axis steps.
_NICE_FACTORS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
#: Space around the plot area for axis labels (top, right, bottom, left) in px.
DEFAULT_MARGIN = (28, 104, 40, 76)
#: Least vertical distance between the labels of the baseline and the target (two lines each).
LABEL_GAP = 30
#: Share of the value range kept free above the highest and below the lowest value.
_HEADROOM = Decimal("0.05")
#: Horizontal breathing room inside the plot, so that a marker never sits on the y axis.
_INSET = 12


@dataclass(frozen=True)
class ValueTick:
    """A tick on the value (y) axis: the value to label and its y coordinate."""

    value: Decimal
    y: float


@dataclass(frozen=True)
class DateTick:
    """A tick on the time (x) axis; `unit` ("day", "month" or "year") says how to label it."""

    value: dt.date
    x: float
    unit: str


@dataclass(frozen=True)
class PlotPoint:
    """One measurement placed on the chart."""

    when: dt.date
    value: Decimal
    x: float
    y: float


@dataclass(frozen=True)
class Level:
    """A horizontal reference line across the plot, such as the baseline or the target.

    `label_y` is where its label is centred, beside the plot: the line's own y, unless that
    would make it overlap the other level's label.
    """

    value: Decimal
    y: float
    label_y: float


@dataclass(frozen=True)
class LineChart:
    """Everything a template needs to draw a line chart, in pixels of a `width` × `height` box.

    The plot area runs from (`left`, `top`) to (`right`, `bottom`); SVG's y axis points down,
    so larger values have smaller y.
    """

    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    points: tuple[PlotPoint, ...]
    baseline: Level | None
    target: Level | None
    value_ticks: tuple[ValueTick, ...]
    date_ticks: tuple[DateTick, ...]

    @property
    def is_empty(self) -> bool:
        """True when there is no measurement to draw."""
        return not self.points

    @property
    def middle_x(self) -> float:
        """Horizontal centre of the plot area (for a message on an empty chart)."""
        return _px((self.left + self.right) / 2)

    @property
    def middle_y(self) -> float:
        """Vertical centre of the plot area."""
        return _px((self.top + self.bottom) / 2)

    @property
    def polyline(self) -> str:
        """The points as the `points` attribute of an SVG `<polyline>`: "x,y x,y …"."""
        return " ".join(f"{_svg(p.x)},{_svg(p.y)}" for p in self.points)

    @property
    def latest(self) -> PlotPoint | None:
        """The last point in time, or None."""
        return self.points[-1] if self.points else None


def _svg(number: float) -> str:
    # Short, stable text for coordinates: 12.5 not 12.500000001, 40 not 40.0.
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _px(number: Decimal | float) -> float:
    return round(float(number), 2)


def nice_step(raw: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ that is at least `raw` (> 0): a step people read easily."""
    if raw <= 0:
        raise ValueError(f"raw step must be positive, not {raw}")
    magnitude = Decimal(1).scaleb(raw.adjusted())  # 10ⁿ with 1 ≤ raw / 10ⁿ < 10
    return next(f * magnitude for f in _NICE_FACTORS if raw <= f * magnitude)


def ticks_covering(low: Decimal, high: Decimal, step: Decimal) -> list[Decimal]:
    """Every multiple of `step` from the one at or below `low` to the one at or above `high`."""
    with decimal.localcontext(_CONTEXT):  # wide enough for any stored figure (domain.limits)
        first = (low / step).to_integral_value(rounding=decimal.ROUND_FLOOR)
        last = (high / step).to_integral_value(rounding=decimal.ROUND_CEILING)
        # Quantize to the step's decimals so that labels read 40, 42.5, 45 rather than 4.0E+1.
        exponent = Decimal(1).scaleb(min(step.normalize().as_tuple().exponent, 0))
        return [((first + k) * step).quantize(exponent) for k in range(int(last - first) + 1)]


def nice_ticks(low: Decimal, high: Decimal, count: int = 5) -> list[Decimal]:
    """Evenly spaced round values (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering `low`…`high`.

    About `count` intervals; the first tick is at or below `low` and the last at or above
    `high`. When `low` equals `high` the range is widened around the value (by a tenth of it,
    or by 1 around zero), so a flat series still gets a readable axis.
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, not {count}")
    low, high = Decimal(low), Decimal(high)
    if not (low.is_finite() and high.is_finite()):
        raise ValueError("tick range must be finite")
    if low > high:
        low, high = high, low
    with decimal.localcontext(_CONTEXT):
        if low == high:
            pad = abs(low) / 10 if low else Decimal(1)
            low, high = low - pad, high + pad
        return ticks_covering(low, high, nice_step((high - low) / count))


@dataclass(frozen=True)
class _ValueScale:
    """Maps values to y pixels, the lowest tick at the bottom of the plot."""

    ticks: tuple[Decimal, ...]
    top: float
    bottom: float

    @classmethod
    def covering(cls, values: Sequence[Decimal], top: float, bottom: float) -> _ValueScale:
        if not values:
            return cls((), top, bottom)
        low, high = min(values), max(values)
        with decimal.localcontext(_CONTEXT):
            # A little room above and below, so that no line runs along the plot's edge.
            pad = (high - low) * _HEADROOM
        return cls(tuple(nice_ticks(low - pad, high + pad)), top, bottom)

    def __call__(self, value: Decimal) -> float:
        if not self.ticks:
            return self.bottom
        low, high = self.ticks[0], self.ticks[-1]
        with decimal.localcontext(_CONTEXT):
            share = (Decimal(value) - low) / (high - low)
            return _px(Decimal(str(self.bottom)) - share * Decimal(str(self.bottom - self.top)))


@dataclass(frozen=True)
class _DateScale:
    """Maps dates to x pixels; a single date (or none) sits in the middle."""

    first: dt.date | None
    days: int
    start: float
    end: float

    @classmethod
    def covering(cls, dates: Sequence[dt.date], start: float, end: float) -> _DateScale:
        if not dates:
            return cls(None, 0, start, end)
        return cls(min(dates), (max(dates) - min(dates)).days, start, end)

    def __call__(self, when: dt.date) -> float:
        if self.first is None or self.days == 0:
            return _px((self.start + self.end) / 2)
        return _px(self.start + (self.end - self.start) * (when - self.first).days / self.days)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _candidates():
    """Tick spacings from fine to coarse: (unit, step)."""
    yield from (("day", 1), ("day", 2), ("day", 7), ("day", 14))
    yield from (("month", 1), ("month", 2), ("month", 3), ("month", 6))
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            yield "year", factor * magnitude
        magnitude *= 10


def _dates_between(first: dt.date, last: dt.date, unit: str, step: int, limit: int) -> list[dt.date] | None:
    """Tick dates from `first` to `last`, or None as soon as there would be more than `limit`."""
    if unit == "day":
        if (last - first).days // step + 1 > limit:
            return None
        return [first + dt.timedelta(days=k * step) for k in range((last - first).days // step + 1)]
    if unit == "month":
        day = dt.date(first.year, first.month, 1)
        if day < first:
            day = _add_months(day, 1)
        # Align to the step (quarters start in January, April, …) so labels look familiar.
        while (day.month - 1) % step:
            day = _add_months(day, 1)
        advance = lambda d: _add_months(d, step)  # noqa: E731 - a one-line local rule
    else:
        year = first.year if (first.month, first.day) == (1, 1) else first.year + 1
        year += -year % step
        if year > dt.MAXYEAR:
            return []
        day = dt.date(year, 1, 1)
        advance = lambda d: dt.date(d.year + step, 1, 1) if d.year + step <= dt.MAXYEAR else dt.date.max  # noqa: E731
    ticks: list[dt.date] = []
    while day <= last and day != dt.date.max:
        ticks.append(day)
        if len(ticks) > limit:
            return None
        day = advance(day)
    return ticks


def date_ticks(first: dt.date, last: dt.date, limit: int = 6) -> tuple[str, list[dt.date]]:
    """Calendar-aligned tick dates for the span `first`…`last`: (unit, dates).

    The finest spacing (days, weeks, months, quarters, years, …) that gives at most `limit`
    ticks. Month ticks fall on the first of a month and year ticks on 1 January; when the span
    holds none of those, the ends of the span are used instead.
    """
    if limit < 2:
        raise ValueError(f"limit must be at least 2, not {limit}")
    if first > last:
        first, last = last, first
    if first == last:
        return "day", [first]
    for unit, step in _candidates():
        ticks = _dates_between(first, last, unit, step, limit)
        if ticks is None:
            continue
        if len(ticks) >= 2 or unit == "year":
            return (unit, ticks) if len(ticks) >= 2 else ("day", [first, last])
    raise AssertionError("unreachable: year steps grow without bound")  # pragma: no cover


def _level(value, y_of, other, top: float, bottom: float, *, on_top_if_equal: bool) -> Level | None:
    """A reference line; its label moves away from the other line's label when they are close."""
    if value is None:
        return None
    y = y_of(Decimal(value))
    if other is None:
        return Level(Decimal(value), y, y)
    other_y = y_of(Decimal(other))
    if abs(y - other_y) >= LABEL_GAP:
        return Level(Decimal(value), y, y)
    middle = (y + other_y) / 2
    # Keep the pair of labels inside the plot's height, then put the higher value on top.
    middle = min(max(middle, top + LABEL_GAP / 2), bottom - LABEL_GAP / 2)
    above = Decimal(value) > Decimal(other) or (Decimal(value) == Decimal(other) and on_top_if_equal)
    return Level(Decimal(value), y, _px(middle - LABEL_GAP / 2 if above else middle + LABEL_GAP / 2))


def _checked_point(when: object, value: object) -> tuple[dt.date, Decimal]:
    # Floats are refused as everywhere in the domain: a measured 0.1 must be exactly 0.1.
    if (
        not isinstance(when, dt.date)
        or isinstance(when, dt.datetime)
        or isinstance(value, bool)
        or not isinstance(value, Decimal | int)
        or not Decimal(value).is_finite()
    ):
        raise ValueError(f"a chart point must be (date, finite Decimal), not ({when!r}, {value!r})")
    return when, Decimal(value)


def line_chart_geometry(
    points: Iterable[tuple[dt.date, Decimal]],
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    width: int = 640,
    height: int = 320,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    margin: Sequence[int] = DEFAULT_MARGIN,
) -> LineChart:
    """Place a measurement series, its baseline and its target on a `width` × `height` chart.

    `points` are (date, value) pairs in any order; they are drawn in date order (ties keep
    their given order). The value axis covers every point, the baseline and the target, with
    round ticks; the time axis covers the points and the optional `start` and `end` dates
    (e.g. the baseline and target dates). Zero points give an empty chart that still shows
    baseline and target; one point, or one date, sits in the middle; equal values get a
    widened axis; negative values are fine.
    """
    series = sorted((_checked_point(when, value) for when, value in points), key=lambda pair: pair[0])
    top_margin, right_margin, bottom_margin, left_margin = margin
    left, top = float(left_margin), float(top_margin)
    right, bottom = float(width - right_margin), float(height - bottom_margin)
    if right - left < 2 * _INSET or bottom <= top:
        raise ValueError("the chart is too small for its margins")

    levels = [Decimal(v) for v in (baseline, target) if v is not None]
    values = [value for _, value in series] + levels
    y_of = _ValueScale.covering(values, top, bottom)
    value_ticks = tuple(ValueTick(value=tick, y=y_of(tick)) for tick in y_of.ticks)

    dates = [when for when, _ in series] + [d for d in (start, end) if d is not None]
    x_of = _DateScale.covering(dates, left + _INSET, right - _INSET)
    date_axis: tuple[DateTick, ...] = ()
    if dates:
        unit, tick_dates = date_ticks(min(dates), max(dates))
        date_axis = tuple(DateTick(value=d, x=x_of(d), unit=unit) for d in tick_dates)

    return LineChart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        points=tuple(PlotPoint(when=w, value=v, x=x_of(w), y=y_of(v)) for w, v in series),
        baseline=_level(baseline, y_of, target, top, bottom, on_top_if_equal=True),
        target=_level(target, y_of, baseline, top, bottom, on_top_if_equal=False),
        value_ticks=value_ticks,
        date_ticks=date_axis,
    )
