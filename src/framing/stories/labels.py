"""Readable story labels: the most central headline and the top TF-IDF terms.

The most central article of a story is the one whose embedding is closest (cosine)
to the mean embedding of the story's articles; its title is the story's headline
(the first 12 words of its text when it has no title). The top terms are the
``n_terms`` terms with the largest mean TF-IDF weight over the story's articles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = ["label_stories"]


def _headline(title: str, text: str) -> str:
    title = " ".join(str(title or "").split())
    if title:
        return title
    words = str(text or "").split()
    return " ".join(words[:12]) + (" ..." if len(words) > 12 else "")


def label_stories(
    story: np.ndarray,
    emb: np.ndarray,
    tfidf: sparse.csr_matrix,
    terms: np.ndarray,
    articles: pd.DataFrame,
    *,
    n_terms: int = 5,
) -> pd.DataFrame:
    """Label each story by its most central headline and its top terms.

    Parameters
    ----------
    story : numpy.ndarray of int
        Story id of each article (row order of ``articles``).
    emb : numpy.ndarray
        Unit-length article embeddings (n, d).
    tfidf : scipy.sparse.csr_matrix
        TF-IDF rows of the articles; ``terms`` names its columns.
    terms : numpy.ndarray of str
    articles : pandas.DataFrame
        ``title`` (optional) and ``text``.
    n_terms : int, default=5

    Returns
    -------
    pandas.DataFrame
        Indexed by ``story_id``: ``story_label`` (``"headline [t1, t2, ...]"``),
        ``story_headline``, ``story_terms`` (``", "``-joined). ``attrs["centrality"]``
        holds each article's cosine to its story's mean embedding (in [-1, 1]).
    """
    n = len(story)
    ids, inverse = np.unique(story, return_inverse=True)
    member = sparse.csr_matrix(
        (np.ones(n, np.float32), (inverse, np.arange(n))), shape=(len(ids), n)
    )
    sizes = np.asarray(member.sum(axis=1)).ravel()
    centroid = np.asarray(member @ emb) / sizes[:, None]
    norms = np.linalg.norm(centroid, axis=1)
    centroid = centroid / np.where(norms > 0, norms, 1.0)[:, None]
    centrality = np.einsum("ij,ij->i", emb, centroid[inverse])
    # most central article per story: highest centrality, ties to the first row
    order = np.lexsort((np.arange(n), -centrality, inverse))
    first = order[np.r_[True, inverse[order][1:] != inverse[order][:-1]]]
    titles = articles["title"] if "title" in articles.columns else pd.Series([""] * n)
    texts = articles["text"]
    headlines = [_headline(titles.iloc[r], texts.iloc[r]) for r in first]
    weights = (member @ tfidf).tocsr()
    top_terms = []
    for row in range(len(ids)):
        start, end = weights.indptr[row], weights.indptr[row + 1]
        data, cols = weights.data[start:end], weights.indices[start:end]
        best = cols[np.lexsort((cols, -data))[:n_terms]] if len(data) else []
        top_terms.append(", ".join(str(terms[c]) for c in best if terms[c]))
    labels = pd.DataFrame(
        {
            "story_label": [
                f"{h} [{t}]" if t else h for h, t in zip(headlines, top_terms, strict=True)
            ],
            "story_headline": headlines,
            "story_terms": top_terms,
        },
        index=pd.Index(ids, name="story_id"),
    )
    labels.attrs["centrality"] = centrality.astype(float)
    return labels
