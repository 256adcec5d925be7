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

__all__ = [
    "aliases_yaml",
    "load_outlet_aliases",
    "normalise_outlets",
    "outlet_key",
    "suggest_aliases",
]


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


# Words that name a kind of page or a web address, not an outlet: ignored when
# suggesting which spellings belong together.
_GENERIC = frozenset(
    "the news online opinion opinions live com www net org co uk us html "
    "politics world latest breaking edition".split()
)


def _core(name: str) -> frozenset[str]:
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", name).casefold())
    core = frozenset(w for w in words if w not in _GENERIC)
    return core or frozenset(words)


def suggest_aliases(counts: AbcMapping[str, int]) -> dict[str, list[str]]:
    """Suggest groups of outlet spellings that probably name one outlet.

    Two spellings are grouped when their words, ignoring case, punctuation and
    generic words of page kinds and web addresses (``news``, ``online``,
    ``opinion``, ``www``, ``com``, ...), are the same: ``Fox Online News`` and
    ``Fox News Opinion``, ``Newsmax - News`` and ``Newsmax``, ``www.msnbc.com``
    and ``msnbc.com``. A suggestion to check, not a decision: ``Fox News`` and
    ``Fox Business`` stay apart.

    Returns
    -------
    dict
        ``{canonical: [other spellings]}``, the canonical name being the most
        frequent spelling (ties: the shortest, then alphabetical); only groups of
        two or more spellings.

    Examples
    --------
    >>> suggest_aliases({"Fox Online News": 5, "Fox News Opinion": 2, "CNN": 9,
    ...                  "www.msnbc.com": 1, "msnbc.com": 3, "Fox Business": 4})
    {'Fox Online News': ['Fox News Opinion'], 'msnbc.com': ['www.msnbc.com']}
    """
    groups: dict[frozenset[str], list[str]] = {}
    for name in counts:
        if str(name).strip():
            groups.setdefault(_core(str(name)), []).append(str(name))
    out = {}
    for names in groups.values():
        if len(names) < 2:
            continue
        names.sort(key=lambda n: (-counts[n], len(n), n))
        out[names[0]] = names[1:]
    return dict(sorted(out.items()))


def aliases_yaml(groups: AbcMapping[str, list[str]], counts: AbcMapping[str, int]) -> str:
    """Write suggested groups as a starter alias file (YAML) for the user to edit."""
    import yaml

    header = (
        "# Outlet aliases: canonical name -> other spellings of the same outlet.\n"
        "# Suggested by `framing outlets` from the spellings in the corpus; check each\n"
        "# group, edit the names, delete what is wrong. Names not listed stay as they\n"
        "# are. Use it with --outlet-aliases FILE or outlet_aliases in [corpus].\n"
    )
    if not groups:
        return header + "# (no spellings look alike)\n{}\n"
    body = yaml.safe_dump(
        {k: list(v) for k, v in groups.items()}, allow_unicode=True, sort_keys=False
    )
    notes = "".join(
        f"# {k}: " + ", ".join(f"{n} ({counts[n]})" for n in [k, *v]) + "\n"
        for k, v in groups.items()
    )
    return header + "# Articles per spelling:\n" + notes + body
