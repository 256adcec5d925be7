"""Which outlets to compare: all of them, those with enough articles, or the largest.

With many outlets the pairwise tables grow as the square of their number (79 outlets
give 3,081 pairs per measure), and outlets with one or two articles give no interval
and no test. :func:`select_outlets` keeps the outlets with at least ``min_articles``
articles, then the ``max_outlets`` largest of those, and either leaves the others
out or merges them into one group, ``OTHER_OUTLETS``. The default keeps every
outlet. To merge named outlets (e.g. two spellings of one outlet), use the corpus's
outlet aliases (``corpus.outlet_aliases``) instead.

Articles without an outlet are compared under the label ``NO_OUTLET``
(``"(no outlet)"``), never as an empty name (see :func:`label_missing_outlets`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

__all__ = [
    "NO_OUTLET",
    "OTHER_OUTLETS",
    "OutletSelection",
    "label_missing_outlets",
    "select_outlets",
]

#: Label of articles that have no outlet (missing or empty), in every table and figure.
NO_OUTLET = "(no outlet)"
#: Group into which ``others="merge"`` gathers the outlets not kept.
OTHER_OUTLETS = "(other outlets)"


def label_missing_outlets(table: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
    """Return ``table`` with missing or blank ``by`` values labelled ``NO_OUTLET``.

    The one rule for articles without an outlet: they are compared as a group of
    their own, named ``"(no outlet)"``, so that no table or figure shows an outlet
    with an empty name. The table is returned unchanged (not copied) when every row
    has an outlet.

    Examples
    --------
    >>> t = pd.DataFrame({"outlet": ["BBC", "", None, " "]})
    >>> label_missing_outlets(t)["outlet"].tolist()
    ['BBC', '(no outlet)', '(no outlet)', '(no outlet)']
    """
    if by not in table.columns:
        return table
    values = table[by]
    blank = values.isna() | (values.astype(str).str.strip() == "")
    if not blank.any():
        return table
    out = table.copy()
    out[by] = values.astype(object).where(~blank, NO_OUTLET)
    return out


@dataclass(frozen=True)
class OutletSelection:
    """The outlets kept, and what happens to the others (from :func:`select_outlets`)."""

    kept: tuple[str, ...]
    left_out: tuple[str, ...] = ()
    others: Literal["drop", "merge"] = "drop"
    articles: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def note(self) -> str:
        """One sentence saying which outlets were left out or merged ("" if none)."""
        if not self.left_out:
            return ""
        n = len(self.left_out)
        names = ", ".join(self.left_out[:8]) + (", ..." if n > 8 else "")
        verb = f"merged into {OTHER_OUTLETS!r}" if self.others == "merge" else "left out"
        return f"{n} outlet(s) {verb} of the comparisons: {names}"

    def apply(self, table: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
        """Return ``table`` restricted to (or merged into) the selection."""
        if not self.left_out or by not in table.columns:
            return table
        keep = table[by].astype(str).isin(self.kept)
        if self.others == "drop":
            return table[keep].reset_index(drop=True)
        out = table.copy()
        out[by] = table[by].astype(object).where(keep, OTHER_OUTLETS)
        return out


def select_outlets(
    articles: pd.DataFrame | pd.Series,
    *,
    min_articles: int = 1,
    max_outlets: int = 0,
    others: Literal["drop", "merge"] = "drop",
    by: str = "outlet",
) -> OutletSelection:
    """Choose the outlets to compare from each outlet's number of articles.

    Parameters
    ----------
    articles : DataFrame or Series
        One row per article (``by`` and, if present, ``article_id``, counted once
        each), or the outlet of each article as a Series.
    min_articles : int, default=1
        Keep outlets with at least this many articles. 1 keeps every outlet; 2 drops
        the outlets that can have no interval or test.
    max_outlets : int, default=0
        Then keep only this many outlets, the largest (ties by name); 0 = no limit.
    others : {"drop", "merge"}, default="drop"
        Outlets not kept are left out of the comparisons, or merged into one group
        named ``"(other outlets)"``.
    by : str, default="outlet"

    Returns
    -------
    OutletSelection
        ``kept`` (largest first), ``left_out``, and ``apply(table)`` to filter any
        article-level table; ``note`` says what was left out.

    Examples
    --------
    >>> s = select_outlets(pd.Series(["a", "a", "a", "b", "b", "c"]), min_articles=2)
    >>> s.kept, s.left_out
    (('a', 'b'), ('c',))
    >>> select_outlets(pd.Series(list("aaabbc")), max_outlets=1, others="merge").note
    "2 outlet(s) merged into '(other outlets)' of the comparisons: b, c"
    """
    if others not in ("drop", "merge"):
        raise ValueError(f"others must be 'drop' or 'merge', got {others!r}")
    for name, value, low in (("min_articles", min_articles, 1), ("max_outlets", max_outlets, 0)):
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    if isinstance(articles, pd.Series):
        outlets = articles
    else:
        frame = articles
        if "article_id" in frame.columns:
            frame = frame.drop_duplicates("article_id")
        outlets = frame[by]
    counts = outlets.astype(str).value_counts()
    ordered = sorted(counts.index, key=lambda o: (-counts[o], o))
    kept = [o for o in ordered if counts[o] >= min_articles]
    if max_outlets:
        kept = kept[:max_outlets]
    left_out = tuple(o for o in ordered if o not in set(kept))
    return OutletSelection(
        kept=tuple(kept),
        left_out=left_out,
        others=others,
        articles={o: int(counts[o]) for o in ordered},
    )
