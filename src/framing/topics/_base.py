"""Shared pieces of :mod:`framing.topics`: its error, size rules and term preparation."""

from __future__ import annotations

from typing import Any

__all__ = [
    "AUTO_PARAGRAPH_BELOW",
    "REDUCTIONS",
    "UMAP_FROM",
    "TopicModelError",
    "clean_for_terms",
    "scaled_sizes",
]

#: ``unit="auto"`` models paragraphs below this many non-empty articles.
AUTO_PARAGRAPH_BELOW = 100
#: ``reduction="auto"`` uses UMAP from this many documents on and PCA below: 20 times
#: UMAP's 15 neighbours, so below it each document's neighbourhood holds more than 5 %
#: of the corpus and the "local" structure UMAP keeps is the global structure PCA keeps.
UMAP_FROM = 300
#: The dimension reductions before clustering (``"auto"`` picks by :data:`UMAP_FROM`).
REDUCTIONS = ("auto", "umap", "pca")
#: Sample size a kernel density estimate needs in d dimensions (Silverman 1986, Table
#: 4.2: relative MSE about 0.1 at the mode of a normal). HDBSCAN estimates density, so
#: PCA keeps the largest d whose need the corpus meets (2 at least).
DENSITY_SAMPLE_SIZE = {2: 19, 3: 67, 4: 223, 5: 768}
_MIN_DOCS = 6


class TopicModelError(ValueError):
    """The topic model cannot be fitted on this input (too few documents, bad table)."""


def clean_for_terms(text: str) -> str:
    """Prepare text for counting topic terms, as BERTopic does with an embedding model.

    Newlines and tabs become spaces; punctuation is left to the tokenizer, which splits
    on it (``"Kyiv's"`` -> ``kyiv``; ``"talks—even"`` -> ``talks``, ``even``).
    BERTopic strips every non-ASCII-alphanumeric character only when it has no
    embedding model (which glues ``"talks—even"`` into ``talkseven``); here BERTopic
    always has one, and LDA, NMF and the coherence tokenizer use the same preparation,
    so all models share one vocabulary.

    Examples
    --------
    >>> clean_for_terms("Kyiv's allies\\tmet\\nenvoys.")
    "Kyiv's allies met envoys."
    """
    return text.replace("\n", " ").replace("\t", " ")


def scaled_sizes(
    n_docs: int, min_topic_size: int | None = None, reduction: str = "auto"
) -> dict[str, Any]:
    """Return the corpus-scaled sizes documented in :mod:`framing.topics.model`.

    ``reduction`` is ``"umap"`` or ``"pca"``; ``"auto"`` becomes ``"umap"`` from
    :data:`UMAP_FROM` documents on and ``"pca"`` below.

    Examples
    --------
    >>> scaled_sizes(40)
    {'min_topic_size': 4, 'n_neighbors': 15, 'n_components': 2, 'init': 'spectral', \
'reduction': 'pca'}
    >>> scaled_sizes(8, reduction="umap")
    {'min_topic_size': 2, 'n_neighbors': 7, 'n_components': 2, 'init': 'random', \
'reduction': 'umap'}
    """
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {', '.join(REDUCTIONS)}; got {reduction!r}")
    if reduction == "auto":
        reduction = "umap" if n_docs >= UMAP_FROM else "pca"
    if min_topic_size is None:
        min_topic_size = max(2, min(10, n_docs // 10))
    n_components = min(5, max(2, n_docs // 10))
    if reduction == "pca":  # a linear map spreads clusters: fewer axes for density
        fits = [d for d, need in DENSITY_SAMPLE_SIZE.items() if need <= n_docs]
        n_components = min(n_components, max(fits, default=2))
    return {
        "min_topic_size": int(min_topic_size),
        "n_neighbors": int(min(15, n_docs - 1)),
        "n_components": int(n_components),
        "init": "spectral" if n_docs >= 30 else "random",
        "reduction": reduction,
    }
