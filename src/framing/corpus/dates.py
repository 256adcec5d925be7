"""Parse the publication dates that news data really has into timezone-naive timestamps.

Accepted forms (case-insensitive; a leading weekday is ignored):

- ISO 8601 with or without time and zone: ``2025-05-15``, ``2025-05-15T10:30:00Z``,
  ``2025-05-15 10:30:00+02:00``, ``20250515``;
- numeric with slashes or dots: ``2022/05/10`` (year first), ``05/10/2022`` (month
  first unless ``dayfirst=True``; swapped when only the other order is a valid date);
- month names: ``May 15, 2025``, ``Thursday, May 15, 2025``, ``15 May 2025``,
  ``15 May 2025 14:05 BST``, ``Sat 14 May 2022 06.00 BST`` (Guardian style),
  ``May 15, 2025 at 3:04 p.m. EDT``, ``May 2025`` (day 1);
- objects: :class:`datetime.datetime`, :class:`datetime.date`,
  :class:`pandas.Timestamp`, :class:`numpy.datetime64`;
- numbers: Unix epoch seconds (milliseconds when the magnitude exceeds ``1e11``).

Everything else falls back to :func:`dateutil.parser.parse` (non-fuzzy), but only when
the text holds a four-digit year: a text without a year (``"May 15"``) is never
completed with the current year.

Results are timezone-naive. A value with a zone (``Z``, ``+02:00`` or a known
abbreviation such as ``BST``, ``EDT``, ``CET``) is converted to UTC and the zone is
dropped, so two outlets' timestamps compare on one clock. Ambiguous abbreviations
(``IST``, ``CST`` in Asia) are read as in :data:`TZ_OFFSETS`; the generic US names
``ET``, ``CT``, ``MT`` and ``PT`` follow daylight saving time via the IANA database.

Missing values (``None``, ``NaN``, ``NaT``, ``""``) become ``NaT`` silently; a value that
cannot be parsed becomes ``NaT`` with a :class:`DateParseWarning` naming the value and
its source. Nothing here raises on bad data.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterable
from numbers import Number
from typing import Any

import numpy as np
import pandas as pd

from framing.schema import is_missing

__all__ = [
    "TZ_OFFSETS",
    "DateParseWarning",
    "find_date_line",
    "parse_date",
    "parse_dates",
]


class DateParseWarning(UserWarning):
    """A value could not be read as a date; it became ``NaT``.

    Attributes
    ----------
    values : tuple
        The offending value(s) (at most five examples for a summary warning).
    source : str or None
        Where the value came from (file, line or column), when the caller said.
    """

    def __init__(self, message: str, values: tuple = (), source: str | None = None):
        super().__init__(message)
        self.values = values
        self.source = source


# UTC offsets in hours for the zone abbreviations news pages print.
TZ_OFFSETS: dict[str, float] = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0,
    "BST": 1, "CET": 1, "WAT": 1, "WEST": 1, "IST": 1,  # IST read as Irish Standard Time
    "CEST": 2, "EET": 2, "SAST": 2, "CAT": 2,
    "EEST": 3, "MSK": 3, "EAT": 3, "AST": -4, "ADT": -3,
    "EST": -5, "EDT": -4, "ET": -5, "CST": -6, "CDT": -5, "CT": -6,
    "MST": -7, "MDT": -6, "MT": -7, "PST": -8, "PDT": -7, "PT": -8,
    "AKST": -9, "AKDT": -8, "HST": -10,
    "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "AWST": 8,
    "AEST": 10, "AEDT": 11, "ACST": 9.5, "NZST": 12, "NZDT": 13,
}  # fmt: skip

# Generic zone names whose offset depends on daylight saving time: resolved with the
# IANA database (zoneinfo) for the date in question; the fixed offset above otherwise.
_GENERIC_ZONES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}


def _generic_zone(tz: str | None) -> dt.tzinfo | None:
    name = _GENERIC_ZONES.get((tz or "").upper())
    if name is None:
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # no tz database: fall back to the fixed standard offset
        return None


_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = (
    "mon|monday|tue|tues|tuesday|wed|weds|wednesday|thu|thur|thurs|thursday"
    "|fri|friday|sat|saturday|sun|sunday"
)
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TZ_RE = "|".join(sorted(TZ_OFFSETS, key=len, reverse=True))

# Time of day: 14:05, 14:05:09, 06.00 (Guardian), 3:04 pm, 3:04 p.m., 3pm.
_TIME = (
    r"(?P<hh>\d{1,2})(?:[:.](?P<mi>\d{2})(?::(?P<ss>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?"
)
_ZONE = rf"(?P<tz>{_TZ_RE}|[+-]\d{{2}}:?\d{{2}})"
_TAIL = rf"(?:,?\s*(?:at\s+|@\s*|[-|–·]\s*)?{_TIME})?(?:\s*\(?{_ZONE}\)?)?"
_LEAD = rf"^(?:(?:{_WEEKDAYS})\.?,?\s+)?"

# "May 15, 2025", "May 15th 2025 at 3:04 pm EDT", "May 2025"
_MDY = re.compile(
    _LEAD
    + rf"(?P<mon>{_MONTH_RE})\.?\s+(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?"
    + rf"(?P<y>\d{{4}}){_TAIL}$",
    re.IGNORECASE,
)
# "15 May 2025", "Sat 14 May 2022 06.00 BST", "15th of May, 2025"
_DMY = re.compile(
    _LEAD
    + rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_RE})\.?,?\s+"
    + rf"(?P<y>\d{{4}}){_TAIL}$",
    re.IGNORECASE,
)
# "2022/05/10", "2022.05.10 10:30"
_YMD_NUM = re.compile(
    _LEAD + rf"(?P<y>\d{{4}})[/.](?P<m>\d{{1,2}})[/.](?P<d>\d{{1,2}}){_TAIL}$",
    re.IGNORECASE,
)
# "05/10/2022", "15.05.2025", "15-05-2025"
_XXY_NUM = re.compile(
    _LEAD + rf"(?P<a>\d{{1,2}})([/.-])(?P<b>\d{{1,2}})\2(?P<y>\d{{4}}){_TAIL}$",
    re.IGNORECASE,
)
_ISO_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[01]\d\d)(?!\d)")
_DIGITS = re.compile(r"^\d+$")
_ANY_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"\s+")

_MISSING_STRINGS = frozenset({"", "nan", "nat", "none", "null", "n/a", "na"})


def _is_missing(value: Any) -> bool:
    """:func:`framing.schema.is_missing`, or a placeholder string such as ``"n/a"``."""
    if isinstance(value, str):
        return value.strip().lower() in _MISSING_STRINGS
    return is_missing(value)


def _naive_utc(ts: pd.Timestamp) -> pd.Timestamp:
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts.as_unit("ns")


def _zone_offset(tz: str | None) -> dt.timedelta | None:
    if not tz:
        return None
    key = tz.upper()
    if key in TZ_OFFSETS:
        return dt.timedelta(hours=TZ_OFFSETS[key])
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))


def _build(year: int, month: int, day: int, m: re.Match) -> pd.Timestamp:
    """Assemble a timestamp from regex groups; raises ValueError when invalid."""
    hour = minute = second = 0
    if m.group("hh") is not None:
        hour = int(m.group("hh"))
        minute = int(m.group("mi") or 0)
        second = int(m.group("ss") or 0)
        ampm = m.group("ampm")
        if ampm:
            if not 1 <= hour <= 12:
                raise ValueError("12-hour clock out of range")
            pm = ampm[0].lower() == "p"
            hour = hour % 12 + (12 if pm else 0)
        elif m.group("mi") is None:
            # a bare number after the date is not a time ("May 15, 2025 3")
            raise ValueError("bare number after date")
    stamp = dt.datetime(year, month, day, hour, minute, second)
    zone = _generic_zone(m.group("tz"))
    if zone is not None:
        stamp = stamp.replace(tzinfo=zone).astimezone(dt.UTC).replace(tzinfo=None)
        return pd.Timestamp(stamp).as_unit("ns")
    offset = _zone_offset(m.group("tz"))
    if offset is not None:
        stamp = stamp - offset
    return pd.Timestamp(stamp).as_unit("ns")


def _parse_text(text: str, dayfirst: bool) -> pd.Timestamp | None:
    """Parse one non-empty string; return None when it is not a date."""
    s = _SPACES.sub(" ", text.strip())
    if _ISO_LIKE.match(s):
        iso = s[:-4] + "+00:00" if s.endswith(" UTC") else s
        try:
            return _naive_utc(pd.Timestamp(dt.datetime.fromisoformat(iso)))
        except ValueError:
            pass
    if _DIGITS.match(s):
        if len(s) == 8:  # YYYYMMDD
            try:
                return pd.Timestamp(dt.datetime.strptime(s, "%Y%m%d")).as_unit("ns")
            except ValueError:
                return None
        if len(s) in (10, 13):
            return _from_epoch(int(s))
        return None
    m = _MDY.match(s) or _DMY.match(s)
    if m:
        try:
            return _build(
                int(m.group("y")), _MONTHS[m.group("mon").lower()], int(m.group("d") or 1), m
            )
        except ValueError:
            return None
    m = _YMD_NUM.match(s)
    if m:
        try:
            return _build(int(m.group("y")), int(m.group("m")), int(m.group("d")), m)
        except ValueError:
            return None
    m = _XXY_NUM.match(s)
    if m:
        a, b = int(m.group("a")), int(m.group("b"))
        orders = [(b, a), (a, b)] if dayfirst else [(a, b), (b, a)]
        for month, day in orders:
            try:
                return _build(int(m.group("y")), month, day, m)
            except ValueError:
                continue
        return None
    return _parse_fallback(s, dayfirst)


def _parse_fallback(s: str, dayfirst: bool) -> pd.Timestamp | None:
    """Use dateutil for the rarer layouts; insist on a four-digit year."""
    if not _YEAR.search(s) or len(s) > 80:
        return None
    from dateutil import parser as du_parser

    tzinfos: dict[str, Any] = {k: int(v * 3600) for k, v in TZ_OFFSETS.items()}
    for name in _GENERIC_ZONES:
        tzinfos[name] = _generic_zone(name) or tzinfos[name]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = du_parser.parse(
                s, dayfirst=dayfirst, tzinfos=tzinfos, default=dt.datetime(2000, 1, 1)
            )
    except (ValueError, OverflowError, TypeError):
        return None
    return _naive_utc(pd.Timestamp(value))


def _from_epoch(number: float) -> pd.Timestamp | None:
    unit = "ms" if abs(number) > 1e11 else "s"
    try:
        return pd.Timestamp(number, unit=unit).as_unit("ns")
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return None


def _parse_one(value: Any, dayfirst: bool) -> pd.Timestamp | None:
    """Parse a non-missing value; None when it cannot be read."""
    try:
        if isinstance(value, pd.Timestamp):
            return _naive_utc(value)
        if isinstance(value, dt.datetime):
            return _naive_utc(pd.Timestamp(value))
        if isinstance(value, dt.date):
            return pd.Timestamp(value.year, value.month, value.day).as_unit("ns")
        if isinstance(value, np.datetime64):
            return pd.Timestamp(value).as_unit("ns")
        if isinstance(value, bool | np.bool_):
            return None
        if isinstance(value, Number):
            return _from_epoch(float(value))  # type: ignore[arg-type]
        if isinstance(value, bytes):
            value = value.decode("utf-8", errors="replace")
        if isinstance(value, str):
            return _parse_text(value, dayfirst)
    except (ValueError, OverflowError, TypeError, pd.errors.OutOfBoundsDatetime):
        return None
    return None


def _where(source: str | None) -> str:
    return f" in {source}" if source else ""


def parse_date(value: Any, *, dayfirst: bool = False, source: str | None = None) -> pd.Timestamp:
    """Parse one publication date into a timezone-naive :class:`pandas.Timestamp`.

    Parameters
    ----------
    value : str, datetime, date, Timestamp, numpy.datetime64, int or float
        The value to parse (see the module docstring for the accepted forms).
        Numbers are Unix epoch seconds (milliseconds above ``1e11``).
    dayfirst : bool, default=False
        Read ambiguous numeric dates such as ``05/10/2022`` as day/month.
    source : str, optional
        Where the value came from (e.g. ``"nyt.csv, row 12"``); named in the warning.

    Returns
    -------
    pandas.Timestamp
        Timezone-naive, nanosecond unit; values with a zone are converted to UTC
        first. ``NaT`` for missing or unparseable values.

    Warns
    -----
    DateParseWarning
        When a non-missing value cannot be parsed (it becomes ``NaT``).

    Examples
    --------
    >>> parse_date("Sat 14 May 2022 06.00 BST")
    Timestamp('2022-05-14 05:00:00')
    >>> parse_date("2025-05-15T10:30:00+02:00")
    Timestamp('2025-05-15 08:30:00')
    >>> parse_date("")
    NaT
    """
    if _is_missing(value):
        return pd.NaT
    result = _parse_one(value, dayfirst)
    if result is None:
        warnings.warn(
            DateParseWarning(
                f"could not parse {value!r} as a date{_where(source)}; it is NaT. "
                "Pass ISO 8601 dates or fix the value at its source.",
                (value,),
                source,
            ),
            stacklevel=2,
        )
        return pd.NaT
    return result


def parse_dates(
    values: pd.Series | Iterable[Any], *, dayfirst: bool = False, source: str | None = None
) -> pd.Series:
    """Parse a column of dates; each distinct value is parsed once.

    Parameters
    ----------
    values : pandas.Series or iterable
        Dates in any form :func:`parse_date` accepts, possibly mixed. A datetime64
        column (tz-aware or not) is converted directly.
    dayfirst : bool, default=False
        Read ambiguous numeric dates as day/month.
    source : str, optional
        Where the column came from (file and column name); named in the warning.

    Returns
    -------
    pandas.Series
        ``datetime64[ns]``, timezone-naive (UTC), same index and name as ``values``;
        ``NaT`` where a value is missing or unparseable.

    Warns
    -----
    DateParseWarning
        Once, summarising all unparseable values: their count and up to five
        distinct examples.

    Examples
    --------
    >>> parse_dates(["2022/05/10", "2022-02-24T16:23:25Z", None]).tolist()
    [Timestamp('2022-05-10 00:00:00'), Timestamp('2022-02-24 16:23:25'), NaT]
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")
    if pd.api.types.is_datetime64_dtype(series.dtype):
        return series.astype("datetime64[ns]")
    cache: dict[Any, Any] = {}
    failed: list[Any] = []
    n_failed = 0
    out = np.empty(len(series), dtype="datetime64[ns]")
    for i, value in enumerate(series.array):
        try:
            key = (type(value), value)
            hash(key)
        except TypeError:
            key = (type(value), repr(value))
        if key in cache:
            parsed = cache[key]
        else:
            parsed = pd.NaT if _is_missing(value) else _parse_one(value, dayfirst)
            cache[key] = parsed
            if parsed is None and len(failed) < 5:
                failed.append(value)
        if parsed is None:
            n_failed += 1
            out[i] = np.datetime64("NaT")
        else:
            out[i] = np.datetime64("NaT") if parsed is pd.NaT else parsed.asm8
    if n_failed:
        examples = ", ".join(repr(v) for v in failed)
        warnings.warn(
            DateParseWarning(
                f"{n_failed} of {len(series)} date value(s){_where(source)} could not be "
                f"parsed and are NaT, e.g. {examples}. Fix them at the source or pass "
                "ISO 8601 dates.",
                tuple(failed),
                source,
            ),
            stacklevel=2,
        )
    return pd.Series(out, index=series.index, name=series.name, dtype="datetime64[ns]")


