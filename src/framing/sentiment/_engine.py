"""VADER scoring engine: emoji descriptions and a faster, identical ``polarity_scores``.

See :mod:`framing.sentiment.vader` for the method (Hutto & Gilbert 2014).
"""

from __future__ import annotations

import functools
import string
import types
import warnings
from collections.abc import Callable

from framing.resources import vader_analyzer, vader_lexicon_path


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
