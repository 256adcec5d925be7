"""Outlet names: the matching key, alias maps, and names that still look alike."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from collections.abc import Mapping as AbcMapping
from pathlib import Path
from typing import Any

import pandas as pd

from framing.corpus.options import LoadOptions, spell
from framing.corpus.problems import CorpusError

__all__ = ["load_outlet_aliases", "normalise_outlets", "outlet_key"]


# --------------------------------------------------------------------------- outlets


def outlet_key(name: str) -> str:
    """Return the matching key of an outlet name: NFKC, case-folded, letters/digits only.

    Examples
    --------
    >>> outlet_key("The Huffington Post") == outlet_key("thehuffingtonpost")
    True
    """
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    return re.sub(r"[\W_]+", "", text)


def _alias_pairs(data: Any, origin: str) -> Iterable[tuple[str, str]]:
    if not isinstance(data, AbcMapping):
        raise CorpusError(
            f"{origin}: an outlet alias map must be a mapping of canonical name -> list "
            "of aliases, or alias -> canonical name"
        )
    if "aliases" in data and isinstance(data["aliases"], AbcMapping):
        data = data["aliases"]
    for key, value in data.items():
        if isinstance(value, str):
            yield str(key), value
        elif isinstance(value, (list, tuple)):
            yield str(key), str(key)
            for alias in value:
                yield str(alias), str(key)
        else:
            raise CorpusError(
                f"{origin}: entry {key!r} must be a name or a list of aliases, "
                f"got {type(value).__name__}"
            )


def load_outlet_aliases(aliases: AbcMapping[str, Any] | str | Path) -> dict[str, str]:
    """Read an outlet alias map and return ``{outlet_key(alias): canonical name}``.

    Parameters
    ----------
    aliases : mapping or path
        Either ``{canonical: [alias, ...]}`` or ``{alias: canonical}`` (entries may
        mix both forms), as a Python mapping, a YAML file (the same structure, at the
        top level or under an ``aliases:`` key, so the file can also carry ``name``,
        ``version`` and ``source``) or a CSV file with columns ``alias, outlet``. A
        canonical name is also an alias of itself.

    Returns
    -------
    dict
        Keys are :func:`outlet_key` of each alias, values the canonical names.

    Raises
    ------
    CorpusError
        If the file is missing or malformed, or one alias maps to two names.

    Examples
    --------
    >>> load_outlet_aliases({"HuffPost": ["thehuffingtonpost"]})["thehuffingtonpost"]
    'HuffPost'
    """
    origin = "outlet_aliases"
    if isinstance(aliases, (str, Path)):
        path = Path(aliases)
        origin = str(path)
        if not path.is_file():
            raise CorpusError(f"outlet alias file {path} does not exist")
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as exc:
                raise CorpusError(f"{path}: malformed YAML ({exc})") from exc
            pairs = list(_alias_pairs(data, origin))
        elif path.suffix.lower() == ".csv":
            table = pd.read_csv(path, dtype=str, keep_default_na=False)
            if not {"alias", "outlet"} <= set(table.columns):
                raise CorpusError(
                    f"{path}: an alias CSV needs columns 'alias' and 'outlet'; it has "
                    f"{list(table.columns)}"
                )
            pairs = [(o, o) for o in table["outlet"]]
            pairs += list(zip(table["alias"], table["outlet"], strict=True))
        else:
            raise CorpusError(f"{path}: outlet aliases must be a .yaml, .yml or .csv file")
    else:
        pairs = list(_alias_pairs(aliases, origin))
    result: dict[str, str] = {}
    for alias, canonical in pairs:
        key = outlet_key(alias)
        if not key:
            continue
        if key in result and result[key] != canonical:
            raise CorpusError(
                f"{origin}: alias {alias!r} maps to both {result[key]!r} and "
                f"{canonical!r}; keep one"
            )
        result[key] = canonical
    return result


def normalise_outlets(
    outlets: Iterable[str], aliases: AbcMapping[str, Any] | str | Path | None = None
) -> tuple[list[str], list[str]]:
    """Map outlet names through an alias map; report names that still look alike.

    Whitespace is collapsed in every name. With an alias map, a name whose
    :func:`outlet_key` is an alias becomes the canonical name; other names are
    kept as they are. Names that differ only in case, spacing or punctuation and are
    not merged by the map are kept apart and reported.

    Returns
    -------
    names : list of str
        The normalised names, in input order.
    messages : list of str
        Warnings for the load report.

    Examples
    --------
    >>> normalise_outlets(["thehuffingtonpost", "The Huffington Post"],
    ...                   {"HuffPost": ["the huffington post"]})[0]
    ['HuffPost', 'HuffPost']
    """
    table = load_outlet_aliases(aliases) if aliases is not None else {}
    mapping: dict[str, str] = {}
    unmapped: dict[str, set[str]] = {}
    for raw in dict.fromkeys(outlets):
        name = " ".join(str(raw).split())
        key = outlet_key(name)
        if key and key in table:
            mapping[raw] = table[key]
        else:
            mapping[raw] = name
            if key:
                unmapped.setdefault(key, set()).add(name)
    messages = []  # a partial alias map is normal: other names stay as they are
    alike = [sorted(group) for group in unmapped.values() if len(group) > 1]
    if alike:
        messages.append(
            f"{len(alike)} group(s) of outlet names differ only in case, spacing or "
            f"punctuation and count as different outlets: {alike[:10]}"
            f"{' ...' if len(alike) > 10 else ''}; merge them with "
            f"{spell('outlet_aliases', '<file>')}"
        )
    return [mapping[o] for o in outlets], messages


def outlet_from_source(
    file: str,
    *,
    record_outlet: str,
    manifest_outlet: str,
    opts: LoadOptions,
    root_name: str,
) -> tuple[str, str | None]:
    """Apply the ``outlet_from`` rule to one article; return ``(outlet, warning)``.

    ``"auto"``: the manifest, else the record's outlet column (or an HTML page's
    site name). ``"column"``: only the column. ``"manifest"``: only the manifest.
    ``"filename"``/``"folder"``: a filled-in manifest outlet, else the file-name
    stem (or the first group of ``outlet_pattern``) or the parent folder's name
    (``root_name`` for files at the top of the corpus). ``outlet_default`` fills
    what is still empty.

    Examples
    --------
    >>> opts = LoadOptions(outlet_pattern="^([A-Za-z]+)_")
    >>> outlet_from_source("NYT_x.csv", record_outlet="", manifest_outlet="",
    ...                    opts=opts, root_name="c")
    ('NYT', None)
    >>> outlet_from_source("NYT_x.csv", record_outlet="", manifest_outlet="New York Times",
    ...                    opts=opts, root_name="c")
    ('New York Times', None)
    """
    mode = opts.outlet_from
    warning = None
    if mode == "manifest":
        value = manifest_outlet
    elif mode == "column":
        value = record_outlet
    elif mode == "auto":
        value = manifest_outlet or record_outlet
    elif manifest_outlet:
        value = manifest_outlet  # a filled-in manifest outlet wins over the file's name
    elif mode == "filename":
        name = Path(file).stem
        value = name
        if opts.outlet_pattern:
            match = re.search(opts.outlet_pattern, name)
            value = (match.group(1) or "") if match else ""
            if not match:
                warning = (
                    f"{file}: outlet_pattern {opts.outlet_pattern!r} does not match the "
                    f"file name {name!r}; outlet left {opts.outlet_default or 'empty'!r}"
                )
    else:  # folder
        parent = Path(file).parent
        value = parent.name if parent.name else root_name
    return value or opts.outlet_default, warning
