"""Word shingles of texts as 64-bit hashes (vectorised with NumPy) and their Jaccard similarity."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

_NON_WORD = re.compile(r"\W")
_COMBINE = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime: order-sensitive combine
_POLY = 0x9E3779B97F4A7C15  # odd base of the per-token polynomial hash (mod 2**64)
_POLY_INV = pow(_POLY, -1, 2**64)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_CHARS_PER_CHUNK = 100_000  # bounds the temporary arrays (~40 bytes per character)
_SET_BITS = np.uint64(48)  # shingle-hash bits kept for exact Jaccard (2**16 texts per chunk)
_SET_MASK = np.uint64((1 << 48) - 1)
_TEXTS_PER_CHUNK = 1 << 16
_EMPTY_U64 = np.empty(0, dtype=np.uint64)
_WHITESPACE_SPLIT_LIMIT = 1_000_000
# --------------------------------------------------------------------------- text


def _normalise(text: str) -> str:
    """Case-fold and collapse whitespace (the key for exact duplicates)."""
    if len(text) > _WHITESPACE_SPLIT_LIMIT:  # same result without a huge word list
        return re.sub(r"\s+", " ", text.casefold()).strip()
    return " ".join(text.casefold().split())


@functools.cache
def _word_chars() -> np.ndarray:
    """Boolean table over all code points: True where ``re``'s ``\\w`` matches."""
    return np.array([chr(c).isalnum() or c == 0x5F for c in range(0x110000)], dtype=bool)


_POWER_TABLES: dict[int, np.ndarray] = {}


def _powers(base: int, n: int) -> np.ndarray:
    """``base**i mod 2**64`` for ``i < n`` (read-only; cached during one detection run)."""
    table = _POWER_TABLES.get(base)
    if table is not None and table.size >= n:
        return table[:n]
    out = np.empty(max(n, 1), dtype=np.uint64)
    out[0] = 1
    out[1:] = base
    np.cumprod(out, out=out)  # wraps mod 2**64
    out.flags.writeable = False
    if n <= 2 * _CHARS_PER_CHUNK:
        _POWER_TABLES[base] = out
    return out[:n]


def _pieces(text: str) -> list[str]:
    """Cut a very long text at non-word characters so no token is split."""
    if len(text) <= _CHARS_PER_CHUNK:
        return [text]
    out, pos = [], 0
    while len(text) - pos > _CHARS_PER_CHUNK:
        m = _NON_WORD.search(text, pos + _CHARS_PER_CHUNK)
        cut = m.start() if m else len(text)
        out.append(text[pos:cut])
        pos = cut
    out.append(text[pos:])
    return out


def _token_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the word tokens of several texts, and tokens per text.

    Tokens are the maximal runs of ``\\w`` characters of the case-folded text
    (exactly what ``re.findall(r"\\w+", text.casefold())`` returns), hashed without
    building Python strings: a polynomial hash of the code points (mod 2**64) put
    through the SplitMix64 finaliser, all vectorised with NumPy.
    """
    table = _word_chars()
    pieces: list[str] = []
    owner: list[int] = []
    for d, t in enumerate(texts):
        for piece in _pieces(t.casefold()):
            pieces.append(piece)
            owner.append(d)
    hashes: list[np.ndarray] = []
    token_owner: list[np.ndarray] = []
    i = 0
    while i < len(pieces):
        j, size = i, 0
        while j < len(pieces) and (j == i or size + len(pieces[j]) <= _CHARS_PER_CHUNK):
            size += len(pieces[j]) + 1
            j += 1
        group = pieces[i:j]
        joined = "\x00".join(group)
        cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        edges = np.diff(table[cp].view(np.int8), prepend=np.int8(0), append=np.int8(0))
        starts = np.flatnonzero(edges == 1)
        ends = np.flatnonzero(edges == -1)
        prefix = np.zeros(cp.size + 1, dtype=np.uint64)
        values = cp.astype(np.uint64)
        values += np.uint64(1)
        values *= _powers(_POLY, cp.size)
        np.cumsum(values, out=prefix[1:])
        h = (prefix[ends] - prefix[starts]) * _powers(_POLY_INV, cp.size)[starts]
        hashes.append(_splitmix(h))
        lengths = np.fromiter(map(len, group), dtype=np.int64, count=len(group)) + 1
        piece_starts = np.cumsum(lengths) - lengths
        piece_of_token = np.searchsorted(piece_starts, starts, side="right") - 1
        token_owner.append(np.asarray(owner[i:j], dtype=np.int64)[piece_of_token])
        i = j
    if not hashes:
        return _EMPTY_U64, np.zeros(len(texts), dtype=np.int64)
    counts = np.bincount(np.concatenate(token_owner), minlength=len(texts))
    return np.concatenate(hashes), counts.astype(np.int64)


def _splitmix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser (Steele, Lea & Flood 2014), vectorised on uint64."""
    x = x ^ (x >> np.uint64(30))
    x *= _MIX1
    x ^= x >> np.uint64(27)
    x *= _MIX2
    x ^= x >> np.uint64(31)
    return x


