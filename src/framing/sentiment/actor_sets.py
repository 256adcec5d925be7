"""Actor sets: the YAML schema, loading and validation, and the one compiled pattern.

:func:`load_actor_set` reads a built-in name, a YAML file or a dict into a frozen
:class:`ActorSet`; :attr:`ActorSet.pattern` compiles every alias of the set into one
regular expression following the matching rules. The schema and the rules are
documented in :mod:`framing.sentiment.actors`, which re-exports these names.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framing.resources import builtin_names, read_yaml, resolve_name_or_path

__all__ = ["Actor", "ActorSet", "ActorSetError", "list_actor_sets", "load_actor_set"]

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
