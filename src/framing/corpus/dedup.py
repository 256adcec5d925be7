"""Exact and near-duplicate articles: syndicated wire copy, pages scraped twice.

Method
------
**Exact duplicates** have the same *normalised* text: case-folded
(:meth:`str.casefold`) with every run of whitespace collapsed to one space and the
ends stripped. Texts are compared by a 128-bit BLAKE2b digest of that string.

**Near duplicates** are found with MinHash locality-sensitive hashing (Broder
1997; banding as in Leskovec, Rajaraman & Ullman 2014, ch. 3):

1. Each text becomes the *set* of its word ``shingle``-grams (default 5): the
   tokens are the ``\\w+`` runs of the case-folded text, so punctuation and
   spacing edits do not matter. A text with fewer than ``shingle`` tokens has one
   shingle made of all its tokens. Every token is hashed to 64 bits (a polynomial
   hash of its code points modulo ``2**64`` through the SplitMix64 finaliser of
   Steele, Lea & Flood 2014), the ``shingle`` token hashes are combined in order,
   and the result is mixed again; all of this is vectorised with NumPy, without
   building a Python string per token.
2. A MinHash signature keeps, for each of ``num_perm`` hash functions
   ``h_i(x) = (a_i x + b_i) mod 2**64`` (``a_i`` odd; ``a_i``, ``b_i`` drawn from
   ``numpy.random.default_rng(random_state)``), the top 32 bits of the minimum over
   the text's shingles. The share of equal signature entries of two texts is an
   unbiased estimate of the Jaccard similarity of their shingle sets. The hashing
   is vectorised with NumPy (all permutations of a block of shingles at once).
3. The signature is cut into ``b`` bands of ``r`` rows; texts that agree on all
   rows of at least one band become *candidate pairs*. ``r`` is the largest value
   (with ``b = num_perm // r``) for which a pair whose Jaccard similarity equals
   ``threshold`` becomes a candidate with probability ``1 - (1 - t**r)**b >= 0.99``
   (higher for more similar pairs). For the defaults (``threshold=0.8``,
   ``num_perm=128``) that is 21 bands of 6 rows. Within one band bucket the members
   (in the stable order below) are paired with the bucket's first member and with
   their neighbour, so a bucket costs linear, not quadratic, work.
4. Every candidate pair is **verified** with the exact Jaccard similarity of the
   two shingle sets, ``|A ∩ B| / |A ∪ B|``, and accepted when it is
   ``>= threshold``. The MinHash estimate only proposes pairs; it never decides.
   (The sets hold the top 48 bits of each shingle hash: two distinct shingles of
   a pair of news articles share them with a probability of about 1e-9, so the
   value equals the Jaccard similarity of the word shingles themselves.)
5. Accepted pairs are merged into clusters, the connected components of the
   graph of accepted pairs (:func:`scipy.sparse.csgraph.connected_components`),
   so chains resolve to one original:
   if ``A ~ B`` and ``B ~ C`` then ``B`` and ``C`` are both duplicates of ``A``,
   even when ``C`` alone is less similar than ``threshold`` to ``A``.

Which copy is the original
--------------------------
Articles are put in a stable order: by ``published`` (``NaT`` last), then by
``article_id``. In every cluster of exact or near duplicates the first article in
that order is the original (``duplicate_of == ""``) and every other member gets
``duplicate_of`` = the original's ``article_id``. The result therefore does not
depend on the row order of the input.

``duplicate_kind`` says how a flagged article relates to its original:
``"exact"`` when their normalised texts are identical, else ``"near"``.

Empty texts (empty or whitespace-only after normalisation, or missing) are never
duplicates of each other or of anything else: an empty body carries no evidence
that two pages are the same article. A text with characters but no word tokens
(e.g. ``"***"``) can only be an exact duplicate.

Cost: linear in the total number of shingles (times ``num_perm``) plus the
candidate pairs, so 100,000 news articles take well under two minutes on two
cores (see ``benchmarks/bench_dedup.py``). Texts are read from the table in
chunks of about 100,000 characters, so memory stays near the signatures
(``4 * num_perm`` bytes per article) plus the shingle sets of candidate pairs
whose verification is pending. Thresholds below about 0.5 make the bands wide
and the candidate lists long; they still work but get slower.

Why not datasketch: its ``MinHash`` hashes each shingle in Python (SHA-1 per
shingle), about 114 s of CPU per 100,000 BBC-length articles for the signatures
alone (measured 2026-12-07 on 2,000 BBC articles, 128 permutations), where this
module's vectorised signatures, banding and verification take about 33 s of CPU
for the whole detection (``benchmarks/bench_dedup.py``), against a target of
under 2 minutes of wall time. Clustering uses scipy's connected components.

References
----------
Broder, A. Z. (1997). On the resemblance and containment of documents.
*Proceedings of Compression and Complexity of SEQUENCES 1997*, 21-29.

Leskovec, J., Rajaraman, A., & Ullman, J. D. (2014). *Mining of Massive
Datasets* (2nd ed.), chapter 3. Cambridge University Press.

Steele, G. L., Lea, D., & Flood, C. H. (2014). Fast splittable pseudorandom
number generators. *OOPSLA 2014*, 453-472.
"""

