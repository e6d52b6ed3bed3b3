"""Geometry of a grouped bar chart (costs against benefits per year), as plain numbers.

Pure: standard library only. The result holds nothing but strings, Decimals (the values, for
labels formatted by the caller) and float coordinates in an SVG user space, so the same chart
renders in a web page and in the PDF decision paper through one Jinja macro
(``templates/macros/bar_chart.html``). Colours, fonts and wording belong to the caller.

Layout, top to bottom: a legend row (or rows), the plot area with horizontal grid lines at
"nice" tick values (1, 2, 2.5 or 5 × 10^n kronor), and the category labels under the plot.
Negative values (a dis-benefit, a negative net) hang below the zero line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .charts import nice_step, ticks_covering

__all__ = ["Bar", "BarChart", "Group", "LegendItem", "Tick", "bar_chart"]

#: Approximate advance of one character of an 11 px sans-serif label, to size the margins.
CHAR_WIDTH = 6.6
FONT_SIZE = 11
_LEGEND_ROW = 18.0
_SWATCH = 12.0


@dataclass(frozen=True)
class Tick:
    """A horizontal grid line at `value` (label it with the money filter)."""

    value: Decimal
    y: float

    @property
    def is_zero(self) -> bool:
        return self.value == 0


@dataclass(frozen=True)
class Bar:
    """One rectangle: series `series` (index into the chart's series) in one category."""

    series: int
    series_label: str
    category: str
    value: Decimal
    x: float
    y: float
    width: float
    height: float

    @property
    def is_negative(self) -> bool:
        return self.value < 0


@dataclass(frozen=True)
class Group:
    """The bars of one category (one year), with the x of its label."""

    label: str
    x: float  # centre of the group, where the category label goes
    bars: list[Bar]


@dataclass(frozen=True)
class LegendItem:
    """A legend entry: a swatch at (x, y) and the label to its right."""

    series: int
    label: str
    x: float
    y: float  # top of the swatch
    size: float  # the swatch is a size × size square
    text_x: float
    text_y: float  # baseline of the label


@dataclass(frozen=True)
class BarChart:
    """Everything a template needs to draw the chart; coordinates in SVG user units."""

    title: str
    description: str
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    zero_y: float
    tick_label_x: float  # right edge of the tick labels (text-anchor end)
    category_label_y: float  # baseline of the category labels
    font_size: int
    ticks: list[Tick]
    groups: list[Group]
    legend: list[LegendItem]
    series_labels: list[str]


def _as_decimal(value: object, what: str) -> Decimal:
    # Floats are refused for the same reason as in the economics: a chart must show exactly
    # the figures of the table beside it.
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise ValueError(f"{what} must be a Decimal (or int), not {type(value).__name__}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{what} must be finite, not {value!r}")
    return result


def _label_chars(value: Decimal) -> int:
    """Characters of a tick label like ``-1 234 567 kr`` (digits, group spaces, sign, unit)."""
    digits = len(str(int(abs(value))))
    return digits + (digits - 1) // 3 + (1 if value < 0 else 0) + 3


def _r(value: float) -> float:
    return round(value, 2)


def bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal]]],
    *,
    title: str,
    description: str,
    width: float = 640,
    height: float = 300,
    intervals: int = 5,
) -> BarChart:
    """Lay out a grouped bar chart: one group per category, one bar per series in each group.

    `series` is a list of ``(label, values)`` with one value per category. The value axis
    always includes zero and is widened to whole multiples of a nice step, about `intervals`
    of them. Raises ValueError for a float value or a series of the wrong length.
    """
    categories = [str(c) for c in categories]
    if not series:
        raise ValueError("a bar chart needs at least one series")
    if intervals < 1:
        raise ValueError("intervals must be at least 1")
    clean: list[tuple[str, list[Decimal]]] = []
    for label, values in series:
        values = [_as_decimal(v, f"value of series {label!r}") for v in values]
        if len(values) != len(categories):
            raise ValueError(
                f"series {label!r} has {len(values)} values for {len(categories)} categories"
            )
        clean.append((str(label), values))

    everything = [v for _, values in clean for v in values]
    low = min([Decimal(0), *everything])
    high = max([Decimal(0), *everything])
    # Whole kronor at least: a smaller step would repeat labels once rounded to kronor.
    step = max(nice_step((high - low) / intervals if high > low else Decimal(1)), Decimal(1))
    tick_values = ticks_covering(low, high, step)
    if len(tick_values) == 1:  # all zero
        tick_values.append(tick_values[0] + step)
    axis_min, axis_max = tick_values[0], tick_values[-1]

    # Legend rows across the top, wrapping when a row is full.
    right_margin = 12.0
    left_margin = 10.0 + CHAR_WIDTH * max(_label_chars(v) for v in tick_values)
    legend: list[LegendItem] = []
    x, y = left_margin, 6.0
    for index, (label, _values) in enumerate(clean):
        item_width = _SWATCH + 6 + CHAR_WIDTH * len(label) + 18
        if legend and x + item_width > width - right_margin:
            x, y = left_margin, y + _LEGEND_ROW
        legend.append(
            LegendItem(
                series=index,
                label=label,
                x=_r(x),
                y=_r(y),
                size=_SWATCH,
                text_x=_r(x + _SWATCH + 6),
                text_y=_r(y + _SWATCH - 2),
            )
        )
        x += item_width

    plot_top = y + _LEGEND_ROW + 12
    plot_bottom = height - 28.0
    plot_left = left_margin
    plot_right = width - right_margin
    if plot_bottom - plot_top < 40:
        raise ValueError("the chart is too small for its legend")
    span = axis_max - axis_min

    def y_of(v: Decimal) -> float:
        return plot_top + float((axis_max - v) / span) * (plot_bottom - plot_top)

    zero_y = y_of(Decimal(0))
    ticks = [Tick(value=v, y=_r(y_of(v))) for v in tick_values]

    groups: list[Group] = []
    if categories:
        group_width = (plot_right - plot_left) / len(categories)
        padding = group_width * 0.15
        bar_width = (group_width - 2 * padding) / len(clean)
        for c, category in enumerate(categories):
            group_left = plot_left + c * group_width
            bars = []
            for s, (label, values) in enumerate(clean):
                top = y_of(values[c])
                bars.append(
                    Bar(
                        series=s,
                        series_label=label,
                        category=category,
                        value=values[c],
                        x=_r(group_left + padding + s * bar_width + 1),
                        y=_r(min(top, zero_y)),
                        width=_r(max(bar_width - 2, 1)),
                        height=_r(abs(top - zero_y)),
                    )
                )
            groups.append(Group(label=category, x=_r(group_left + group_width / 2), bars=bars))

    return BarChart(
        title=title,
        description=description,
        width=width,
        height=height,
        plot_left=_r(plot_left),
        plot_right=_r(plot_right),
        plot_top=_r(plot_top),
        plot_bottom=_r(plot_bottom),
        zero_y=_r(zero_y),
        tick_label_x=_r(plot_left - 6),
        category_label_y=_r(plot_bottom + 18),
        font_size=FONT_SIZE,
        ticks=ticks,
        groups=groups,
        legend=legend,
        series_labels=[label for label, _ in clean],
    )
