"""French number, percentage, currency and date formats (Babel)."""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = "fr_FR"
MISSING = "n.d."  # « non disponible »: a reader never sees "NaN"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def number(x: float, decimals: int = 0) -> str:
    if _missing(x):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(x, format=pattern, locale=LOCALE)


def percent(x: float, decimals: int = 1) -> str:
    if _missing(x):
        return MISSING
    pattern = (
        "#,##0" + ("." + "0" * decimals if decimals else "") + "\u202f%"
    )  # CLDR fr: narrow nbsp
    return format_percent(x, format=pattern, locale=LOCALE)


def euros(x: float, decimals: int = 0) -> str:
    if _missing(x):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0¤"
    return format_currency(x, "EUR", format=pattern, locale=LOCALE, currency_digits=False)


def date(d: dt.date) -> str:
    return format_date(d, "long", locale=LOCALE)


def value(x) -> str:
    """A parameter as a reader would write it: French decimals, lists with `;`, oui / non."""
    if isinstance(x, bool):
        return "oui" if x else "non"
    if isinstance(x, int | float):
        return format_decimal(x, format="#,##0.####", locale=LOCALE)
    if isinstance(x, list | tuple):
        return " ; ".join(value(v) for v in x)
    if x is None:
        return "—"
    return str(x)


def share(x: float) -> str:
    """A share as a percentage, with a decimal only when it has one: 0,154 → 15,4 %, 0,5 → 50 %."""
    if _missing(x):
        return MISSING
    return format_percent(x, format="#,##0.#\u202f%", locale=LOCALE)


def year(x) -> str:
    """A year as a year: 2016, never « 2 016 »."""
    return MISSING if _missing(x) else str(int(x))
