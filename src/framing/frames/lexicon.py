"""Lexicon method: frame-set terms compiled into one regex trie, scanned in one pass.

A dictionary method in the tradition of Laver & Garry (2000) and Grimmer & Stewart
(2013): transparent, but only as valid as its terms.

Matching rules for ``terms`` and ``exclude`` (the one place they are defined)
-----------------------------------------------------------------------------
- case-insensitive, and whole words: a term never matches inside a longer word
  (``"war"`` does not match ``"warm"``);
- ``*`` at the end of a word is a suffix wildcard (``"divid*"`` matches *divided*,
  *divides*, *dividing*); a ``*`` anywhere else is a literal character;
- a multi-word phrase matches across any run of spaces, line breaks, hyphens,
  dashes and quotation marks (``"cease fire"`` matches *cease-fire*, and ``"lack of
  clarity"`` matches *lack of "clarity"*); ``'`` matches ``’`` and vice versa;
- every other character, including regex metacharacters, is literal (``"C++"``,
  ``"U.S."``, ``"(EU)"``);
- within a frame, where two terms match at the same place the longer wins, and
  matches never overlap, so ``n_matches`` counts distinct stretches of text;
- a term match that overlaps a match of any of the frame's ``exclude`` terms (at
  any word start) is dropped (e.g. ``exclude: ["balance of power"]`` for a frame
  with ``"balanc*"``); the number dropped is reported in ``n_excluded``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from framing.frames.sets import FrameSet

__all__ = ["compile_terms", "compiled_lexicon", "scan_lexicon"]

# --------------------------------------------------------------------------- terms

# Separators allowed between the words of a phrase: whitespace, hyphens and dashes,
# quotation marks. The NUL character that joins units in score_frames is not one.
_SEP = "[\\s\\-\u2010\u2011\u2012\u2013\u2014\"'\u2018\u2019\u201c\u201d\u00ab\u00bb]+"
_APOSTROPHE = "['\u2019]"
_WORD_SPLIT = re.compile("[\\s\\-\u2010\u2011\u2012\u2013\u2014]+")
_WILDCARD = "\\w*"
_END = ""


def _term_atoms(term: str) -> list[str]:
    """Translate one lowercased term into regex atoms (one per character/operator)."""
    atoms: list[str] = []
    for i, word in enumerate(_WORD_SPLIT.split(term.strip().lower())):
        if i:
            atoms.append(_SEP)
        wildcard = word.endswith("*") and len(word) > 1
        body = word[:-1] if wildcard else word
        atoms.extend(_APOSTROPHE if ch in "'\u2019" else re.escape(ch) for ch in body)
        if wildcard:
            atoms.append(_WILDCARD)
    return atoms


def _trie_regex(terms: Iterable[str]) -> str | None:
    """One regex for all ``terms``, factored as a prefix trie.

    A trie-shaped alternation is several times faster in :mod:`re` than a flat
    ``a|b|c`` list. At every node, continuations are tried before ending there
    (greedy ``?``) and literal continuations before a wildcard, so a longer term
    wins over a shorter one it extends (``"split between"`` over ``"split"``).
    """
    root: dict[str, dict] = {}
    for term in terms:
        if not term or not term.strip():
            continue
        node = root
        for atom in _term_atoms(term):
            node = node.setdefault(atom, {})
        node[_END] = {}
    if not root:
        return None

    def emit(node: dict[str, dict]) -> str:
        children = sorted((k for k in node if k != _END), key=lambda k: k == _WILDCARD)
        alternatives = [atom + emit(node[atom]) for atom in children]
        if not alternatives:
            return ""
        ends_here = _END in node
        if len(alternatives) == 1 and not ends_here:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")" + ("?" if ends_here else "")

    return emit(root)


def compile_terms(terms: Iterable[str]) -> re.Pattern[str] | None:
    """Compile lexicon terms into one case-insensitive whole-word pattern.

    The matching rules are those of the module docstring.

    Parameters
    ----------
    terms : iterable of str
        Terms such as ``"divid*"``, ``"at odds"``, ``"U.S."``.

    Returns
    -------
    re.Pattern or None
        ``None`` when ``terms`` is empty.

    Examples
    --------
    >>> p = compile_terms(["divid*", "U.S.", "at odds"])
    >>> [m.group() for m in p.finditer("Divided U.S. allies are at-odds; USA is not.")]
    ['Divided', 'U.S.', 'at-odds']
    >>> compile_terms(["war"]).search("a warm day") is None
    True
    """
    body = _trie_regex(terms)
    if body is None:
        return None
    # (?<!\w) / (?!\w) instead of \b so that terms that begin or end with a
    # non-word character ("(EU)", "C++", "U.S.") still match as whole words.
    return re.compile(f"(?<!\\w)(?:{body})(?!\\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Lexicon:
    """Compiled patterns of one frame set, for lowercased text.

    Scanning makes one pass over the text with ``candidates``: a zero-width
    look-ahead over the trie of *every* term of the set, placed after a non-word
    character (so :mod:`re` can skip ahead to non-word characters instead of
    testing a look-behind at every position). Each candidate position is then
    tried with each frame's anchored pattern (``terms``), and each exclusion
    pattern (``exclude``, which captures every exclusion match starting at a word
    start) is searched only in the units where that frame matched. One pass plus
    a few anchored matches is several times faster than one full pass per frame.
    """

    candidates: re.Pattern[str] | None
    terms: dict[str, re.Pattern[str] | None]
    exclude: dict[str, re.Pattern[str] | None]
    first_chars: dict[str, list[str]]

    @classmethod
    def build(cls, frame_set: FrameSet) -> Lexicon:
        def anchored(items: Sequence[str]) -> re.Pattern[str] | None:
            body = _trie_regex(items)
            return None if body is None else re.compile(f"(?:{body})(?!\\w)")

        def overlapping(items: Sequence[str]) -> re.Pattern[str] | None:
            body = _trie_regex(items)
            return None if body is None else re.compile(f"\\W(?=((?:{body})(?!\\w)))")

        every = [t for f in frame_set.frames.values() for t in f.terms]
        return cls(
            candidates=overlapping(every),
            terms={k: anchored(f.terms) for k, f in frame_set.frames.items()},
            exclude={k: overlapping(f.exclude) for k, f in frame_set.frames.items()},
            first_chars={k: _first_chars(f.terms) for k, f in frame_set.frames.items()},
        )


def _first_chars(terms: Sequence[str]) -> list[str]:
    """Return the characters a frame's matches can start with (in lowercased text)."""
    chars = set()
    for term in terms:
        first = term.strip().lower()[:1]
        chars.update(["'", "\u2019"] if first in ("'", "\u2019") else [first])
    return sorted(chars)


