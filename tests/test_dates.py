import datetime as dt
import warnings
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from framing.corpus.dates import DateParseWarning, find_date_line, parse_date, parse_dates

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
T = pd.Timestamp


def _utc_naive(year, month, day, hour, minute, zone):
    """Independent reference: the IANA database via zoneinfo."""
    local = dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))
    return T(local.astimezone(dt.UTC).replace(tzinfo=None))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # ISO 8601 with and without time and zone
        ("2025-05-15", T("2025-05-15")),
        ("2025-05-15T10:30:00Z", T("2025-05-15 10:30")),
        ("2025-05-15 10:30:00+02:00", T("2025-05-15 08:30")),
        ("2025-05-15T10:30", T("2025-05-15 10:30")),
        ("2025-05-15 UTC", T("2025-05-15")),
        ("20250515", T("2025-05-15")),
        # numeric with slashes (NYT style) and month-first
        ("2022/05/10", T("2022-05-10")),
        ("05/10/2022", T("2022-05-10")),
        ("15/05/2025", T("2025-05-15")),  # only one order is a valid date
        # month names
        ("May 15, 2025", T("2025-05-15")),
        ("Thursday, May 15, 2025", T("2025-05-15")),
        ("15 May 2025", T("2025-05-15")),
        ("15th of May, 2025", T("2025-05-15")),
        ("Sept. 5, 2024", T("2024-09-05")),
        ("  May   15,  2025 ", T("2025-05-15")),
        ("May 2025", T("2025-05-01")),
        # times and zones
        ("15 May 2025 14:05 BST", T("2025-05-15 13:05")),
        ("Sat 14 May 2022 06.00 BST", T("2022-05-14 05:00")),
        ("May 15, 2025 at 3:04 p.m. EDT", T("2025-05-15 19:04")),
        ("15 May 2025 12:00 am GMT", T("2025-05-15 00:00")),
        ("15 May 2025 12:30 pm", T("2025-05-15 12:30")),
        # rarer layouts through dateutil
        ("3:04 PM EDT, Thu May 15, 2025", T("2025-05-15 19:04")),
        ("Thu, 15 May 2025 10:30:00 +0000", T("2025-05-15 10:30")),
    ],
)
def test_parse_date_formats(value, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = parse_date(value)
    assert result == expected
    assert result.tzinfo is None


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("May 15, 2025 10:31 am ET", (2025, 5, 15, 10, 31, "America/New_York")),  # EDT
        ("Jan 15, 2025 10:31 am ET", (2025, 1, 15, 10, 31, "America/New_York")),  # EST
        ("July 4, 2024 9:00 pm PT", (2024, 7, 4, 21, 0, "America/Los_Angeles")),
        ("15 May 2025 14:05 BST", (2025, 5, 15, 14, 5, "Europe/London")),
        ("15 Jan 2025 14:05 CET", (2025, 1, 15, 14, 5, "Europe/Paris")),
    ],
)
def test_zones_agree_with_the_iana_database(text, args):
    assert parse_date(text) == _utc_naive(*args)


