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
