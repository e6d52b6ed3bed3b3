"""Language choice and Swedish-first formatting of money, numbers and dates."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from flask import Flask, current_app, session
from flask_babel import Babel, format_date, format_datetime, format_decimal, format_percent, get_locale
from flask_login import current_user

babel = Babel()

#: Wide enough to round any figure the calculation can produce from stored values (the default
#: context's 28 digits are not: a large valuation times a large volume has more).
_DISPLAY_CONTEXT = Context(prec=80)


def _wide(function):
    """Run a formatting function in the wide display context (Babel rounds in the current one)."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with localcontext(_DISPLAY_CONTEXT):
            return function(*args, **kwargs)
    return wrapper


def select_locale() -> str:
    """The user's chosen language (remembered on the user), else the session's, else Swedish."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def round_display(value: Decimal, places: int = 0) -> Decimal:
    """Round once, for display, half away from zero as people round money."""
    exponent = Decimal(1).scaleb(-places)
    return Decimal(value).quantize(exponent, rounding=ROUND_HALF_UP, context=_DISPLAY_CONTEXT)


MINUS = "\u2212"


def _minus(text: str) -> str:
    """A real minus sign (U+2212) instead of the hyphen-minus the number formats give."""
    return MINUS + text[1:] if text.startswith("-") else text


@_wide
def money(value: Decimal | int | None, places: int = 0) -> str:
    """`1 234 567 kr` (sv) or `SEK 1,234,567` (en), `−3 402 346 kr` with a real minus; "" for None.

    Lists and summaries show whole kronor (the default); only input fields show öre.
    """
    if value is None:
        return ""
    pattern = "#,##0" if places == 0 else "#,##0." + "0" * places
    number = _minus(format_decimal(round_display(Decimal(value), places), format=pattern))
    if str(get_locale()).startswith("sv"):
        return f"{number}\u00a0kr"
    return f"SEK\u00a0{number}"


@_wide
def number(value: Decimal | int | None, places: int | None = None) -> str:
    """A number in the user's locale (`1 234,5`); `places` fixes the decimals."""
    if value is None:
        return ""
    if places is None:
        value = Decimal(value).normalize() if isinstance(value, Decimal) else value
        return _minus(format_decimal(value, format="#,##0.####"))
    pattern = "#,##0" if places == 0 else "#,##0." + "0" * places
    return _minus(format_decimal(round_display(Decimal(value), places), format=pattern))


@_wide
def percent(value: Decimal | None, places: int = 0) -> str:
    """A ratio as a percentage (`0.8` → `80 %`); an empty string for None."""
    if value is None:
        return ""
    pattern = "#,##0\u00a0%" if places == 0 else "#,##0." + "0" * places + "\u00a0%"
    return _minus(format_percent(round_display(Decimal(value) * 100, places) / 100, format=pattern))


def date(value: dt.date | None) -> str:
    """ISO 8601 dates, as Swedish usage writes them: 2026-11-22."""
    if value is None:
        return ""
    return format_date(value, format="yyyy-MM-dd")


def datetime(value: dt.datetime | None) -> str:
    """A stored (naive UTC) timestamp in Swedish time: 2026-11-22 14:05."""
    if value is None:
        return ""
    return format_datetime(value, format="yyyy-MM-dd HH:mm")


def init_app(app: Flask) -> None:
    """Install Flask-Babel and the formatting filters."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(money=money, number=number, percent=percent, date=date, datetime=datetime)
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