def test_aware_objects_are_converted_to_utc_then_made_naive():
    aware = dt.datetime(2025, 5, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert parse_date(aware) == T("2025-05-15 08:00")
    assert parse_date(T("2025-05-15 10:00", tz="Europe/Kyiv")) == T("2025-05-15 07:00")
    assert parse_date(dt.date(2025, 5, 15)) == T("2025-05-15")
    assert parse_date(np.datetime64("2025-05-15T10:00")) == T("2025-05-15 10:00")
    assert parse_date(T("2025-05-15")).unit == "ns"


def test_epoch_seconds_and_milliseconds_match_pandas():
    assert parse_date(1747305000) == pd.to_datetime(1747305000, unit="s")
    assert parse_date(1747305000123) == pd.to_datetime(1747305000123, unit="ms")
    assert parse_date(np.int64(1747305000)) == pd.to_datetime(1747305000, unit="s")
    assert parse_date("1747305000") == pd.to_datetime(1747305000, unit="s")


@pytest.mark.parametrize("missing", [None, "", "   ", float("nan"), np.nan, pd.NaT, pd.NA, "NaN"])
def test_missing_values_are_nat_without_warning(missing):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parse_date(missing) is pd.NaT


@pytest.mark.parametrize(
    "bad",
    ["garbage", "May 15", "2025-02-30", "32/13/2025", "yesterday", True, "next Thursday 2025x"],
)
def test_unparseable_values_warn_and_become_nat(bad):
    with pytest.warns(DateParseWarning) as record:
        result = parse_date(bad, source="nyt.csv, row 12")
    assert result is pd.NaT
    message = str(record[0].message)
    assert repr(bad) in message
    assert "nyt.csv, row 12" in message
    assert record[0].message.source == "nyt.csv, row 12"
    assert issubclass(DateParseWarning, UserWarning)


def test_parse_date_never_raises_on_odd_types():
    with pytest.warns(DateParseWarning):
        assert parse_date(object()) is pd.NaT
    with pytest.warns(DateParseWarning):
        assert parse_date(complex(1, 2)) is pd.NaT
    with pytest.warns(DateParseWarning):
        assert parse_date(float("inf")) is pd.NaT


def test_dayfirst_switches_ambiguous_numeric_dates():
    assert parse_date("05/10/2022") == T("2022-05-10")
    assert parse_date("05/10/2022", dayfirst=True) == T("2022-10-05")
    assert parse_date("15.05.2025", dayfirst=True) == T("2025-05-15")


def test_parse_dates_mixed_column_keeps_index_and_name():
    s = pd.Series(
        ["2022/05/10", "2022-02-24T16:23:25Z", None, "May 15, 2025", "2022/05/10"],
        index=[10, 11, 12, 13, 14],
        name="published",
    )
    out = parse_dates(s)
    assert out.dtype == "datetime64[ns]"
    assert out.index.tolist() == [10, 11, 12, 13, 14]
    assert out.name == "published"
    assert out.tolist()[:2] == [T("2022-05-10"), T("2022-02-24 16:23:25")]
    assert out.isna().tolist() == [False, False, True, False, False]


def test_parse_dates_one_summary_warning_with_count_and_examples():
    values = ["2025-05-15", "junk1", "junk2", "junk1", *[f"bad{i}" for i in range(10)]]
    with pytest.warns(DateParseWarning) as record:
        out = parse_dates(values, source="guardian.csv:published")
    assert len(record) == 1
    message = str(record[0].message)
    assert "13 of 14" in message
    assert "guardian.csv:published" in message
    assert "'junk1'" in message and "'junk2'" in message
    assert len(record[0].message.values) == 5  # at most five examples
    assert out.isna().sum() == 13


def test_parse_dates_accepts_datetime_columns():
    aware = pd.Series(pd.to_datetime(["2025-05-15 10:00"]).tz_localize("Europe/Berlin"))
    assert parse_dates(aware).tolist() == [T("2025-05-15 08:00")]
    naive = pd.Series(pd.to_datetime(["2025-05-15"]).as_unit("s"))
    assert parse_dates(naive).dtype == "datetime64[ns]"


def test_parse_dates_agrees_with_pandas_on_iso_strings():
    rng = np.random.default_rng(0)
    stamps = pd.Timestamp("2020-01-01") + pd.to_timedelta(
        rng.integers(0, 5 * 365 * 86400, 500), unit="s"
    )
    iso = pd.Series(stamps.strftime("%Y-%m-%dT%H:%M:%SZ"))
    expected = pd.to_datetime(iso, utc=True).dt.tz_localize(None).astype("datetime64[ns]")
    pd.testing.assert_series_equal(parse_dates(iso), expected)
    guardian_style = pd.Series(stamps.strftime("%a %d %b %Y %H.%M GMT"))
    expected_min = expected.dt.floor("min")
    pd.testing.assert_series_equal(parse_dates(guardian_style), expected_min)


def test_parse_dates_parses_each_distinct_value_once(monkeypatch):
    import framing.corpus.dates as dates

    calls = []
    real = dates._parse_one
    monkeypatch.setattr(dates, "_parse_one", lambda v, d: calls.append(v) or real(v, d))
    distinct = [f"{d} May 2025" for d in range(1, 29)]
    values = pd.Series(distinct * 3_000)  # 84,000 rows, 28 distinct values
    out = parse_dates(values)
    assert len(calls) == len(distinct)
    assert out.iloc[-1] == T("2025-05-28")
    assert out.notna().all()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Thursday, May 15, 2025", T("2025-05-15")),
        ("Updated 15 May 2025 10:31 GMT", T("2025-05-15 10:31")),
        ("Published: 2025-05-15", T("2025-05-15")),
        ("Last modified on Sat 14 May 2022 06.00 BST", T("2022-05-14 05:00")),
        ("Published 3:04 PM EDT, Thu May 15, 2025", T("2025-05-15 19:04")),
        ("May 15, 2025 | 10:30 AM", T("2025-05-15 10:30")),
        ("Posted on March 3, 2024", T("2024-03-03")),
        ("15.05.2025 – 10:31", T("2025-05-15 10:31")),
    ],
)
def test_find_date_line_accepts_date_stamps(line, expected):
    assert find_date_line(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "On May 15, 2025, the talks began.",
        "The summit ended on 15 May 2025 without a deal.",
        "March 2022",  # a section heading in a timeline, no day
        "Tuesday, 1 March",  # no year: never completed with the current year
        "Focus on the BIG picture.",
        "2025",
        "",
        "Analysts expect 2% growth in May 2025 and 3% in 2026",
    ],
)
def test_find_date_line_rejects_sentences_and_partial_dates(line):
    assert find_date_line(line) is None


@pytest.mark.shared
def test_real_corpora_date_columns_parse_completely():
    base = SHARED / "ukraine-nyt-guardian-2022"
    if not base.exists():
        pytest.skip("../shared/data is absent")
    nyt = pd.read_csv(base / "NYT_Russia_Ukraine.csv", usecols=["published"])
    guardian = pd.read_csv(base / "Guardians_Russia_Ukraine.csv", usecols=["published"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", DateParseWarning)
        nyt_dates = parse_dates(nyt["published"])
        guardian_dates = parse_dates(guardian["published"])
    # ranges documented in the dataset's PROVENANCE.md
    assert nyt_dates.min() == T("2022-05-10") and nyt_dates.max() == T("2022-07-31")
    assert guardian_dates.min().date() == dt.date(2022, 2, 24)
    assert guardian_dates.max().date() == dt.date(2022, 8, 6)
    reference = pd.to_datetime(guardian["published"], utc=True).dt.tz_localize(None)
    assert (guardian_dates == reference).all()
