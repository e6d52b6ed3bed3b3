"""Chart geometry: every point lands inside the plot where its value and date say it should."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portfolio.domain.charts import LABEL_GAP, date_ticks, line_chart_geometry, nice_step, nice_ticks

D = Decimal
JAN, MAR, JUN, SEP, DEC = (dt.date(2026, m, 1) for m in (1, 3, 6, 9, 12))


def inside_plot(chart, x, y):
    return chart.left <= x <= chart.right and chart.top <= y <= chart.bottom


def y_of_tick(chart, value):
    return next(tick.y for tick in chart.value_ticks if tick.value == value)


# -- ticks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ("40", "60", ["40", "45", "50", "55", "60"]),
        ("-3", "7", ["-4", "-2", "0", "2", "4", "6", "8"]),
        ("0.1", "0.37", ["0.1", "0.2", "0.3", "0.4"]),
        ("1234567", "2345678", ["1000000", "1250000", "1500000", "1750000", "2000000", "2250000", "2500000"]),
    ],
)
def test_nice_ticks_are_round_evenly_spaced_and_cover_the_range(low, high, expected):
    assert nice_ticks(D(low), D(high)) == [D(v) for v in expected]


@pytest.mark.parametrize(
    ("raw", "step"),
    [(D("0.3"), D("0.5")), (D(7), D(10)), (D(11), D(20)), (D(2400), D(2500)), (D(36_000), D(50_000)),
     (D(1000), D(1000))],
)
def test_steps_are_one_two_two_and_a_half_or_five_times_a_power_of_ten(raw, step):
    assert nice_step(raw) == step


def test_nice_ticks_read_as_plain_numbers_not_exponents():
    assert [str(t) for t in nice_ticks(D(0), D(100))] == ["0", "20", "40", "60", "80", "100"]
    assert [str(t) for t in nice_ticks(D(40), D(50))][:3] == ["40", "42", "44"]


@pytest.mark.parametrize("value", ["45", "0", "-7.5"])
def test_equal_values_get_a_widened_axis_around_them(value):
    ticks = nice_ticks(D(value), D(value))
    assert len(ticks) >= 3
    assert ticks[0] < D(value) < ticks[-1]


def test_date_ticks_pick_months_for_a_school_year():
    unit, ticks = date_ticks(dt.date(2026, 1, 15), dt.date(2026, 12, 15))
    assert unit == "month"
    assert all(t.day == 1 for t in ticks) and 2 <= len(ticks) <= 6
    assert dt.date(2026, 1, 15) <= ticks[0] and ticks[-1] <= dt.date(2026, 12, 15)


def test_date_ticks_pick_days_for_a_short_span_and_years_for_a_long_one():
    assert date_ticks(dt.date(2026, 1, 15), dt.date(2026, 1, 18)) == (
        "day", [dt.date(2026, 1, d) for d in (15, 16, 17, 18)])
    unit, ticks = date_ticks(dt.date(2020, 1, 15), dt.date(2029, 1, 20))
    assert unit == "year" and all((t.month, t.day) == (1, 1) for t in ticks) and len(ticks) <= 6


def test_one_date_gives_one_tick():
    assert date_ticks(JUN, JUN) == ("day", [JUN])


# -- line chart ----------------------------------------------------------------------------


def test_series_is_drawn_in_date_order_with_higher_values_higher_up():
    chart = line_chart_geometry([(JUN, D(50)), (MAR, D(55)), (SEP, D(45))], D(60), D(40))
    assert [p.when for p in chart.points] == [MAR, JUN, SEP]
    xs = [p.x for p in chart.points]
    ys = [p.y for p in chart.points]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert ys[0] < ys[1] < ys[2]  # 55 above 50 above 45 (SVG y grows downwards)
    assert chart.latest.value == D(45)
    assert all(inside_plot(chart, p.x, p.y) for p in chart.points)


def test_values_sit_on_the_ticks_that_carry_the_same_label():
    chart = line_chart_geometry([(MAR, D(55)), (SEP, D(45))], D(60), D(40))
    assert chart.points[0].y == y_of_tick(chart, D(55))
    assert chart.baseline.y == y_of_tick(chart, D(60))
    assert chart.target.y == y_of_tick(chart, D(40))


def test_baseline_and_target_are_inside_the_axis_but_not_on_its_edges():
    chart = line_chart_geometry([(MAR, D(50))], D(60), D(40))
    for level in (chart.baseline, chart.target):
        assert chart.top < level.y < chart.bottom


def test_dates_are_placed_in_proportion_to_time():
    chart = line_chart_geometry([(JAN, D(1)), (dt.date(2026, 1, 11), D(2)), (dt.date(2026, 1, 31), D(3))])
    first, middle, last = (p.x for p in chart.points)
    assert middle - first == pytest.approx((last - first) / 3, abs=0.02)


def test_polyline_lists_the_points_as_svg_expects():
    chart = line_chart_geometry([(MAR, D(55)), (SEP, D(45))], D(60), D(40))
    pairs = [pair.split(",") for pair in chart.polyline.split(" ")]
    assert [(float(x), float(y)) for x, y in pairs] == [(p.x, p.y) for p in chart.points]


def test_no_measurements_still_shows_baseline_and_target():
    chart = line_chart_geometry([], D(60), D(40), start=JAN, end=DEC)
    assert chart.is_empty and chart.polyline == "" and chart.latest is None
    assert chart.baseline.y < chart.target.y
    assert chart.value_ticks[0].value <= D(40) and chart.value_ticks[-1].value >= D(60)
    assert chart.date_ticks  # the time axis runs from the baseline date to the target date
    assert chart.top < chart.middle_y < chart.bottom and chart.left < chart.middle_x < chart.right


def test_nothing_at_all_gives_an_empty_frame():
    chart = line_chart_geometry([])
    assert chart.is_empty and chart.value_ticks == () and chart.date_ticks == ()
    assert chart.baseline is None and chart.target is None


def test_a_single_measurement_sits_in_the_middle():
    chart = line_chart_geometry([(JUN, D(45))])
    (point,) = chart.points
    assert point.x == chart.middle_x
    assert inside_plot(chart, point.x, point.y)
    assert [t.value for t in chart.date_ticks] == [JUN]


def test_equal_values_draw_a_flat_line_inside_the_plot():
    chart = line_chart_geometry([(MAR, D(45)), (JUN, D(45)), (SEP, D(45))])
    assert len({p.y for p in chart.points}) == 1
    assert chart.top < chart.points[0].y < chart.bottom


def test_negative_values_get_an_axis_below_zero():
    chart = line_chart_geometry([(MAR, D("-12.5")), (SEP, D(8))], D(0), D(10))
    assert chart.value_ticks[0].value <= D("-12.5") and chart.value_ticks[-1].value >= D(10)
    low, high = chart.points
    assert low.y > chart.baseline.y > high.y  # -12.5 below 0 below 8
    assert all(inside_plot(chart, p.x, p.y) for p in chart.points)


def test_start_and_end_dates_widen_the_time_axis():
    narrow = line_chart_geometry([(MAR, D(1)), (JUN, D(2))])
    wide = line_chart_geometry([(MAR, D(1)), (JUN, D(2))], start=JAN, end=DEC)
    assert wide.points[1].x - wide.points[0].x < narrow.points[1].x - narrow.points[0].x


def test_labels_of_close_baseline_and_target_do_not_overlap():
    chart = line_chart_geometry([(MAR, D(0)), (JUN, D(100))], D(60), D(58))
    assert chart.target.y - chart.baseline.y < LABEL_GAP  # the lines themselves are close
    assert chart.target.label_y - chart.baseline.label_y >= LABEL_GAP - 0.01
    assert chart.baseline.label_y < chart.target.label_y  # the higher value's label on top


def test_labels_of_far_apart_lines_stay_beside_their_lines():
    chart = line_chart_geometry([], D(60), D(40))
    assert chart.baseline.label_y == chart.baseline.y and chart.target.label_y == chart.target.y


def test_floats_are_refused_like_everywhere_in_the_domain():
    with pytest.raises(ValueError, match="Decimal"):
        line_chart_geometry([(MAR, 0.1)])


def test_the_same_input_gives_the_same_chart():
    points = [(MAR, D("55.5")), (JUN, D("50.25")), (SEP, D(45))]
    assert line_chart_geometry(points, D(60), D(40)) == line_chart_geometry(list(reversed(points)), D(60), D(40))
