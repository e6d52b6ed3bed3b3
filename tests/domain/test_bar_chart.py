"""Geometry of the costs-against-benefits bar chart: what a reader of the chart would notice."""

from decimal import Decimal

import pytest

from portfolio.domain.bar_chart import bar_chart

D = Decimal


def chart(series, categories=("2027", "2028", "2029"), **kwargs):
    return bar_chart(list(categories), series, title="Kostnader och nytta", description="Beskrivning", **kwargs)


def test_axis_starts_at_zero_and_covers_the_largest_bar_with_round_steps():
    result = chart([("Kostnader", [D(120_000), D(36_000), D(36_000)]), ("Nytta", [D(50_000), D(180_000), D(180_000)])])
    values = [tick.value for tick in result.ticks]
    assert values[0] == 0
    assert values[-1] >= 180_000
    steps = {b - a for a, b in zip(values, values[1:])}
    assert steps == {D(50_000)}
    # Larger values sit higher (SVG y grows downwards) and the zero line is the plot's bottom.
    assert [t.y for t in result.ticks] == sorted((t.y for t in result.ticks), reverse=True)
    assert result.zero_y == result.plot_bottom


def test_bar_heights_are_proportional_to_values():
    result = chart([("Nytta", [D(100), D(200), D(50)])])
    heights = [group.bars[0].height for group in result.groups]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.02)
    assert heights[2] == pytest.approx(heights[0] / 2, abs=0.02)
    for group in result.groups:
        bar = group.bars[0]
        assert bar.y + bar.height == pytest.approx(result.zero_y, abs=0.02)


def test_negative_values_hang_below_the_zero_line():
    result = chart([("Kostnader", [D(10_000), D(10_000), D(10_000)]), ("Nytta", [D(-4_000), D(0), D(25_000)])])
    assert result.ticks[0].value < 0 < result.ticks[-1].value
    assert result.plot_top < result.zero_y < result.plot_bottom
    negative = result.groups[0].bars[1]
    assert negative.is_negative
    assert negative.y == pytest.approx(result.zero_y, abs=0.02)
    assert negative.height > 0
    assert result.groups[1].bars[1].height == 0  # a zero value draws nothing
    positive = result.groups[2].bars[1]
    assert positive.y + positive.height == pytest.approx(result.zero_y, abs=0.02)


def test_everything_stays_inside_the_drawing():
    result = chart(
        [("Kostnader", [D(1_234_567), D(5), D(-98_765)]), ("Finansiell nytta", [D(3), D(2_000_000), D(0)]),
         ("Omfördelningsnytta", [D(0), D(1), D(-1)])]
    )
    assert 0 < result.plot_left < result.plot_right <= result.width
    assert 0 < result.plot_top < result.plot_bottom < result.category_label_y <= result.height
    for group in result.groups:
        assert result.plot_left < group.x < result.plot_right
        for bar in group.bars:
            assert result.plot_left <= bar.x and bar.x + bar.width <= result.plot_right
            assert result.plot_top - 0.01 <= bar.y and bar.y + bar.height <= result.plot_bottom + 0.01
    for item in result.legend:
        assert item.y + item.size < result.plot_top
    # Groups run left to right in the order of the categories, series in order inside a group.
    xs = [group.x for group in result.groups]
    assert xs == sorted(xs)
    assert [bar.series_label for bar in result.groups[0].bars] == ["Kostnader", "Finansiell nytta",
                                                                   "Omfördelningsnytta"]


def test_wide_tick_labels_get_a_wider_margin():
    small = chart([("Nytta", [D(10), D(20), D(30)])])
    large = chart([("Nytta", [D(-10_000_000), D(20_000_000), D(30_000_000)])])
    assert large.plot_left > small.plot_left


def test_a_long_legend_wraps_onto_another_row():
    one_row = chart([("A", [D(1)] * 3), ("B", [D(1)] * 3)])
    labels = [("Ett väldigt långt namn på en serie nummer %d" % n, [D(1)] * 3) for n in range(4)]
    wrapped = chart(labels)
    assert len({item.y for item in wrapped.legend}) > 1
    assert wrapped.plot_top > one_row.plot_top


def test_all_zero_and_empty_charts_do_not_fail():
    zero = chart([("Nytta", [D(0), D(0), D(0)])])
    assert [t.value for t in zero.ticks] == [D(0), D(1)]
    assert all(bar.height == 0 for group in zero.groups for bar in group.bars)
    empty = bar_chart([], [("Nytta", [])], title="t", description="d")
    assert empty.groups == []


def test_money_must_not_be_float_and_series_must_match_the_categories():
    with pytest.raises(ValueError, match="Decimal"):
        chart([("Nytta", [1.5, D(1), D(2)])])
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        chart([("Nytta", [D(1), D(2)])])
    with pytest.raises(ValueError):
        bar_chart(["2027"], [], title="t", description="d")



def test_small_values_keep_steps_of_whole_kronor():
    result = chart([("Nytta", [D("0.3"), D("0.6"), D("1.2")])])
    assert [t.value for t in result.ticks] == [D(0), D(1), D(2)]