def _shingle_hashes(texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the 64-bit hashes of the word k-shingles of several texts.

    Returns the flat hash array (texts one after another, in order, with
    repeats) and the number of shingles of each text: ``max(n - k + 1, 1)``
    for ``n >= 1`` tokens, 0 for no tokens.
    """
    token_h, lengths = _token_hashes(texts)
    n_shingles = np.where(lengths >= k, lengths - k + 1, np.minimum(lengths, 1))
    total_tokens = int(lengths.sum())
    if total_tokens == 0:
        return _EMPTY_U64, n_shingles
    # Lay the texts out with k - 1 zero tokens after each, so that no window
    # crosses into the next text and short texts still get one window.
    padded = lengths + (k - 1)
    pad_starts = np.cumsum(padded) - padded
    tok_starts = np.cumsum(lengths) - lengths
    buf = np.zeros(int(padded.sum()), dtype=np.uint64)
    buf[np.repeat(pad_starts - tok_starts, lengths) + np.arange(total_tokens)] = token_h
    del token_h
    n_windows = buf.size - (k - 1)
    acc = np.zeros(n_windows, dtype=np.uint64)
    for j in range(k):
        acc ^= buf[j : j + n_windows]
        acc *= _COMBINE
    del buf
    sh_starts = np.cumsum(n_shingles) - n_shingles
    total = int(n_shingles.sum())
    select = np.repeat(pad_starts - sh_starts, n_shingles) + np.arange(total)
    return _splitmix(acc[select]), n_shingles


def _chunks(texts: Sequence[str], batch: int = 256) -> Iterator[tuple[int, list[str]]]:
    """Consecutive ``(start, texts)`` chunks of about ``_CHARS_PER_CHUNK`` characters.

    ``texts`` is read in slices of ``batch``, so a lazy sequence is never
    materialised as a whole.
    """
    chunk: list[str] = []
    start, size = 0, 0
    for b0 in range(0, len(texts), batch):
        for t in texts[b0 : b0 + batch]:
            chunk.append(t)
            size += len(t)
            if size >= _CHARS_PER_CHUNK or len(chunk) == _TEXTS_PER_CHUNK:
                yield start, chunk
                start, chunk, size = start + len(chunk), [], 0
    if chunk:
        yield start, chunk


class _TextColumn(Sequence):
    """Texts of an ``articles`` column in a given row order, converted slice by slice.

    Missing values read as ``""``; other non-strings through :class:`str`.
    """

    def __init__(self, column: pd.Series, positions: np.ndarray) -> None:
        self._column = column
        self._positions = np.asarray(positions, dtype=np.int64)

    def __len__(self) -> int:
        return self._positions.size

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, slice):
            return self.take(self._positions[key])
        return self.take(self._positions[[key]])[0]

    def take(self, positions: np.ndarray) -> list[str]:
        values = self._column.take(positions).tolist()
        return [t if isinstance(t, str) else ("" if pd.isna(t) else str(t)) for t in values]

    def subset(self, index: np.ndarray) -> _TextColumn:
        return _TextColumn(self._column, self._positions[index])


def _shingle_set(text: str, k: int) -> np.ndarray:
    """Sorted unique 64-bit shingle hashes of one text (exact Jaccard input)."""
    return _shingle_sets([text], k)[0]


def _iter_shingle_sets(texts: Sequence[str], k: int) -> Iterator[tuple[int, list[np.ndarray]]]:
    """Yield ``(start, sets)`` per chunk: sorted unique shingle hashes (top 48 bits).

    One sort per chunk on ``(text index << 48) | (hash >> 16)`` replaces a sort
    per text.
    """
    for start, chunk in _chunks(texts):
        hashes, n_sh = _shingle_hashes(chunk, k)
        doc = np.repeat(np.arange(len(chunk), dtype=np.uint64), n_sh)
        key = (doc << _SET_BITS) | (hashes >> np.uint64(64 - _SET_BITS))
        del doc, hashes
        key.sort()
        keep = np.ones(key.size, dtype=bool)
        keep[1:] = key[1:] != key[:-1]
        key = key[keep]
        counts = np.bincount((key >> _SET_BITS).astype(np.int64), minlength=len(chunk))
        key &= _SET_MASK
        yield start, [part.copy() for part in np.split(key, np.cumsum(counts)[:-1])]


def _shingle_sets(texts: Sequence[str], k: int) -> list[np.ndarray]:
    """Sorted unique shingle hashes (top 48 bits) of several texts."""
    return [s for _, sets in _iter_shingle_sets(texts, k) for s in sets]


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted unique arrays."""
    if a.size == 0 and b.size == 0:
        return 0.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)
