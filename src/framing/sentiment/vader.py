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

import functools
import re
import string
import types
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing._progress import progress_bar, wants_progress
from framing.resources import english_stop_words, vader_analyzer, vader_lexicon_path
from framing.schema import is_missing as _is_missing

__all__ = [
    "NEGATIVE_THRESHOLD",
    "POSITIVE_THRESHOLD",
    "is_non_english",
    "score_sentiment",
    "score_units",
]

Unit = Literal["sentence", "paragraph"]

#: Hutto & Gilbert (2014): compound >= 0.05 is positive, <= -0.05 negative.
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05

UNIT_SCORE_COLUMNS = (
    "article_id",
    "unit_id",
    "unit",
    "outlet",
    "text",
    "neg",
    "neu",
    "pos",
    "compound",
    "non_english",
)
ARTICLE_SCORE_COLUMNS = (
    "article_id",
    "outlet",
    "sentiment_mean",
    "share_positive",
    "share_negative",
    "n_units",
    "unit",
    "non_english",
)
_SCORES = ("neg", "neu", "pos", "compound")

#: Work above which ``show_progress=None`` shows a bar (in a terminal or Jupyter).
_PROGRESS_UNITS = 1000
_PROGRESS_ARTICLES = 100
#: Articles split and scored per step when an articles table is given.
_ARTICLE_CHUNK = 200

# ------------------------------------------------------------------ language flag
_WORD = re.compile(r"[^\W\d_]+")
# letters outside Basic Latin, Latin-1, Latin Extended-A/B and Latin Extended Additional
_NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f\u1e00-\u1eff]")
#: Frequent function words of six Latin-script languages. English stop words and
#: English words common in news are removed in :func:`_word_lists`.
_FOREIGN_FUNCTION_WORDS = (
    # German
    "der die das und ist nicht mit sich des auf für ein eine einer einen dem zu "
    "von im werden wird wurde sind nach bei über aus oder aber wie noch nur vor zum "
    "zur dass sie er es ich wir ihr auch zwischen gegen seit unter wenn haben"
    # French
    " le la les et est des une du que qui pour dans pas sur au aux avec ce cette "
    "sont il elle ils nous vous mais ou où été être leur entre sans sous depuis "
    "selon très"
    # Spanish
    " el los las y que del por una con para se su al como más pero sus lo fue ha "
    "este esta son está están entre desde sobre hasta también cuando muy hay según"
    # Italian
    " il di che è gli della delle degli del nel alla sono questo anche più tra"
    # Portuguese
    " os não uma com da em mais foi ao dos das na também muito pela pelo"
    # Dutch
    " het een van en niet zijn voor ook aan te worden wordt maar tussen sinds naar "
    "bij hebben heeft"
)
_ENGLISH_LOOKALIKES = frozenset("war will also den man non plus son no do met per par al".split())


@functools.cache
def _word_lists() -> tuple[frozenset[str], frozenset[str]]:
    """Return (English stop words, foreign function words not found in English)."""
    english = english_stop_words()
    foreign = frozenset(_FOREIGN_FUNCTION_WORDS.split()) - english - _ENGLISH_LOOKALIKES
    return english, foreign


#: Function words needed before a text can be flagged by the word rule; names such
#: as "Ursula von der Leyen" bring two.
_MIN_FOREIGN = 3


def _language_counts(text: str) -> tuple[int, int, int, int]:
    """Return ``(english, foreign, letters, non_latin)`` counts for one text."""
    tokens = _WORD.findall(text.lower())
    english_words, foreign_words = _word_lists()
    english = sum(1 for t in tokens if t in english_words)
    foreign = sum(1 for t in tokens if t in foreign_words)
    letters = sum(map(len, tokens))
    non_latin = 0 if text.isascii() else len(_NON_LATIN.findall(text))
    return english, foreign, letters, non_latin


def _flag(english: Any, foreign: Any, letters: Any, non_latin: Any) -> Any:
    """Apply the non-English rule to counts (scalars or arrays)."""
    by_script = non_latin * 2 > letters
    by_words = (foreign >= _MIN_FOREIGN) & (foreign > english)
    return by_script | by_words