def compiled_lexicon(frame_set: FrameSet) -> Lexicon:
    """Compiled term patterns of ``frame_set``, built once per frame set."""
    cache = frame_set._compiled
    if "lexicon" not in cache:
        cache["lexicon"] = Lexicon.build(frame_set)
    return cache["lexicon"]


def scan_lexicon(
    texts: Sequence[str], frame_set: FrameSet
) -> tuple[np.ndarray, np.ndarray, list[dict[int, list[str]]]]:
    """Count term matches of every frame in every text.

    Returns ``(counts, excluded, matched)``: two ``(n_texts, n_frames)`` int arrays
    and, per frame, ``{text index: [matched text, ...]}``.
    """
    lexicon = compiled_lexicon(frame_set)
    n = len(texts)
    keys = frame_set.keys
    counts = np.zeros((n, len(keys)), dtype=np.int64)
    excluded = np.zeros((n, len(keys)), dtype=np.int64)
    matched: list[dict[int, list[str]]] = [{} for _ in keys]
    if n == 0 or lexicon.candidates is None:
        return counts, excluded, matched
    # Units are joined by NUL, which no term or separator matches, so a match never
    # spans two units; the leading NUL lets a match start at the first character.
    clean = [t.replace("\x00", " ") if isinstance(t, str) else "" for t in texts]
    joined = "\x00" + "\x00".join(clean)
    lower = joined.lower()
    if len(lower) != len(joined):  # a character lowercases to several: keep offsets
        lower = _lower_keep_offsets(joined)
    lengths = np.fromiter((len(t) + 1 for t in clean), dtype=np.int64, count=n)
    starts = np.concatenate([[1], 1 + np.cumsum(lengths)[:-1]])
    positions = np.fromiter(
        (m.start(1) for m in lexicon.candidates.finditer(lower)), dtype=np.int64
    )
    first = np.array([lower[p] for p in positions.tolist()], dtype="U1")
    for j, key in enumerate(keys):
        pattern, exclude = lexicon.terms[key], lexicon.exclude[key]
        if pattern is None:
            continue
        kept: list[tuple[int, int]] = []
        dropped: list[int] = []
        last_end = 0
        for pos in positions[np.isin(first, lexicon.first_chars[key])].tolist():
            if pos < last_end:
                continue  # a frame's matches never overlap (like re.finditer)
            m = pattern.match(lower, pos)
            if m is None:
                continue
            last_end = m.end()
            if exclude is not None and _overlaps(exclude, lower, pos, last_end):
                dropped.append(pos)
            else:
                kept.append((pos, last_end))
        if kept:
            span = np.asarray(kept, dtype=np.int64)
            unit_of = np.searchsorted(starts, span[:, 0], side="right") - 1
            counts[:, j] = np.bincount(unit_of, minlength=n)
            frame_matches = matched[j]
            for (s, e), u in zip(kept, unit_of.tolist(), strict=True):
                frame_matches.setdefault(u, []).append(" ".join(lower[s:e].split()))
        if dropped:
            unit_of = np.searchsorted(starts, np.asarray(dropped), side="right") - 1
            excluded[:, j] = np.bincount(unit_of, minlength=n)
    return counts, excluded, matched


def _overlaps(exclude: re.Pattern[str], text: str, start: int, end: int) -> bool:
    """Whether an exclusion match in the unit around ``start:end`` overlaps it."""
    unit_start = text.rfind("\x00", 0, start)
    unit_end = text.find("\x00", end)
    for x in exclude.finditer(text, unit_start, len(text) if unit_end < 0 else unit_end):
        if x.start(1) >= end:
            return False
        if x.end(1) > start:
            return True
    return False


def _lower_keep_offsets(text: str) -> str:
    """Lowercase ``text``, keeping the few characters whose lowercase is longer.

    ``"İ".lower()`` has two characters, which would shift every later offset; such
    characters are swapped for private-use stand-ins while lowercasing.
    """
    odd = [c for c in set(text) if len(c.lower()) != 1]
    for i, c in enumerate(odd):
        text = text.replace(c, chr(0xF0000 + i))
    text = text.lower()
    for i, c in enumerate(odd):
        text = text.replace(chr(0xF0000 + i), c)
    return text
