"""Language flag of a unit: stop-word counts of English and other languages.

The rule is documented in :mod:`framing.sentiment.vader` ("Non-English text").
"""

from __future__ import annotations

import functools
import re
from typing import Any

from framing.resources import english_stop_words

__all__ = ["is_non_english"]

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