def is_non_english(text: str) -> bool:
    """Return True if ``text`` looks non-English by the heuristic in :mod:`framing.sentiment`.

    Examples
    --------
    >>> is_non_english("Die Verhandlungen sind ins Stocken geraten, sagte er.")
    True
    >>> is_non_english("Переговоры зашли в тупик.")
    True
    >>> is_non_english("Talks with the Kremlin stalled.")
    False
    """
    if not isinstance(text, str):
        return False
    return bool(_flag(*_language_counts(text)))


# ------------------------------------------------------------------------- emoji
@functools.cache
def _emoji_table() -> dict[int, str | None]:
    """``str.translate`` table: emoji code point -> `` description ``, built once.

    Descriptions come from ``emoji_utf8_lexicon.txt`` in the ``vaderSentiment``
    package. Entries of several code points (skin tones, flags, ``U+FE0F``
    presentation forms) are covered through their single code points; the
    variation selector and zero-width joiner are removed.
    """
    path = vader_lexicon_path().parent / "emoji_utf8_lexicon.txt"
    table: dict[int, str | None] = {}
    if not path.is_file():  # pragma: no cover - broken install
        warnings.warn(f"{path} is missing: emoji are not translated", stacklevel=2)
        return table
    for line in path.read_text(encoding="utf-8").splitlines():
        emoji, _, description = line.partition("\t")
        emoji = emoji.replace("\ufe0f", "")
        if len(emoji) == 1 and description.strip():
            table.setdefault(ord(emoji), f" {description.strip()} ")
    table[0xFE0F] = None  # variation selector-16 (emoji presentation)
    table[0x200D] = None  # zero-width joiner
    return table


# ------------------------------------------------------------------ fast scoring
#: Strings whose scores must be identical with and without the fast tokeniser.
_PROBES = (
    "The talks were a GREAT success!!! :)",
    "Not good, but not terrible either... (kind of okay?)",
    '"Yeah right," he said -- the U.S. envoy was not happy :-( at least not today.',
    "Don't worry: it isn't bad, it's (sort of) GOOD... right?",
    "!!! ?? ,bad, good. 'quoted' \"double\" ;-) <3 --- LOL",
    "Sanctions never work so well; they're hardly effective, sort of useless?!?",
)


def _fast_sentitext(base: type) -> type:
    """Subclass NLTK's ``SentiText`` with a linear-time, equivalent tokeniser.

    NLTK's ``SentiText._words_and_emoticons`` strips one leading or trailing
    punctuation mark from a token by building a dict of every punctuation mark in
    ``PUNC_LIST`` glued to every distinct word (34 strings per word), about 65% of
    VADER's run time. A token ``p + w`` (or ``w + p``) is in that dict exactly when
    ``p`` is its whole run of leading (trailing) ASCII punctuation, ``p`` is in
    ``PUNC_LIST`` and ``w`` is one of the text's punctuation-free words, so checking
    that directly gives the same tokens without building the dict.
    """
    punctuation = string.punctuation
    marks_set = frozenset(punctuation)

    class FastSentiText(base):  # type: ignore[misc, valid-type]
        def _words_and_emoticons(self) -> list[str]:
            text = self.text
            marks = self.PUNC_LIST
            words_only: set[str] | None = None
            tokens = []
            for token in text.split():
                if len(token) < 2:
                    continue
                if token[0] in marks_set:
                    word = token.lstrip(punctuation)
                    mark = token[: len(token) - len(word)]
                elif token[-1] in marks_set:
                    word = token.rstrip(punctuation)
                    mark = token[len(word) :]
                else:
                    tokens.append(token)
                    continue
                if mark in marks:
                    if words_only is None:  # built once, only when needed
                        cleaned = self.REGEX_REMOVE_PUNCTUATION.sub("", text).split()
                        words_only = {w for w in cleaned if len(w) > 1}
                    if word in words_only:
                        token = word
                tokens.append(token)
            return tokens

    return FastSentiText