from __future__ import annotations

import functools
import hashlib
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framing.schema import SchemaError

__all__ = ["duplicate_pairs", "flag_duplicates"]

_NON_WORD = re.compile(r"\W")
_COMBINE = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime: order-sensitive combine
_POLY = 0x9E3779B97F4A7C15  # odd base of the per-token polynomial hash (mod 2**64)
_POLY_INV = pow(_POLY, -1, 2**64)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_RECALL_AT_THRESHOLD = 0.99
_CHARS_PER_CHUNK = 100_000  # bounds the temporary arrays (~40 bytes per character)
_SHINGLES_PER_BLOCK = 4096
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


# ----------------------------------------------------------------------- MinHash


def _permutations(num_perm: int, random_state: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(random_state)
    a = rng.integers(0, 2**64, size=num_perm, dtype=np.uint64, endpoint=False) | np.uint64(1)
    b = rng.integers(0, 2**64, size=num_perm, dtype=np.uint64, endpoint=False)
    return a, b


def _signatures(
    texts: Sequence[str],
    *,
    num_perm: int,
    shingle: int,
    random_state: int,
) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures (uint32, one row per text) and a has-shingles mask.

    Rows of texts without any word token are all ``2**32 - 1`` and ``False`` in
    the mask; they must not take part in banding.
    """
    a, b = _permutations(num_perm, random_state)
    a_col, b_col = a[:, None], b[:, None]
    # permutations x documents: the per-document minimum runs over contiguous memory
    sig = np.full((num_perm, len(texts)), np.iinfo(np.uint32).max, dtype=np.uint32)
    has = np.zeros(len(texts), dtype=bool)
    block = np.empty((num_perm, _SHINGLES_PER_BLOCK), dtype=np.uint64)
    for c0, chunk in _chunks(texts):
        hashes, n_sh = _shingle_hashes(chunk, shingle)
        has[c0 : c0 + len(chunk)] = n_sh > 0
        doc_ids = np.flatnonzero(n_sh) + c0
        ends = np.cumsum(n_sh[n_sh > 0])
        starts = ends - n_sh[n_sh > 0]
        for s in range(0, hashes.size, _SHINGLES_PER_BLOCK):
            e = min(s + _SHINGLES_PER_BLOCK, hashes.size)
            # documents overlapping [s, e); each is one contiguous run in here
            lo = np.searchsorted(ends, s, side="right")
            hi = np.searchsorted(starts, e, side="left")
            seg = np.maximum(starts[lo:hi], s) - s
            out = block[:, : e - s]
            np.multiply(a_col, hashes[s:e], out=out)
            out += b_col
            # the top 32 bits of the minimum are the minimum of the top 32 bits
            mins = (np.minimum.reduceat(out, seg, axis=1) >> np.uint64(32)).astype(np.uint32)
            cols = doc_ids[lo:hi]
            sig[:, cols] = np.minimum(sig[:, cols], mins)
    return sig.T, has  # a view: row i is text i


def _band_shape(threshold: float, num_perm: int) -> tuple[int, int, float]:
    """Return (bands, rows, P(candidate | J = threshold)) for the LSH banding."""
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        p = 1.0 - (1.0 - threshold**rows) ** bands
        if p >= _RECALL_AT_THRESHOLD:
            return bands, rows, p
    return num_perm, 1, 1.0 - (1.0 - threshold) ** num_perm


def _candidate_pairs(
    sig: np.ndarray, bands: int, rows: int, random_state: int, usable: np.ndarray | None = None
) -> np.ndarray:
    """Candidate pairs ``(i, j)``, ``i < j``, of rows sharing a band bucket.

    Only the rows in ``usable`` (default: all) take part; pairs index ``sig``.
    """
    if usable is None:
        usable = np.arange(sig.shape[0])
    n = usable.size
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    every = n == sig.shape[0]
    rng = np.random.default_rng([random_state, 1])
    weights = rng.integers(0, 2**64, size=rows, dtype=np.uint64) | np.uint64(1)
    found = []
    for band in range(bands):
        cols = sig[:, band * rows : (band + 1) * rows]
        cols = (cols if every else cols[usable]).astype(np.uint64)
        key = _splitmix((cols * weights).sum(axis=1, dtype=np.uint64))
        order = np.argsort(key, kind="stable")
        k = key[order]
        same = k[1:] == k[:-1]
        if not same.any():
            continue
        # first member of each run of equal keys
        run_start = np.flatnonzero(np.concatenate(([True], ~same)))
        first = order[np.repeat(run_start, np.diff(np.append(run_start, n)))]
        later = np.flatnonzero(same) + 1  # positions that continue a run
        star = np.column_stack((first[later], order[later]))
        neighbour = np.column_stack((order[later - 1], order[later]))
        found.append(star)
        found.append(neighbour)
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    pairs.sort(axis=1)
    pairs = np.unique(pairs, axis=0)
    return usable[pairs].astype(np.int64)


# ------------------------------------------------------------------- detection


def _components(n: int, edges: np.ndarray) -> np.ndarray:
    """Connected-component label of nodes ``0..n-1`` joined by ``edges`` (k x 2)."""
    from scipy.sparse import coo_matrix  # ~1 s to import: only when there are pairs
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])), (n, n))
    return connected_components(graph, directed=False)[1]


def _earliest_in_cluster(n: int, edges: list[tuple[int, int]]) -> np.ndarray:
    """For nodes ``0..n-1`` joined by ``edges``, the smallest node of each one's cluster."""
    if not edges:
        return np.arange(n)
    label = _components(n, np.asarray(edges, dtype=np.int64))
    first = np.full(label.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, label, np.arange(n))
    return first[label]


@dataclass
class _Result:
    duplicate_of: list[str]
    kind: list[str]
    jaccard: np.ndarray
    report: dict = field(default_factory=dict)


def _check_args(threshold: float, num_perm: int, shingle: int) -> None:
    if not 0.0 < float(threshold) <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    if int(num_perm) != num_perm or num_perm < 2:
        raise ValueError(f"num_perm must be an integer >= 2, got {num_perm!r}")
    if int(shingle) != shingle or shingle < 1:
        raise ValueError(f"shingle must be an integer >= 1, got {shingle!r}")


def _stable_order(articles: pd.DataFrame) -> np.ndarray:
    """Row positions sorted by (published, article_id), NaT last."""
    ids = articles["article_id"].astype(str).to_numpy(dtype=object)
    if "published" not in articles.columns:
        return np.argsort(ids, kind="stable")
    published = articles["published"]
    if not pd.api.types.is_datetime64_any_dtype(published):
        raise SchemaError(
            f"articles.published must be datetime64 to order copies, got {published.dtype}; "
            "convert it with pandas.to_datetime or load the corpus with framing.load_corpus"
        )
    key = pd.DataFrame({"published": published.to_numpy(), "article_id": ids})
    return key.sort_values(
        ["published", "article_id"], na_position="last", kind="stable"
    ).index.to_numpy()


def _detect(
    articles: pd.DataFrame,
    *,
    threshold: float,
    num_perm: int,
    shingle: int,
    random_state: int,
    with_jaccard: bool = False,
) -> _Result:
    _check_args(threshold, num_perm, shingle)
    for col in ("article_id", "text"):
        if col not in articles.columns:
            raise SchemaError(
                f"flag_duplicates needs an articles table with column {col!r}; "
                f"it has {list(articles.columns)}"
            )
    ids_series = articles["article_id"]
    if ids_series.isna().any():
        raise SchemaError("articles.article_id has missing values; every row needs an id")
    if ids_series.duplicated().any():
        repeated = sorted(set(ids_series[ids_series.duplicated()].astype(str)))[:5]
        raise SchemaError(
            f"articles.article_id must be unique to name originals; repeated: {repeated}"
        )
    n = len(articles)
    missing_text = articles["text"].isna().to_numpy()
    if missing_text.any():
        warnings.warn(
            f"flag_duplicates: {int(missing_text.sum())} article(s) have no text (NaN); "
            "they are treated as empty and never flagged as duplicates",
            stacklevel=3,
        )
    order = _stable_order(articles)
    ids = ids_series.astype(str).to_numpy(dtype=object)[order]
    # texts in stable order, fetched slice by slice (never all as Python strings)
    texts = _TextColumn(articles["text"], order)

    # 1. exact duplicates on the normalised text; empty texts stay apart
    rep_of = np.arange(n)
    first_with: dict[bytes, int] = {}
    is_empty = np.zeros(n, dtype=bool)
    for c0, chunk in _chunks(texts):
        for i, t in enumerate(chunk, start=c0):
            norm = _normalise(t)
            if not norm:
                is_empty[i] = True
                continue
            digest = hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=16)
            rep_of[i] = first_with.setdefault(digest.digest(), i)
    reps = np.flatnonzero(rep_of == np.arange(n))
    reps = reps[~is_empty[reps]]

    # 2. MinHash LSH over one representative per exact group
    bands, rows, p_at_t = _band_shape(threshold, num_perm)
    sig, has = _signatures(
        texts.subset(reps),
        num_perm=num_perm,
        shingle=shingle,
        random_state=random_state,
    )
    pairs = _candidate_pairs(sig, bands, rows, random_state, np.flatnonzero(has))
    del sig, has  # positions in ``reps`` (ordered by rank) from here on

    # 3. verify candidates with exact Jaccard. The candidate pairs fall into small
    # groups (connected components: an article and its copies). Shingle sets are
    # built group by group, in chunks, and each is dropped after its last pair, so
    # only a few groups' sets are in memory.
    accepted: list[tuple[int, int]] = []
    shingles: dict[int, np.ndarray] = {}
    if len(pairs):
        involved, local = np.unique(pairs, return_inverse=True)
        local = local.reshape(pairs.shape)
        m = involved.size
        group = _components(m, local)
        visit = np.lexsort((involved, group))  # by group, then by rank
        step = np.empty(m, dtype=np.int64)
        step[visit] = np.arange(m)  # when each involved article's set is built
        ready = step[local].max(axis=1)  # a pair can be checked once both sets exist
        by_ready = np.lexsort((pairs[:, 0], pairs[:, 1], ready))
        pairs, ready = pairs[by_ready], ready[by_ready]
        last_use = np.zeros(len(reps), dtype=np.int64)
        np.maximum.at(last_use, pairs.ravel(), np.repeat(np.arange(len(pairs)), 2))
        last = last_use.tolist()
        todo = pairs.tolist()
        ready_at = ready.tolist()
        visit_docs = involved[visit]
        p = 0
        for start, sets in _iter_shingle_sets(texts.subset(reps[visit_docs]), shingle):
            stop = start + len(sets)
            shingles.update(zip(visit_docs[start:stop].tolist(), sets, strict=True))
            while p < len(todo) and ready_at[p] < stop:
                i, j = todo[p]
                if _jaccard(shingles[i], shingles[j]) >= threshold:
                    accepted.append((i, j))
                if not with_jaccard:
                    if last[i] == p:
                        del shingles[i]
                    if last[j] == p:
                        del shingles[j]
                p += 1
    _POWER_TABLES.clear()

    def shingle_set(pos: int) -> np.ndarray:
        s = shingles.get(pos)
        if s is None:
            s = shingles[pos] = _shingle_set(texts[int(reps[pos])], shingle)
        return s

    # 4. accepted pairs chain into clusters (connected components); every article
    # maps to its cluster's earliest copy (positions in ``reps`` follow the rank)
    root_rank = np.arange(n)
    root_rank[reps] = reps[_earliest_in_cluster(len(reps), accepted)]
    root_rank = root_rank[rep_of]  # exact copies follow their representative
    pos_of_rep = {int(r): p for p, r in enumerate(reps.tolist())}
    duplicate_of = [""] * n
    kind = [""] * n
    jaccard = np.full(n, np.nan)
    for i in np.flatnonzero(root_rank != np.arange(n)).tolist():
        root = int(root_rank[i])
        duplicate_of[i] = ids[root]
        if rep_of[i] == root:
            kind[i] = "exact"
            jaccard[i] = 1.0
        else:
            kind[i] = "near"
            if with_jaccard:
                jaccard[i] = _jaccard(
                    shingle_set(pos_of_rep[int(rep_of[i])]), shingle_set(pos_of_rep[root])
                )

    # back to the input's row order
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    n_exact = kind.count("exact")
    n_near = kind.count("near")
    report = {
        "n_articles": n,
        "n_exact": n_exact,
        "n_near": n_near,
        "n_empty": int(is_empty.sum()),
        "n_missing_text": int(missing_text.sum()),
        "threshold": float(threshold),
        "num_perm": int(num_perm),
        "shingle": int(shingle),
        "bands": bands,
        "rows_per_band": rows,
        "candidate_probability_at_threshold": round(p_at_t, 6),
        "n_candidate_pairs": len(pairs),
        "n_verified_pairs": len(pairs),
        "n_accepted_pairs": len(accepted),
        "random_state": random_state,
    }
    return _Result(
        duplicate_of=[duplicate_of[k] for k in inverse],
        kind=[kind[k] for k in inverse],
        jaccard=jaccard[inverse],
        report=report,
    )