# ---------------------------------------------------------------------------- datelines

_DATE_PREFIX = re.compile(
    r"^(?:(?:last\s+)?(?:updated|modified|edited|published|posted|first\s+published|"
    r"dated|date|released|issued|created)(?:\s+(?:on|at))?|on)\b\s*[:\-–|]?\s*",
    re.IGNORECASE,
)
_UPDATE_PREFIX = re.compile(r"^(?:last\s+)?(?:updated|modified|edited)\b", re.IGNORECASE)
# Quick reject: a date line is short and names a month or has a numeric date.
_DATE_HINT = re.compile(
    rf"\b(?:{_MONTH_RE})\b\.?|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{4}}",
    re.IGNORECASE,
)
# Every word of a date line must come from this vocabulary.
_DATE_TOKEN = re.compile(
    rf"^(?:{_WEEKDAYS}|{_MONTH_RE}|{_TZ_RE}|at|on|of|the|am|pm|a\.m|p\.m|utc[+-]\d+"
    r"|\d{1,4}(?:st|nd|rd|th)?|\d{1,2}[:.]\d{2}(?::\d{2})?(?:[ap]m)?|\d{1,2}[ap]m"
    r"|\d{4}-\d{2}-\d{2}(?:t[\d:.]+(?:z|[+-][\d:]+)?)?|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}"
    r"|[+-]\d{2}:?\d{2})$",
    re.IGNORECASE,
)
_DAY_TOKEN = re.compile(
    r"^(?:\d{1,2}(?:st|nd|rd|th)?|\d{4}-\d{2}-\d{2}.*|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4})$",
    re.IGNORECASE,
)
_DATE_SPLIT = re.compile(r"[\s,|·•()–—]+|(?<=\s)-(?=\s)")


