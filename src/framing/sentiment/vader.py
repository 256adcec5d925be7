"""Sentiment: VADER scores per unit (sentence) and per article, offline.

Scorer
------
VADER (Hutto & Gilbert 2014) through NLTK's
:class:`~nltk.sentiment.vader.SentimentIntensityAnalyzer`, built once per process by
:func:`framing.resources.vader_analyzer` from the lexicon shipped by the
``vaderSentiment`` package: nothing is downloaded. Per unit VADER gives ``neg``,
``neu`` and ``pos`` (shares of the text's sentiment-bearing mass, summing to 1) and
``compound`` in [-1, 1] (positive = positive tone).

Why the article score is the mean of its sentences
--------------------------------------------------
``compound`` is a normalised *sum*: VADER adds the valences ``x`` of all words of the
text and maps them to ``x / sqrt(x**2 + alpha)`` with ``alpha = 15`` (Hutto & Gilbert
2014, section 3). The sum grows with the length of the text, so the compound of a
whole article saturates towards -1 or +1 (a sum of 10 already gives 0.93) and
measures length as much as tone. VADER was designed and validated on
sentence-length text, so an article is scored as the **mean of its sentence
compounds**, with the share of positive (``compound >= 0.05``) and negative
(``compound <= -0.05``) sentences, the thresholds of Hutto & Gilbert (2014). On the
human-rated NYT editorial snippets the mean of sentence compounds tracks the
article's mean human rating more closely than the compound of the joined text
(``benchmarks/bench_sentiment.py``).

Speed
-----
NLTK's ``polarity_scores`` code runs unchanged except for one helper: the token
clean-up of ``SentiText`` is replaced by an equivalent that avoids building a
34-entries-per-word dictionary for every sentence (see :func:`_polarity_scores`).
Scores are identical to NLTK's, checked on every VADER ground-truth text and on
random punctuation-heavy strings; sentence scoring runs about 2.5 to 3 times as
fast as a plain loop over NLTK's ``polarity_scores``.

Bad input
---------
- **Missing or empty text** (``None``, NaN, ``""``, whitespace): scores are NaN, never
  0, and the article's ``n_units`` is 0.
- **Non-string values** (numbers, lists, ...): treated as missing, with a warning
  counting them.
- **Very long units**: VADER's work is linear in the length of the text (NLTK 3.10
  fixed a quadratic token lookup); a 100,000-character sentence without
  punctuation takes about 0.1 s here, so nothing is truncated.
- **Emoji**: NLTK's VADER has no emoji lexicon and ignores them. With
  ``translate_emoji=True`` (the default) every emoji code point is replaced by its
  description from ``emoji_utf8_lexicon.txt`` shipped with ``vaderSentiment`` (as
  the reference VADER implementation does), so "😡" reads as "pouting face" and
  "😢" as "crying face", which VADER then scores. Text without emoji is unchanged.
- **Not English**: VADER's lexicon and rules are English-only; on German text
  "Die" even scores as the English verb. Units and articles are *flagged*
  (``non_english``), not dropped; filter on the flag before comparing outlets. The
  flag is a cheap heuristic in two parts:

  1. *script*: more than half of the letters are outside the Latin script
     (Cyrillic, CJK, Arabic, Greek, Hebrew, ...);
  2. *function words* (the "common words" method of language identification,
     Grefenstette 1995): at least three tokens are frequent function words of
     German, French, Spanish, Italian, Portuguese or Dutch (words that are also
     English, such as "die", "per" or "met", are left out), and they outnumber
     the tokens in scikit-learn's English stop-word list.

  An article is flagged by the same rule applied to the counts pooled over its
  units, when more than half of its units are flagged, or when an articles table
  carries a ``language`` column whose value is set and does not start with
  ``"en"`` (its units are then flagged too). Short units with neither signal
  (names, numbers, a four-word foreign sentence) are not flagged. The benchmark
  reports the unit flag's false-positive rate on about 13,400 English news
  sentences (NYT editorial snippets and the NYT/Guardian Ukraine articles).

References
----------
Hutto, C. J. & Gilbert, E. (2014). VADER: A parsimonious rule-based model for
sentiment analysis of social media text. *Proc. ICWSM-14*, 216-225.
Grefenstette, G. (1995). Comparing two language identification schemes. *Proc.
JADT 1995*, 263-268.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.sentiment._language import _language_counts, is_non_english
from framing.sentiment._tables import (
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
    Unit,
    _aggregate,
    _check_articles_table,
    _check_unit,
    _check_units_table,
    _clean_texts,
    _dtypes,
    _is_units,
    _score_unit_table,
    _split_and_score,
)

__all__ = [
    "NEGATIVE_THRESHOLD",
    "POSITIVE_THRESHOLD",
    "is_non_english",
    "score_sentiment",
    "score_units",
]


# ---------------------------------------------------------------------- public API
def score_units(
    table: pd.DataFrame,
    *,
    unit: Unit = "sentence",
    text_col: str = "text",
    show_progress: bool | None = None,
    translate_emoji: bool = True,
) -> pd.DataFrame:
    """VADER sentiment of every unit (sentence or paragraph).

    Parameters
    ----------
    table : pandas.DataFrame
        An ``articles`` table (split into units with :func:`framing.split_units`) or
        a ``units`` table (recognised by its ``unit_id`` column).
    unit : {"sentence", "paragraph"}, default="sentence"
        Unit of analysis. A units table must hold this kind of unit.
    text_col : str, default="text"
        Column holding the text.
    show_progress : bool, optional
        Show a tqdm progress bar. ``None`` (default): on when there are more than
        1,000 units (or 100 articles) and stderr is a terminal or the code runs in
        Jupyter.
    translate_emoji : bool, default=True
        Replace emoji by their descriptions before scoring (see
        :mod:`framing.sentiment`); ``False`` leaves them to VADER, which ignores them.

    Returns
    -------
    pandas.DataFrame
        One row per unit: ``article_id, unit_id, unit, outlet, text, neg, neu, pos,
        compound, non_english``. ``compound`` in [-1, 1], positive = positive tone
        (Hutto & Gilbert 2014). Units with missing, empty or non-string text have
        NaN scores. ``non_english`` flags text VADER cannot score meaningfully.

    Examples
    --------
    >>> units = pd.DataFrame({"article_id": ["a", "a"], "unit_id": ["a:s0", "a:s1"],
    ...                       "text": ["The talks were a great success.", ""]})
    >>> score_units(units)[["unit_id", "compound", "non_english"]]
      unit_id  compound  non_english
    0    a:s0    0.8316        False
    1    a:s1       NaN        False
    """
    _check_unit(unit)
    if _is_units(table):
        _check_units_table(table, unit, text_col, "score_units")
        out, _ = _score_unit_table(
            table,
            unit,
            text_col,
            translate_emoji=translate_emoji,
            show_progress=show_progress,
            caller="score_units",
        )
    else:
        _check_articles_table(table, text_col, "score_units")
        out, _ = _split_and_score(
            table,
            unit,
            text_col,
            translate_emoji=translate_emoji,
            show_progress=show_progress,
            caller="score_units",
        )
    return _dtypes(out)


def score_sentiment(
    table: pd.DataFrame,
    *,
    unit: Unit = "sentence",
    text_col: str = "text",
    show_progress: bool | None = None,
    translate_emoji: bool = True,
) -> pd.DataFrame:
    """VADER sentiment per article: the mean of its unit compounds and their signs.

    The article score is the mean of the sentence compounds, not the compound of
    the whole text, because VADER's compound ``x / sqrt(x**2 + 15)`` saturates
    towards -1 or +1 as the text grows (Hutto & Gilbert 2014); see
    :mod:`framing.sentiment`.

    Parameters
    ----------
    table : pandas.DataFrame
        An ``articles`` table, a ``units`` table, or the output of
        :func:`score_units` (recognised by ``unit_id`` and ``compound`` columns;
        aggregated without scoring again, so score once and reuse).
    unit : {"sentence", "paragraph"}, default="sentence"
        Unit whose compounds are averaged.
    text_col : str, default="text"
        Column holding the text.
    show_progress : bool, optional
        See :func:`score_units`.
    translate_emoji : bool, default=True
        See :func:`score_units`.

    Returns
    -------
    pandas.DataFrame
        One row per article: ``article_id, outlet, sentiment_mean, share_positive,
        share_negative, n_units, unit, non_english``.

        - ``sentiment_mean``: mean compound of the article's scored units, in
          [-1, 1]; positive = positive tone.
        - ``share_positive`` / ``share_negative``: share of units with compound
          ``>= 0.05`` / ``<= -0.05``.
        - ``n_units``: units with a score. Articles with no text have ``n_units = 0``
          and NaN scores. Given an articles table, every article has a row; given
          units, only articles with at least one unit appear.
        - ``non_english``: the language flag of :mod:`framing.sentiment` applied to
          the whole article.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["x", "y"],
    ...     "text": ["Talks failed. Leaders were angry. A deal is good.", ""]})
    >>> score_sentiment(arts)[["article_id", "sentiment_mean", "n_units"]]
      article_id  sentiment_mean  n_units
    0          a         -0.1936        3
    1          b             NaN        0
    """
    _check_unit(unit)
    caller = "score_sentiment"
    articles: pd.DataFrame | None = None
    if _is_units(table) and "compound" in table.columns:
        _check_units_table(table, unit, text_col, caller)
        units = table
        texts = _clean_texts(units[text_col], "unit", caller, stacklevel=3)
        counts = np.array(
            [_language_counts(t) if t else (0, 0, 0, 0) for t in texts], dtype=np.int64
        ).reshape(-1, 4)
        compound = pd.to_numeric(units["compound"], errors="coerce").to_numpy(dtype=float)
        flagged = (
            units["non_english"].to_numpy(dtype=bool)
            if "non_english" in units
            else np.zeros(len(units), dtype=bool)
        )
    else:
        kwargs = {
            "translate_emoji": translate_emoji,
            "show_progress": show_progress,
            "caller": caller,
        }
        if _is_units(table):
            _check_units_table(table, unit, text_col, caller)
            units, counts = _score_unit_table(table, unit, text_col, **kwargs)
        else:
            _check_articles_table(table, text_col, caller)
            articles = table
            units, counts = _split_and_score(table, unit, text_col, **kwargs)
        compound = units["compound"].to_numpy(dtype=float)
        flagged = units["non_english"].to_numpy(dtype=bool)
    return _aggregate(units, compound, counts, flagged, unit, articles)
