"""Actors: versioned lists of who is talked about, found in text, scored for sentiment.

An *actor set* is a YAML file naming the actors of one study (states, alliances,
leaders), each with a label and the aliases that refer to it. The built-in
``ukraine-diplomacy`` set lives in ``framing/data/actors/``;
:func:`list_actor_sets` lists the built-in sets and :func:`load_actor_set` also
reads your own file or a dict.

Actor-set schema
----------------
.. code-block:: yaml

    name: my-study          # required
    version: "1"            # required
    description: "..."      # optional
    actors:                 # required, at least one actor
      russia:               # the actor key: letters, digits and "_"
        label: Russia       # optional (default: the key)
        aliases: [Russia, Russian, Moscow, Kremlin, Putin]   # required
        exclude: [Russian roulette]                          # optional

Matching rules (the one place they are defined)
-----------------------------------------------
- **Case**: an alias written in capitals, with at least two letters (``US``,
  ``U.S.``, ``EU``, ``UK``, ``NATO``), matches exactly as written, so ``US`` is not
  the pronoun *us*. Every other alias matches in any case (``Russia`` matches
  *russia* and *RUSSIA*). Add a mixed-case spelling to accept other forms (the
  built-in set lists ``NATO`` and ``Nato``).
- **Whole words**: an alias never matches inside a longer word (``Russia`` does not
  match *Russian*; list both). Hyphenated compounds match (*pro-Kremlin*,
  *U.S.-led*).
- **Possessives** match, with either apostrophe: *Russia's*, *Kyiv’s*.
- **Multi-word aliases** match across any run of whitespace, including line
  breaks; ``'`` in an alias matches ``’`` and vice versa.
- **Overlaps**: at each position the longest alias wins and matches never overlap,
  so *Vladimir Putin* is one mention, not two. ``exclude`` phrases take part in
  this and are discarded: with ``exclude: [Washington Post]``, *Washington Post* is
  not a mention of *Washington*.
- Every other character is literal (``U.S.`` needs the dots).

All aliases of a set are compiled into **one** regular expression.

Ambiguity is inherent to name lists ("Washington" the state, "Paris" the city,
"Europe" the continent); read the matched sentences before trusting a number, and
add ``exclude`` phrases where a corpus needs them.

The sets themselves (schema, loading, the compiled pattern) are in
:mod:`framing.sentiment.actor_sets`; this module finds mentions and scores the
sentiment toward each actor, and re-exports the actor-set names.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from framing.resources import default_setting
from framing.schema import is_missing as _is_missing
from framing.sentiment.actor_sets import (
    Actor,
    ActorSet,
    ActorSetError,
    list_actor_sets,
    load_actor_set,
)

__all__ = [
    "Actor",
    "ActorSet",
    "ActorSetError",
    "find_actors",
    "list_actor_sets",
    "load_actor_set",
    "score_actor_sentiment",
]

MENTION_COLUMNS = ("unit_id", "article_id", "actor", "alias", "start", "end")
ACTOR_SENTIMENT_COLUMNS = (
    "article_id",
    "outlet",
    "actor",
    "label",
    "n_mentions",
    "n_units",
    "sentiment_mean",
    "actor_set",
)


def _texts(table: pd.DataFrame, caller: str) -> list[str]:
    """Return the unit texts; non-string values become "" (counted in a warning)."""
    texts = table["text"].tolist()
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str) and not _is_missing(t)]
    if bad:
        warnings.warn(
            f"{caller}: {len(bad)} unit(s) have non-string text (e.g. "
            f"{texts[bad[0]]!r}); they were searched as empty text",
            stacklevel=3,
        )
    return [t if isinstance(t, str) else "" for t in texts]


def _require(table: pd.DataFrame, columns: Iterable[str], caller: str, hint: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            f"{caller}: the table lacks column(s) {missing} (it has {list(table.columns)}); {hint}"
        )


def find_actors(
    units: pd.DataFrame, actors: str | Path | Mapping[str, Any] | ActorSet | None = None
) -> pd.DataFrame:
    """Find every actor mention in a ``units`` table.

    Parameters
    ----------
    units : pandas.DataFrame
        The ``units`` table (``unit_id``, ``article_id``, ``text``), e.g. from
        :func:`framing.split_units`, or the output of
        :func:`framing.sentiment.score_units`.
    actors : str, path, dict or ActorSet, optional
        Anything :func:`load_actor_set` accepts. Matching follows the rules in
        :mod:`framing.sentiment.actors`. Default: ``[sentiment] actors`` of the
        package's ``default.toml`` (the study default lives there only).

    Returns
    -------
    pandas.DataFrame
        One row per mention: ``unit_id, article_id, actor, alias, start, end``, with
        ``alias`` the alias as written in the actor set and ``start``/``end`` the
        character offsets in the unit's text. Units without text have no mentions;
        non-string text is searched as empty and counted in a warning.

    Examples
    --------
    >>> units = pd.DataFrame({"unit_id": ["a:s0"], "article_id": ["a"],
    ...                       "text": ["The Kremlin said Putin would not attend."]})
    >>> find_actors(units)[["actor", "alias", "start", "end"]]
        actor    alias  start  end
    0  russia  Kremlin      4   11
    1  russia    Putin     17   22
    """
    actor_set = load_actor_set(
        default_setting("sentiment", "actors") if actors is None else actors
    )
    _require(
        units,
        ("unit_id", "article_id", "text"),
        "find_actors",
        "pass a units table (framing.split_units(articles))",
    )
    rows: list[tuple[Any, ...]] = []
    for unit_id, article_id, text in zip(
        units["unit_id"].tolist(),
        units["article_id"].tolist(),
        _texts(units, "find_actors"),
        strict=True,
    ):
        if text:
            rows.extend((unit_id, article_id, *hit) for hit in actor_set.find(text))
    out = pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
    for col in ("start", "end"):
        out[col] = out[col].astype("int64")
    return out


def score_actor_sentiment(
    unit_scores: pd.DataFrame,
    actors: str | Path | Mapping[str, Any] | ActorSet | None = None,
) -> pd.DataFrame:
    """Sentiment toward each actor: mean compound of the units that mention it.

    For every article × actor with at least one mention, ``sentiment_mean`` is the
    mean VADER compound (Hutto & Gilbert 2014) of the units (sentences) naming the
    actor; a unit naming the actor twice counts once in the mean and twice in
    ``n_mentions``. This is *co-occurrence* sentiment: the tone of the sentences
    around an actor, not a judgement of stance toward it. Units flagged
    ``non_english`` are included; drop them from ``unit_scores`` first to exclude
    them.

    Parameters
    ----------
    unit_scores : pandas.DataFrame
        Output of :func:`framing.sentiment.score_units` (``article_id``,
        ``unit_id``, ``outlet``, ``text``, ``compound``).
    actors : str, path, dict or ActorSet, optional
        Anything :func:`load_actor_set` accepts. Default: ``[sentiment] actors`` of
        the package's ``default.toml``.

    Returns
    -------
    pandas.DataFrame
        ``article_id, outlet, actor, label, n_mentions, n_units, sentiment_mean,
        actor_set`` (``"<name>@<version>"``), one row per article × actor mentioned,
        sorted by article then by the actor order of the set. Positive
        ``sentiment_mean`` = the sentences naming the actor read positive on average.
        Articles that never name an actor have no row for it.
    """
    actor_set = load_actor_set(
        default_setting("sentiment", "actors") if actors is None else actors
    )
    _require(
        unit_scores,
        ("unit_id", "article_id", "text", "compound"),
        "score_actor_sentiment",
        "pass the output of framing.sentiment.score_units",
    )
    mentions = find_actors(unit_scores, actor_set)
    if mentions.empty:
        out = pd.DataFrame(columns=list(ACTOR_SENTIMENT_COLUMNS))
        return out.astype({"n_mentions": "int64", "n_units": "int64", "sentiment_mean": float})
    per_unit = (
        mentions.groupby(["unit_id", "actor"], sort=False)
        .agg(article_id=("article_id", "first"), n_mentions=("alias", "size"))
        .reset_index()
    )
    outlet = (
        unit_scores["outlet"]
        if "outlet" in unit_scores
        else pd.Series("", index=unit_scores.index)
    )
    lookup = pd.DataFrame(
        {
            "unit_id": unit_scores["unit_id"].to_numpy(),
            "compound": unit_scores["compound"].to_numpy(dtype=float),
            "outlet": outlet.to_numpy(),
        }
    ).drop_duplicates("unit_id")
    per_unit = per_unit.merge(lookup, on="unit_id", how="left", validate="many_to_one")
    out = (
        per_unit.groupby(["article_id", "actor"], sort=False)
        .agg(
            outlet=("outlet", "first"),
            n_mentions=("n_mentions", "sum"),
            n_units=("unit_id", "size"),
            sentiment_mean=("compound", "mean"),
        )
        .reset_index()
    )
    order = {key: i for i, key in enumerate(actor_set.actors)}
    out = out.assign(
        label=out["actor"].map(actor_set.labels),
        actor_set=actor_set.id,
        _order=out["actor"].map(order),
    )
    out = out.sort_values(["article_id", "_order"], kind="stable").reset_index(drop=True)
    out["n_mentions"] = out["n_mentions"].astype("int64")
    out["n_units"] = out["n_units"].astype("int64")
    out["sentiment_mean"] = out["sentiment_mean"].astype(float)
    return out[list(ACTOR_SENTIMENT_COLUMNS)]