@functools.cache
def _polarity_scores() -> Callable[[str], dict[str, float]]:
    """Return NLTK VADER's ``polarity_scores``, running faster with the same results.

    The returned function is NLTK's own ``polarity_scores`` code, executed with the
    equivalent tokeniser of :func:`_fast_sentitext` in place of ``SentiText``. It is
    checked against the stock method on probe strings when built (and in the test
    suite on all 23,700 VADER ground-truth texts); if NLTK's internals change and
    any score differs, the stock method is used with a warning.
    """
    analyzer = vader_analyzer()
    stock = analyzer.polarity_scores
    try:
        from nltk.sentiment import vader as nltk_vader

        original = type(analyzer).polarity_scores
        if "SentiText" not in original.__code__.co_names:
            raise LookupError("polarity_scores no longer builds a SentiText")
        namespace = dict(original.__globals__)
        namespace["SentiText"] = _fast_sentitext(nltk_vader.SentiText)
        function = types.FunctionType(
            original.__code__,
            namespace,
            original.__name__,
            original.__defaults__,
            original.__closure__,
        )
        fast = types.MethodType(function, analyzer)
        if all(fast(probe) == stock(probe) for probe in _PROBES):
            return fast
        raise LookupError("the fast tokeniser changed a probe score")
    except Exception as exc:  # any mismatch or internal change: use NLTK as is
        warnings.warn(f"using NLTK's VADER without the tokeniser speed-up ({exc})", stacklevel=2)
        return stock


# ----------------------------------------------------------------------- helpers
def _show_progress(show_progress: bool | None, n_units: int, n_articles: int = 0) -> bool:
    """Resolve ``show_progress``; ``None`` = on for large jobs in a terminal or Jupyter."""
    large = n_units > _PROGRESS_UNITS or n_articles > _PROGRESS_ARTICLES
    return wants_progress(show_progress, large=large)


def _clean_texts(
    values: Iterable[Any], what: str, caller: str, stacklevel: int = 4
) -> list[str | None]:
    """Return texts with non-strings as None, warning about non-missing non-strings."""
    texts: list[str | None] = []
    bad: list[Any] = []
    for v in values:
        if isinstance(v, str):
            texts.append(v)
        else:
            texts.append(None)
            if not _is_missing(v):
                bad.append(v)
    if bad:
        kinds = sorted({type(v).__name__ for v in bad})
        warnings.warn(
            f"{caller}: {len(bad)} {what}(s) have non-string text ({', '.join(kinds)}, "
            f"e.g. {bad[0]!r}); their scores are NaN",
            stacklevel=stacklevel,
        )
    return texts


def _score_texts(
    texts: Sequence[str | None], *, translate_emoji: bool, progress: Any = None
) -> dict[str, np.ndarray]:
    """VADER scores and language counts for each text (NaN / 0 for missing or blank)."""
    polarity = _polarity_scores()
    table = _emoji_table() if translate_emoji else None
    n = len(texts)
    scores = {k: np.full(n, np.nan) for k in _SCORES}
    counts = np.zeros((n, 4), dtype=np.int64)
    neg, neu, pos, compound = (scores[k] for k in _SCORES)
    for i, text in enumerate(texts):
        if progress is not None:
            progress.update(1)
        if text is None or not text or text.isspace():
            continue
        counts[i] = _language_counts(text)
        if table is not None and not text.isascii():
            text = text.translate(table)
        s = polarity(text)
        neg[i], neu[i], pos[i], compound[i] = s["neg"], s["neu"], s["pos"], s["compound"]
    scores["non_english"] = _flag(*counts.T).astype(bool)
    scores["_counts"] = counts
    return scores


def _progress_bar(enabled: bool, total: int, unit: str) -> Any:
    return progress_bar(enabled, total, unit=unit, desc="VADER sentiment")