def flag_duplicates(
    articles: pd.DataFrame,
    *,
    threshold: float = 0.8,
    num_perm: int = 128,
    shingle: int = 5,
    drop: bool = False,
    random_state: int = 1,
) -> pd.DataFrame:
    """Flag exact and near-duplicate articles (MinHash LSH; Broder 1997).

    Exact duplicates share their case-folded, whitespace-collapsed text. Near
    duplicates have a Jaccard similarity of word ``shingle``-gram sets of at least
    ``threshold``, found with MinHash LSH and then verified exactly; clusters are
    merged transitively. The method and its parameters are described in
    :mod:`framing.corpus.dedup`.

    Parameters
    ----------
    articles : pandas.DataFrame
        An ``articles`` table; needs ``article_id`` (unique) and ``text``, and uses
        ``published`` (datetime64) when present to decide which copy is earliest.
    threshold : float, default=0.8
        Minimum exact Jaccard similarity of shingle sets for a near duplicate,
        in ``(0, 1]``. Higher is stricter.
    num_perm : int, default=128
        Number of MinHash permutations. More permutations give a sharper LSH
        threshold at a proportional cost.
    shingle : int, default=5
        Words per shingle.
    drop : bool, default=False
        If True, remove the flagged rows (and warn with their count) instead of
        only flagging them.
    random_state : int, default=1
        Seed of the MinHash permutations and band keys. The verified result
        depends on it only through the (tiny) chance that a qualifying pair is
        never proposed as a candidate.

    Returns
    -------
    pandas.DataFrame
        A new table: the input's rows (in the input's order; without the flagged
        rows when ``drop=True``) plus ``duplicate_of`` (str: ``article_id`` of the
        earliest copy by (``published``, ``article_id``), ``NaT`` last, or ``""`` for
        an original) and ``duplicate_kind`` (``"exact"``, ``"near"`` or ``""``).
        ``result.attrs["dedup_report"]`` holds counts and the LSH parameters.
        Empty texts are never duplicates.

    Raises
    ------
    SchemaError
        If ``article_id`` or ``text`` is missing, ``article_id`` has missing or
        repeated values, or ``published`` is not a datetime column.

    Examples
    --------
    >>> import pandas as pd
    >>> arts = pd.DataFrame({
    ...     "article_id": ["a", "b", "c"],
    ...     "published": pd.to_datetime(["2025-01-02", "2025-01-01", None]),
    ...     "text": ["Talks resume in Geneva.", "talks  RESUME in Geneva.", ""],
    ... })
    >>> flagged = flag_duplicates(arts)
    >>> flagged["duplicate_of"].tolist(), flagged["duplicate_kind"].tolist()
    (['b', '', ''], ['exact', '', ''])
    """
    result = _detect(
        articles,
        threshold=threshold,
        num_perm=num_perm,
        shingle=shingle,
        random_state=random_state,
    )
    out = articles.copy()
    out["duplicate_of"] = pd.Series(result.duplicate_of, index=out.index, dtype="str")
    out["duplicate_kind"] = pd.Series(result.kind, index=out.index, dtype="str")
    report = dict(result.report)
    report["n_dropped"] = 0
    if drop:
        flagged = out["duplicate_of"] != ""
        n_flagged = int(flagged.sum())
        if n_flagged:
            warnings.warn(
                f"flag_duplicates(drop=True): removed {n_flagged} duplicate article(s) "
                f"({report['n_exact']} exact, {report['n_near']} near) of {len(out)}",
                stacklevel=2,
            )
        out = out.loc[~flagged].copy()
        report["n_dropped"] = n_flagged
    out.attrs["dedup_report"] = report
    return out


