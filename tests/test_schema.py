import pandas as pd
import pytest

from framing.schema import ARTICLE_COLUMNS, SchemaError, empty_articles, validate_articles


def test_valid_table_passes(tiny_articles):
    assert validate_articles(tiny_articles) is tiny_articles


def test_empty_articles_is_valid():
    assert list(empty_articles().columns) == list(ARTICLE_COLUMNS)
    validate_articles(empty_articles())


def test_missing_column_names_it(tiny_articles):
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['url'\]"):
        validate_articles(tiny_articles.drop(columns="url"))


def test_duplicate_ids_are_named(tiny_articles):
    t = tiny_articles.assign(article_id=["a1", "a1", "b1", "b2"])
    with pytest.raises(SchemaError, match=r"1 value\(s\) repeat, e\.g\. \['a1'\]"):
        validate_articles(t)


def test_tz_aware_dates_are_rejected(tiny_articles):
    t = tiny_articles.assign(published=tiny_articles.published.dt.tz_localize("UTC"))
    with pytest.raises(SchemaError, match="timezone-naive"):
        validate_articles(t)


def test_null_text_is_rejected(tiny_articles):
    t = tiny_articles.assign(text=["a", None, "b", "c"])
    with pytest.raises(SchemaError, match=r"text is missing for \['a2'\]"):
        validate_articles(t)


def test_float_word_counts_are_rejected(tiny_articles):
    t = tiny_articles.assign(n_words=[1.0, 2.0, 0.0, 3.0])
    with pytest.raises(SchemaError, match="n_words must be integer"):
        validate_articles(t)
    ok = tiny_articles.assign(n_words=pd.array([1, 2, 0, 3], dtype="int64"))
    validate_articles(ok)


def test_is_missing_is_the_one_rule():
    import importlib
    import pkgutil

    import numpy as np

    import framing.sentiment
    from framing.corpus import dates, reader
    from framing.schema import is_missing

    missing = [
        None,
        float("nan"),
        np.float32("nan"),
        pd.NaT,
        pd.NA,
        np.datetime64("NaT"),
        "",
        " \n",
    ]
    present = ["x", 0, 0.0, False, [], "nan", pd.Timestamp("2022-01-01")]
    assert all(is_missing(v) for v in missing)
    assert not any(is_missing(v) for v in present)
    assert reader._is_missing is is_missing
    # every sentiment module that tests for missing values uses the same rule
    users = []
    for info in pkgutil.iter_modules(framing.sentiment.__path__, "framing.sentiment."):
        module = importlib.import_module(info.name)
        if hasattr(module, "_is_missing"):
            assert module._is_missing is is_missing, info.name
            users.append(info.name)
    assert users  # vader's tables and actors test for missing texts
    # dates adds placeholder words on top of the rule
    assert dates._is_missing("n/a") and dates._is_missing(None) and not dates._is_missing("x")