def find_date_line(line: str) -> pd.Timestamp | None:
    """Return the date when ``line`` is *only* a date stamp, else ``None``.

    A date stamp is a short line such as ``"Thursday, May 15, 2025"``,
    ``"Updated 15 May 2025 10:31 GMT"``, ``"Published: 2025-05-15"`` or
    ``"Sat 14 May 2022 06.00 BST"``: an optional ``Updated``/``Published``/``Posted``
    prefix, then only date, time and zone words. A sentence that merely mentions a
    date (``"On May 15, 2025, the talks began."``) is not a date line.

    Parameters
    ----------
    line : str
        One line of page text.

    Returns
    -------
    pandas.Timestamp or None
        Timezone-naive (UTC) timestamp, or ``None`` when the line is anything else.

    Examples
    --------
    >>> find_date_line("Thursday, May 15, 2025")
    Timestamp('2025-05-15 00:00:00')
    >>> find_date_line("Updated 15 May 2025 10:31 GMT")
    Timestamp('2025-05-15 10:31:00')
    >>> find_date_line("On May 15, 2025, the talks began.") is None
    True
    """
    s = line.strip()
    if not s or len(s) > 80 or not _ANY_DIGIT.search(s) or not _DATE_HINT.search(s):
        return None
    s = _DATE_PREFIX.sub("", s, count=1).strip().rstrip(".")
    tokens = [t for t in _DATE_SPLIT.split(s) if t]
    if not tokens or not all(_DATE_TOKEN.match(t.rstrip(".")) for t in tokens):
        return None
    if not _YEAR.search(s) or not any(_DAY_TOKEN.match(t) for t in tokens):
        return None  # "March 2022" is a section heading, not a date stamp
    # Drop connector words and separators that the parsers do not expect.
    candidate = " ".join(
        t for t in tokens if t.lower().rstrip(".") not in ("at", "on", "of", "the")
    )
    result = _parse_one(candidate, False)
    if result is None:
        result = _parse_one(s, False)
    return result


def is_update_stamp(line: str) -> bool:
    """Return True when a date line is an *update* stamp (``Updated …``, ``Last modified …``).

    Parameters
    ----------
    line : str
        A line for which :func:`find_date_line` found a date.

    Returns
    -------
    bool
    """
    return bool(_UPDATE_PREFIX.match(line.strip()))
