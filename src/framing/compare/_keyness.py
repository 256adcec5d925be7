"""Keyness: which words distinguish one outlet (or group) from another.

Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' Words", *Political Analysis* 16(4), 372-403, section 3.5). For word ``w``,
target group ``i`` and reference group ``j`` with counts ``y_wi``, ``y_wj`` and
totals ``n_i``, ``n_j``, and prior pseudo-counts ``alpha_w`` summing to
``alpha_0``::

    delta_w = log((y_wi + a_w) / (n_i + a_0 - y_wi - a_w))
            - log((y_wj + a_w) / (n_j + a_0 - y_wj - a_w))
    var(delta_w) ~= 1 / (y_wi + a_w) + 1 / (y_wj + a_w)
    z_w = delta_w / sqrt(var(delta_w))

The prior shrinks the log-odds of rare words towards zero, so that a word used
twice by one outlet and never by the other does not top the list; the z-score
accounts for the remaining uncertainty, so frequent words with small but reliable
differences rank high too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["keyness", "keyness_by_outlet"]

KEYNESS_COLUMNS = [
    "term",
    "count_target",
    "count_reference",
    "rate_target",
    "rate_reference",
    "prior",
    "log_odds",
    "se",
    "z",
    "p_value",
]
# acronyms written with dots ("U.S.", "E.U.") or words of 2+ letters with inner ' or -
_TOKEN_PATTERN = r"(?u)(?:\b[^\W\d_]\.){2,}|\b[^\W\d_][\w'’-]*[^\W_]\b"


_POSSESSIVE = re.compile(r"['’]s\b")


def _preprocess(text: str) -> str:
    """Lowercase and drop possessive ``'s`` (``Ukraine's`` counts as ``ukraine``)."""
    return _POSSESSIVE.sub("", text.lower())


def _count_matrix(
    texts_or_counts: Sequence[str] | pd.Series | pd.DataFrame,
    stop_words: Literal["english"] | Sequence[str] | None,
    ngram_range: tuple[int, int],
) -> tuple[np.ndarray | sparse.csr_matrix, np.ndarray]:
    """Return ``(counts (docs, terms), vocabulary)``.

    Counts from texts stay a sparse CSR matrix: its size follows the number of
    tokens, not documents x vocabulary (98,937 sentences x 42,225 terms would be
    31 GiB dense). A count table given by the caller is already dense.
    """
    if isinstance(texts_or_counts, pd.DataFrame):
        table = texts_or_counts
        if not all(pd.api.types.is_numeric_dtype(t) for t in table.dtypes):
            table = table.apply(pd.to_numeric, errors="raise")  # one Series per column: slow
        counts = table.to_numpy(dtype=float)
        if (counts < 0).any() or not np.isfinite(counts).all():
            raise ValueError("a count table must hold finite, non-negative counts")
        return counts, np.asarray([str(c) for c in texts_or_counts.columns], dtype=object)
    from sklearn.feature_extraction.text import CountVectorizer

    from framing.resources import english_stop_words

    texts = [
        "" if t is None or (isinstance(t, float) and np.isnan(t)) else str(t)
        for t in texts_or_counts
    ]
    stops = sorted(english_stop_words()) if stop_words == "english" else stop_words
    vectorizer = CountVectorizer(
        preprocessor=_preprocess,
        token_pattern=_TOKEN_PATTERN,
        stop_words=list(stops) if stops is not None else None,
        ngram_range=ngram_range,
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError as exc:  # empty vocabulary
        raise ValueError(f"no words to compare: {exc}") from exc
    return matrix.tocsr(), vectorizer.get_feature_names_out().astype(object)


def _as_levels(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray, pd.Series)):
        return list(value)
    return [value]


def keyness(
    texts_or_counts: Sequence[str] | pd.Series | pd.DataFrame,
    groups: Sequence[Any] | pd.Series,
    *,
    target: Any,
    reference: Any = None,
    prior: Literal["pooled", "uniform"] | Mapping[str, float] | pd.Series = "pooled",
    prior_scale: float | None = None,
    min_count: int = 1,
    stop_words: Literal["english"] | Sequence[str] | None = "english",
    ngram_range: tuple[int, int] = (1, 1),
) -> pd.DataFrame:
    """Words typical of ``target`` versus ``reference`` (Monroe et al. 2008).

    Parameters
    ----------
    texts_or_counts : sequence of str, Series, or DataFrame
        Texts (tokenised into lowercase words of two or more letters, keeping
        inner ``'`` and ``-``, and dotted acronyms such as ``u.s.``; a possessive
        ``'s`` is dropped), or a document-term count table (one column per term).
    groups : sequence
        Group (e.g. outlet) of each text/row.
    target : group value or list of values
        The group(s) whose typical words get positive z.
    reference : group value, list, or None
        The comparison group(s); None = every other group.
    prior : {"pooled", "uniform"} or mapping, default="pooled"
        Prior word distribution ``pi``: ``"pooled"`` = word shares in all rows
        (every group, the informative prior of Monroe et al. 2008, sec. 3.5);
        ``"uniform"`` = ``1 / V`` for each of V words (their uninformative prior,
        sec. 3.3); or background counts per term (e.g. from a larger corpus),
        normalised to shares.
    prior_scale : float, optional
        ``alpha_0``, the prior's total pseudo-count, so ``alpha_w = alpha_0 * pi_w``.
        Default: the number of tokens in target plus reference, i.e. the prior
        weighs as much as the data (for ``"pooled"`` with two groups,
        ``alpha_w`` is then the pooled count of ``w``). Smaller values shrink less.
    min_count : int, default=1
        Keep terms used at least this often in target plus reference.
    stop_words : "english", list, or None, default="english"
        Words removed before counting texts (scikit-learn's English list). Monroe
        et al. keep them; remove them for readable tables.
    ngram_range : (int, int), default=(1, 1)
        Word n-grams counted from texts.

    Returns
    -------
    pandas.DataFrame
        ``term``, ``count_target``, ``count_reference``, ``rate_target`` and
        ``rate_reference`` (per 1,000 tokens), ``prior`` (``alpha_w``),
        ``log_odds`` (``delta_w``), ``se``, ``z``, ``p_value`` (two-sided, normal),
        sorted by ``z`` descending. **Positive** ``log_odds``/``z`` = more typical of
        ``target``; negative = more typical of ``reference``.

    Examples
    --------
    >>> k = keyness(["allies divided allies", "talks balance", "balance deal"],
    ...             ["x", "y", "y"], target="x", stop_words=None)
    >>> k[["term", "count_target", "count_reference", "z"]].round(2)
          term  count_target  count_reference     z
    0   allies             2                0  1.27
    1  divided             1                0  0.75
    2     deal             0                1 -0.57
    3    talks             0                1 -0.57
    4  balance             0                2 -0.95
    """
    counts, vocab = _count_matrix(texts_or_counts, stop_words, ngram_range)
    groups = np.asarray(list(groups), dtype=object)
    if len(groups) != counts.shape[0]:
        raise ValueError(
            f"groups has {len(groups)} value(s) but there are {counts.shape[0]} texts/rows"
        )
    present = set(groups.tolist())
    targets = _as_levels(target)
    missing = [t for t in targets if t not in present]
    if missing:
        raise ValueError(
            f"target group(s) {missing} not found; groups: {sorted(map(str, present))}"
        )
    in_target = np.isin(groups, targets)
    if reference is None:
        in_reference = ~in_target
    else:
        refs = _as_levels(reference)
        missing = [r for r in refs if r not in present]
        if missing:
            raise ValueError(
                f"reference group(s) {missing} not found; groups: {sorted(map(str, present))}"
            )
        if set(refs) & set(targets):
            raise ValueError("target and reference groups overlap")
        in_reference = np.isin(groups, refs)
    if not in_reference.any():
        raise ValueError("the reference is empty: give at least one other group")
    # Counts by group, never a dense documents x terms array: each sum is one
    # (sparse) matrix-vector product of length V.
    y_i = np.asarray(counts.T @ in_target.astype(float), dtype=float).ravel()
    y_j = np.asarray(counts.T @ in_reference.astype(float), dtype=float).ravel()
    n_i, n_j = y_i.sum(), y_j.sum()
    if n_i == 0 or n_j == 0:
        raise ValueError(f"no tokens in the {'target' if n_i == 0 else 'reference'} group")
    if isinstance(prior, str):
        if prior == "pooled":
            pi = np.asarray(counts.sum(axis=0), dtype=float).ravel()
        elif prior == "uniform":
            pi = np.ones(len(vocab))
        else:
            raise ValueError(f"prior must be 'pooled', 'uniform' or a mapping, got {prior!r}")
    else:
        background = pd.Series(prior, dtype=float)
        lacking = [t for t in vocab if t not in background.index]
        if lacking:
            raise ValueError(
                f"the prior lacks {len(lacking)} term(s) of the texts, e.g. {lacking[:5]}; "
                "give a background count for every term"
            )
        pi = background.reindex(vocab).to_numpy(dtype=float)
        if (pi <= 0).any():
            raise ValueError("background counts must be positive for every term")
    pi = pi / pi.sum()
    alpha_0 = float(prior_scale) if prior_scale is not None else float(n_i + n_j)
    if alpha_0 <= 0:
        raise ValueError(f"prior_scale must be positive, got {prior_scale}")
    alpha = alpha_0 * pi
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log((y_i + alpha) / (n_i + alpha_0 - y_i - alpha)) - np.log(
            (y_j + alpha) / (n_j + alpha_0 - y_j - alpha)
        )
        se = np.sqrt(1.0 / (y_i + alpha) + 1.0 / (y_j + alpha))
    z = delta / se
    from scipy.stats import norm

    out = pd.DataFrame(
        {
            "term": vocab,
            "count_target": y_i.astype("int64") if np.all(y_i == np.round(y_i)) else y_i,
            "count_reference": y_j.astype("int64") if np.all(y_j == np.round(y_j)) else y_j,
            "rate_target": 1000.0 * y_i / n_i,
            "rate_reference": 1000.0 * y_j / n_j,
            "prior": alpha,
            "log_odds": delta,
            "se": se,
            "z": z,
            "p_value": 2 * norm.sf(np.abs(z)),
        },
        columns=KEYNESS_COLUMNS,
    )
    out = out[(y_i + y_j) >= min_count]
    return out.sort_values(["z", "term"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


_MAX_KEYNESS_TARGETS = 6  # outlets contrasted with all others in the keyness table


def keyness_by_outlet(units: pd.DataFrame, n_terms: int) -> pd.DataFrame:
    """Key terms of each outlet against the other outlet(s) (Monroe et al. 2008).

    With two outlets one comparison holds both sides (negative z = typical of the
    other outlet); with more, each of the largest outlets (up to
    ``_MAX_KEYNESS_TARGETS``, ties by name) is compared with all others. Keeps the
    ``n_terms`` highest and lowest z per comparison.

    Parameters
    ----------
    units : pandas.DataFrame
        ``outlet`` and ``text`` columns (a units or articles table).
    n_terms : int
        Terms kept at each end of the z ranking, per comparison.

    Returns
    -------
    pandas.DataFrame
        ``outlet`` (the target), ``reference`` (the other outlet, or ``"all other
        outlets"``), then the columns of :func:`keyness`; z > 0 = typical of the target.
    """
    outlets = units["outlet"].astype(str)
    from scipy import sparse

    # Count the texts once and sum them by outlet: keyness reads only token sums per
    # group, so every comparison reuses this outlets x terms table.
    counts, vocab = _count_matrix(units["text"], "english", (1, 1))
    codes, names = pd.factorize(outlets, sort=True)
    member = sparse.csr_matrix(
        (np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(len(names), len(codes))
    )
    by_outlet = pd.DataFrame((member @ counts).toarray(), columns=vocab)
    return keyness_of_outlets(by_outlet, list(names), outlets.value_counts(), n_terms)


def keyness_of_outlets(
    by_outlet: pd.DataFrame, names: list[str], sizes: pd.Series, n_terms: int
) -> pd.DataFrame:
    """:func:`keyness_by_outlet` from term counts summed by outlet.

    ``by_outlet`` has one row per outlet (named by ``names``, in order) and one
    column per term; ``sizes`` (units per outlet) picks and orders the targets:
    with two outlets one comparison, else each of the ``_MAX_KEYNESS_TARGETS``
    largest (ties by name) against all others. The partitioned engine sums the
    counts over partitions and calls this.
    """
    sizes = sizes.set_axis(sizes.index.astype(str))
    ordered = sorted(sizes.index, key=lambda o: (-sizes[o], o))
    if len(ordered) == 2:
        pairs = [(min(ordered), max(ordered))]
    else:
        pairs = [(o, "all other outlets") for o in ordered[:_MAX_KEYNESS_TARGETS]]
    pieces = []
    for target, reference in pairs:
        table = keyness(by_outlet, names, target=target)
        table = table.sort_values("z", ascending=False, kind="stable")
        top = pd.concat([table.head(n_terms), table.tail(n_terms)]).drop_duplicates("term")
        pieces.append(top.assign(outlet=target, reference=reference))
    out = pd.concat(pieces, ignore_index=True)
    first = ["outlet", "reference"]
    return out[[*first, *[c for c in out.columns if c not in first]]]
