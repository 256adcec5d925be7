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
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from framing.resources import builtin_names, default_setting, read_yaml, resolve_name_or_path
from framing.schema import is_missing as _is_missing

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
_KEY = re.compile(r"^[A-Za-z0-9_]+$")
_APOSTROPHES = "'’"


class ActorSetError(ValueError):
    """An actor set is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Actor:
    """One actor: a key, a human-readable label and the aliases that refer to it."""

    key: str
    label: str
    aliases: tuple[str, ...]
    exclude: tuple[str, ...] = ()


def _is_acronym(alias: str) -> bool:
    """Return True if ``alias`` is written in capitals (matched case-sensitively)."""
    letters = [c for c in alias if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _alias_pattern(alias: str) -> str:
    """Regex for one alias: literal text, flexible whitespace and apostrophes."""
    parts = []
    for word in alias.split():
        escaped = "".join(f"[{_APOSTROPHES}]" if c in _APOSTROPHES else re.escape(c) for c in word)
        parts.append(escaped)
    body = r"\s+".join(parts)
    return body if _is_acronym(alias) else f"(?i:{body})"


def _normal(alias: str) -> str:
    return " ".join(alias.replace("’", "'").split()).casefold()


@dataclass(frozen=True)
class ActorSet:
    """A named, versioned set of actors with their aliases.

    Build it with :func:`load_actor_set`. ``source`` records where it came from
    (a file path, ``"builtin:<name>"`` or ``"<dict>"``).
    """

    name: str
    version: str
    actors: Mapping[str, Actor]
    description: str = ""
    source: str = "<dict>"
    _entries: tuple[tuple[str | None, str], ...] = field(
        default=(), init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        entries: list[tuple[str | None, str]] = []
        for actor in self.actors.values():
            entries += [(actor.key, alias) for alias in actor.aliases]
            entries += [(None, phrase) for phrase in actor.exclude]
        # longest first: the regex alternation takes the first alternative that fits
        entries.sort(key=lambda e: (-len(e[1]), e[1]))
        object.__setattr__(self, "_entries", tuple(entries))

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """The one compiled regular expression matching every alias of the set."""
        # Alternatives are bucketed by their first letter behind a one-character
        # lookahead, so at most word starts only one short bucket is tried (about
        # 8x faster than one flat alternation of every alias).
        buckets: dict[str, list[str]] = {}
        for i, (_, alias) in enumerate(self._entries):
            buckets.setdefault(alias[0].casefold(), []).append(
                f"(?P<g{i}>{_alias_pattern(alias)})"
            )
        body = "|".join(
            f"(?i:(?={re.escape(first)}))(?:{'|'.join(alts)})" for first, alts in buckets.items()
        )
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)")

    @property
    def labels(self) -> dict[str, str]:
        """``{actor key: label}`` in the order of the file."""
        return {key: actor.label for key, actor in self.actors.items()}

    @property
    def id(self) -> str:
        """``"<name>@<version>"``, recorded in every output row."""
        return f"{self.name}@{self.version}"

    def find(self, text: str) -> list[tuple[str, str, int, int]]:
        """Return ``(actor, alias, start, end)`` for every mention in ``text``.

        Examples
        --------
        >>> s = load_actor_set("ukraine-diplomacy")
        >>> s.find("Russia’s envoy met US officials; they told us nothing.")
        [('russia', 'Russia', 0, 6), ('united_states', 'US', 19, 21)]
        """
        found = []
        for m in self.pattern.finditer(text):
            actor, alias = self._entries[int(m.lastgroup[1:])]  # type: ignore[index]
            if actor is not None:
                found.append((actor, alias, m.start(), m.end()))
        return found


# ----------------------------------------------------------------------- loading
def list_actor_sets() -> list[str]:
    """Names of the built-in actor sets (``framing/data/actors/*.yaml``)."""
    return builtin_names("actors")


def _fail(source: str, message: str) -> ActorSetError:
    return ActorSetError(f"{source}: {message}")


def _string_list(value: Any, source: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, f"{where} must be a list of non-empty strings, got {value!r}")
    return tuple(" ".join(v.split()) for v in value)


def _parse(data: Any, source: str) -> ActorSet:
    if not isinstance(data, Mapping):
        raise _fail(source, "an actor set must be a mapping with name, version and actors")
    unknown = set(data) - {"name", "version", "description", "actors"}
    if unknown:
        raise _fail(
            source,
            f"unknown key(s) {sorted(unknown)}; allowed: name, version, description, actors",
        )
    for key in ("name", "version", "actors"):
        if data.get(key) in (None, "", {}):
            raise _fail(source, f"the required key {key!r} is missing or empty")
    if not isinstance(data["actors"], Mapping):
        raise _fail(source, "'actors' must map actor keys to {label, aliases}")
    actors: dict[str, Actor] = {}
    owner: dict[str, str] = {}  # normalised alias or exclude phrase -> actor key
    for key, spec in data["actors"].items():
        key = str(key)
        where = f"actor {key!r}"
        if not _KEY.match(key):
            raise _fail(source, f"{where}: keys use letters, digits and '_' only")
        if not isinstance(spec, Mapping):
            raise _fail(source, f"{where} must be a mapping with 'aliases' (and 'label')")
        unknown = set(spec) - {"label", "aliases", "exclude"}
        if unknown:
            raise _fail(
                source,
                f"{where}: unknown key(s) {sorted(unknown)}; allowed: label, aliases, exclude",
            )
        if "aliases" not in spec:
            raise _fail(source, f"{where} has no 'aliases'")
        aliases = _string_list(spec["aliases"], source, f"{where}: aliases")
        if not aliases:
            raise _fail(source, f"{where}: aliases must be a list of non-empty strings, got []")
        exclude = _string_list(spec.get("exclude", []), source, f"{where}: exclude")
        for phrase in (*aliases, *exclude):
            norm = _normal(phrase)
            other = owner.setdefault(norm, key)
            if other != key:
                raise _fail(
                    source,
                    f"{phrase!r} is listed for both {other!r} and {key!r}; "
                    "an alias may belong to one actor only",
                )
        clash = {_normal(a) for a in aliases} & {_normal(e) for e in exclude}
        if clash:
            raise _fail(source, f"{where}: {sorted(clash)} is both an alias and excluded")
        label = str(spec.get("label") or key)
        actors[key] = Actor(key=key, label=label, aliases=aliases, exclude=exclude)
    return ActorSet(
        name=str(data["name"]),
        version=str(data["version"]),
        description=" ".join(str(data.get("description") or "").split()),
        actors=actors,
        source=source,
    )


def _read_yaml(path: Path, source: str) -> Any:
    """Parse an actor-set file with the package's one YAML loader."""
    return read_yaml(path, error=ActorSetError, source=source).data


def load_actor_set(name_or_path: str | Path | Mapping[str, Any] | ActorSet) -> ActorSet:
    """Load an actor set: a built-in name, a YAML file, a dict, or an ``ActorSet``.

    Parameters
    ----------
    name_or_path : str, path, dict or ActorSet
        ``"ukraine-diplomacy"`` (see :func:`list_actor_sets`), the path of a YAML
        file following the schema in :mod:`framing.sentiment.actors`, a dict with the same
        structure, or an ``ActorSet`` (returned unchanged).

    Returns
    -------
    ActorSet

    Raises
    ------
    ActorSetError
        Unknown name, missing file, invalid YAML (with line and column), missing or
        unknown keys, or an alias listed for two actors; the message names the file.

    Examples
    --------
    >>> s = load_actor_set({"name": "demo", "version": 1,
    ...                     "actors": {"nato": {"aliases": ["NATO", "Nato"]}}})
    >>> s.id, s.labels
    ('demo@1', {'nato': 'nato'})
    """
    if isinstance(name_or_path, ActorSet):
        return name_or_path
    if isinstance(name_or_path, Mapping):
        return _parse(name_or_path, "<dict>")
    if not isinstance(name_or_path, (str, Path)):
        raise TypeError(
            "load_actor_set expects a built-in name, a path, a dict or an ActorSet, "
            f"got {type(name_or_path).__name__}"
        )
    found = resolve_name_or_path(
        name_or_path, folder="actors", kind="actor set", error=ActorSetError
    )
    source = f"builtin:{name_or_path} ({found.path})" if found.builtin else str(found.path)
    return _parse(_read_yaml(found.path, source), source)


# ---------------------------------------------------------------------- matching
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