def _article_language(table: pd.DataFrame) -> np.ndarray:
    """Flag articles whose ``language`` metadata names a language other than English."""
    if "language" not in table.columns:
        return np.zeros(len(table), dtype=bool)
    lang = table["language"].astype("string").fillna("").str.strip().str.lower()
    return ((lang != "") & ~lang.str.startswith("en")).to_numpy(dtype=bool)


def _is_units(table: pd.DataFrame) -> bool:
    return "unit_id" in table.columns


def _check_units_table(table: pd.DataFrame, unit: str, text_col: str, caller: str) -> None:
    missing = [c for c in ("article_id", "unit_id", text_col) if c not in table.columns]
    if missing:
        raise ValueError(
            f"{caller}: the units table lacks column(s) {missing}; it has {list(table.columns)}"
        )
    if "unit" in table.columns:
        kinds = set(table["unit"].dropna().unique())
        if kinds and kinds != {unit}:
            raise ValueError(
                f"{caller}: the table holds {sorted(kinds)} units but unit={unit!r}; "
                f"pass unit={sorted(kinds)[0]!r} (or split the articles again)"
            )


def _check_articles_table(table: pd.DataFrame, text_col: str, caller: str) -> None:
    missing = [c for c in ("article_id", text_col) if c not in table.columns]
    if missing:
        raise ValueError(
            f"{caller}: expected an articles table (article_id, {text_col}) or a units "
            f"table (article_id, unit_id, {text_col}); column(s) {missing} are missing "
            f"from {list(table.columns)}"
        )


def _check_unit(unit: str) -> None:
    if unit not in ("sentence", "paragraph"):
        raise ValueError(f"unit must be 'sentence' or 'paragraph', got {unit!r}")


def _outlets(table: pd.DataFrame) -> pd.Series:
    if "outlet" in table.columns:
        return table["outlet"]
    return pd.Series("", index=table.index, dtype=object)


def _unit_frame(
    units: pd.DataFrame, texts: list[str | None], scored: dict[str, Any]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": units["article_id"].to_numpy(),
            "unit_id": units["unit_id"].to_numpy(),
            "unit": units["unit"].to_numpy() if "unit" in units else None,
            "outlet": _outlets(units).to_numpy(),
            "text": texts,
            **{k: scored[k] for k in _SCORES},
            "non_english": scored["non_english"],
        },
        columns=list(UNIT_SCORE_COLUMNS),
    )