def duplicate_pairs(
    articles: pd.DataFrame,
    *,
    threshold: float = 0.8,
    num_perm: int = 128,
    shingle: int = 5,
    random_state: int = 1,
) -> pd.DataFrame:
    """List each flagged article with its original and their Jaccard similarity.

    For auditing :func:`flag_duplicates` (same method and parameters): read the
    pairs with the lowest ``jaccard`` to check that the threshold is right.

    Parameters
    ----------
    articles : pandas.DataFrame
        An ``articles`` table (``article_id``, ``text``, optionally ``published``).
    threshold, num_perm, shingle, random_state
        As in :func:`flag_duplicates`.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id``, ``duplicate_of`` (the earliest copy, as in
        :func:`flag_duplicates`) and ``jaccard``: the exact Jaccard similarity of
        the two articles' word-shingle sets, in ``[0, 1]`` (higher = more alike;
        1.0 for exact duplicates). It can be below ``threshold`` for a member of a
        chain (``A ~ B ~ C``) that is only indirectly similar to its original.
        One row per flagged article, sorted by ``duplicate_of`` then
        ``article_id``; empty when there are no duplicates.

    Examples
    --------
    >>> import pandas as pd
    >>> arts = pd.DataFrame({"article_id": ["x", "y"],
    ...                      "text": ["One two three.", "ONE two   three."]})
    >>> duplicate_pairs(arts)
      article_id duplicate_of  jaccard
    0          y            x      1.0
    """
    result = _detect(
        articles,
        threshold=threshold,
        num_perm=num_perm,
        shingle=shingle,
        random_state=random_state,
        with_jaccard=True,
    )
    ids = articles["article_id"].astype(str).tolist()
    table = pd.DataFrame(
        {
            "article_id": pd.Series(ids, dtype="str"),
            "duplicate_of": pd.Series(result.duplicate_of, dtype="str"),
            "jaccard": result.jaccard,
        }
    )
    table = table.loc[table["duplicate_of"] != ""]
    table = table.sort_values(["duplicate_of", "article_id"], kind="stable")
    table = table.reset_index(drop=True)
    table.attrs["dedup_report"] = result.report
    return table
