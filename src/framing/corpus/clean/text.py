"""Text normalisation and the line features every cleaning rule uses."""

from __future__ import annotations

import re

__all__ = ["headline_like", "normalize_text"]


_MAX_CHROME_WORDS = 60  # a longer line is always treated as body prose
_LIST_ITEM_MAX_WORDS = 30
_MAX_LIST_SCAN = 300  # lines looked at below a list header (keeps cleaning linear)

# ------------------------------------------------------------------------ normalising

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ODD_SPACES = (
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000\t"
)
_RARE_BREAKS = "\r\u2028\u2029\x0b\x0c\x85"
_ZERO_WIDTH = re.compile(f"[{_INVISIBLE}]")
_SPACE_CHARS = re.compile(f"[{_ODD_SPACES}]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_MULTISPACE = re.compile(r" {2,}")


def normalize_text(text: str) -> str:
    """Normalise line breaks and invisible characters, keeping the line structure.

    CRLF and CR become LF; BOM, zero-width characters and soft hyphens are dropped;
    NBSP, tabs and other Unicode spaces become a space; runs of spaces collapse and
    lines are stripped. The number of lines does not change.

    Parameters
    ----------
    text : str
        Raw page text.

    Returns
    -------
    str

    Examples
    --------
    >>> normalize_text("\\ufeffOne\\u00a0two\\r\\nthree\\u200b  four ")
    'One two\\nthree four'
    """
    if any(ch in text for ch in _RARE_BREAKS):
        text = _NEWLINES.sub("\n", text)
    if any(ch in text for ch in _INVISIBLE):
        text = _ZERO_WIDTH.sub("", text)
    if any(ch in text for ch in _ODD_SPACES):
        text = _SPACE_CHARS.sub(" ", text)
    if "  " in text:
        text = _MULTISPACE.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


# ----------------------------------------------------------------------- line features

_CLOSERS = "\"'”’»)]*"
_TERMINAL = ".!?…:"
_SMALL_WORDS = frozenset(
    "a an and as at but by en for from if in into nor of off on onto or over per "
    "than the to up upon via vs vs. with within without is are was be".split()
)


def _words(line: str) -> list[str]:
    return line.split()


def _last_char(line: str) -> str:
    stripped = line.rstrip(_CLOSERS)
    return stripped[-1] if stripped else ""


def _sentence_like(line: str) -> bool:
    """Tell whether a line ends like a sentence (terminal punctuation, maybe quoted)."""
    return _last_char(line) in _TERMINAL


def _starts_capital(line: str) -> bool:
    """Tell whether the first letter is a capital or a digit (symbols skipped; "iTunes" ok)."""
    for i, ch in enumerate(line[:12]):
        if ch.isalnum():
            if ch.isupper() or ch.isdigit():
                return True
            word = line[i:].split(" ", 1)[0]
            return any(c.isupper() for c in word[1:])  # camel case: iTunes, eBay
    return False


def headline_like(line: str) -> bool:
    """Return True for a line shaped like a headline or a list item's title.

    Two to 25 words whose first letter is a capital (or a digit; leading quotes and
    symbols are skipped), not ending in ``.``, ``,``, ``;`` or ``:`` (``?``, ``!`` and
    an ellipsis are allowed). Sentence-case and title-case headlines both qualify.

    Parameters
    ----------
    line : str

    Returns
    -------
    bool

    Examples
    --------
    >>> headline_like("Nissan Plans to Cut Over 10,000 Additional Jobs Worldwide")
    True
    >>> headline_like("Talks resumed on Monday.")
    False
    """
    n = len(_words(line))
    if not 2 <= n <= 25 or not _starts_capital(line):
        return False
    stripped = line.rstrip(_CLOSERS)
    return stripped.endswith(("...", "…")) or _last_char(line) not in ".,;:"


def _title_word(token: str) -> bool:
    core = token.strip("\"'“”‘’()[]«»,;:!?.")
    if not core:
        return True
    first = core[0]
    return first.isupper() or first.isdigit() or not first.isalpha() or core in _SMALL_WORDS


def _title_cased(text: str) -> bool:
    """Title Case: >= 80% of words capitalised or short function words; not ALL CAPS."""
    tokens = text.split()
    if text.isupper() or not tokens:
        return False
    return sum(_title_word(t) for t in tokens) >= 0.8 * len(tokens) and sum(
        1 for t in tokens if t[:1].isupper()
    ) >= 0.5 * len(tokens)


def _key(text: str) -> str:
    """Comparison key: case-folded, single-spaced, without edge punctuation."""
    return " ".join(text.casefold().split()).strip(" .:;,!?\"'“”‘’")
