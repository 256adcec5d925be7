"""MinHash signatures, LSH banding into candidate pairs, and clusters of accepted pairs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from framing.corpus.shingles import _chunks, _shingle_hashes, _splitmix

_RECALL_AT_THRESHOLD = 0.99
_SHINGLES_PER_BLOCK = 4096
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