def _article_chunks(articles: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    for start in range(0, len(articles), size):
        yield articles.iloc[start : start + size]


def _split_and_score(
    articles: pd.DataFrame,
    unit: Unit,
    text_col: str,
    *,
    translate_emoji: bool,
    show_progress: bool | None,
    caller: str,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Split an articles table into units and score them, in chunks of articles.

    Returns the unit-score frame and the per-unit language counts.
    """
    from framing.units import split_units

    texts = _clean_texts(articles[text_col], "article", caller)
    base = pd.DataFrame(
        {
            "article_id": articles["article_id"].to_numpy(),
            "outlet": _outlets(articles).to_numpy(),
            "text": [t if t is not None else "" for t in texts],
        }
    )
    foreign_meta = dict(zip(base["article_id"], _article_language(articles), strict=True))
    bar = _progress_bar(_show_progress(show_progress, 0, len(base)), len(base), "article")
    frames, counts = [], []
    try:
        for chunk in _article_chunks(base, _ARTICLE_CHUNK):
            units = split_units(chunk, unit=unit)
            unit_texts: list[str | None] = units["text"].tolist()
            scored = _score_texts(unit_texts, translate_emoji=translate_emoji)
            frames.append(_unit_frame(units, unit_texts, scored))
            counts.append(scored["_counts"])
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    if frames:
        out = pd.concat(frames, ignore_index=True)
        all_counts = np.concatenate(counts)
    else:  # pragma: no cover - empty input
        out = pd.DataFrame(columns=list(UNIT_SCORE_COLUMNS))
        all_counts = np.zeros((0, 4), dtype=np.int64)
    if any(foreign_meta.values()):
        out["non_english"] = out["non_english"] | out["article_id"].map(foreign_meta).astype(bool)
    return out, all_counts


def _score_unit_table(
    units: pd.DataFrame,
    unit: Unit,
    text_col: str,
    *,
    translate_emoji: bool,
    show_progress: bool | None,
    caller: str,
) -> tuple[pd.DataFrame, np.ndarray]:
    texts = _clean_texts(units[text_col], "unit", caller)
    bar = _progress_bar(_show_progress(show_progress, len(texts)), len(texts), "unit")
    try:
        scored = _score_texts(texts, translate_emoji=translate_emoji, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    out = _unit_frame(units, texts, scored)
    if out["unit"].isna().all():
        out["unit"] = unit
    return out, scored["_counts"]


def _dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    for col in _SCORES:
        frame[col] = frame[col].astype(float)
    frame["non_english"] = frame["non_english"].astype(bool)
    return frame


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


def _aggregate(
    units: pd.DataFrame,
    compound: np.ndarray,
    counts: np.ndarray,
    flagged: np.ndarray,
    unit: str,
    articles: pd.DataFrame | None,
) -> pd.DataFrame:
    """Per-article means, shares and language flag from unit-level arrays."""
    scored = ~np.isnan(compound)
    frame = pd.DataFrame(
        {
            "article_id": units["article_id"].to_numpy(),
            "outlet": _outlets(units).to_numpy(),
            "compound": np.where(scored, compound, 0.0),
            "scored": scored.astype(np.int64),
            "positive": (scored & (compound >= POSITIVE_THRESHOLD)).astype(np.int64),
            "negative": (scored & (compound <= NEGATIVE_THRESHOLD)).astype(np.int64),
            "english": counts[:, 0],
            "foreign": counts[:, 1],
            "letters": counts[:, 2],
            "non_latin": counts[:, 3],
            "flagged_meta": flagged,
        }
    )
    grouped = frame.groupby("article_id", sort=False).agg(
        outlet=("outlet", "first"),
        total=("compound", "sum"),
        n_units=("scored", "sum"),
        positive=("positive", "sum"),
        negative=("negative", "sum"),
        english=("english", "sum"),
        foreign=("foreign", "sum"),
        letters=("letters", "sum"),
        non_latin=("non_latin", "sum"),
        n_flagged=("flagged_meta", "sum"),
    )
    if articles is not None:
        ids = articles["article_id"].to_numpy()
        meta_outlets = pd.Series(_outlets(articles).to_numpy(), index=ids)
        grouped = grouped.reindex(ids)
        grouped["outlet"] = meta_outlets
        for col in (
            "total",
            "n_units",
            "positive",
            "negative",
            "english",
            "foreign",
            "letters",
            "non_latin",
            "n_flagged",
        ):
            grouped[col] = grouped[col].fillna(0)
        metadata_flag = pd.Series(_article_language(articles), index=ids)
    else:
        metadata_flag = pd.Series(False, index=grouped.index)
    n = grouped["n_units"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, grouped["total"].to_numpy(dtype=float) / n, np.nan)
        share_pos = np.where(n > 0, grouped["positive"].to_numpy(dtype=float) / n, np.nan)
        share_neg = np.where(n > 0, grouped["negative"].to_numpy(dtype=float) / n, np.nan)
    language_flag = _flag(
        grouped["english"].to_numpy(),
        grouped["foreign"].to_numpy(),
        grouped["letters"].to_numpy(),
        grouped["non_latin"].to_numpy(),
    ) | (grouped["n_flagged"].to_numpy(dtype=float) * 2 > n)
    out = pd.DataFrame(
        {
            "article_id": grouped.index.to_numpy(),
            "outlet": grouped["outlet"].to_numpy(),
            "sentiment_mean": mean,
            "share_positive": share_pos,
            "share_negative": share_neg,
            "n_units": n.astype(np.int64),
            "unit": unit,
            "non_english": np.asarray(language_flag, dtype=bool)
            | metadata_flag.to_numpy(dtype=bool),
        },
        columns=list(ARTICLE_SCORE_COLUMNS),
    )
    return out
