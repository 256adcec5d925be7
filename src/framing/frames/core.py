"""Frames: versioned frame sets (YAML) and three ways to score them.

A *frame* is a way of presenting a story that selects some aspects of reality and
makes them salient (Entman 1993). A *frame set* is a versioned YAML file naming the
frames of one study, each with a label, a description, matching terms, optional
example sentences and optional exclusion terms. Built-in sets live in
``framing/data/frames/``; :func:`list_frame_sets` lists them and
:func:`load_frame_set` also reads your own file.

Frame-set schema
----------------
.. code-block:: yaml

    name: my-study            # required
    version: "1.0"            # required
    citation: "Who wrote the concepts (year)."   # required
    description: "What the set is for."          # optional
    frames:                   # required, at least one frame
      conflict:               # the frame key: letters, digits and "_"
        label: Conflict       # optional (default: the key)
        description: "Parties disagree or reproach each other."
        terms: ["disagree*", "at odds", "U.S.-led"]
        examples: ["The allies are at odds over sanctions."]   # optional
        exclude: ["no disagreement"]                          # optional

A frame needs terms or a description (or both). Unknown keys are an error.

Matching rules for ``terms`` and ``exclude`` (the one place they are defined)
-----------------------------------------------------------------------------
- case-insensitive, and whole words: a term never matches inside a longer word
  (``"war"`` does not match ``"warm"``);
- ``*`` at the end of a word is a suffix wildcard (``"divid*"`` matches *divided*,
  *divides*, *dividing*); a ``*`` anywhere else is a literal character;
- a multi-word phrase matches across any run of spaces, line breaks, hyphens,
  dashes and quotation marks (``"cease fire"`` matches *cease-fire*, and ``"lack of
  clarity"`` matches *lack of "clarity"*); ``'`` matches ``’`` and vice versa;
- every other character, including regex metacharacters, is literal (``"C++"``,
  ``"U.S."``, ``"(EU)"``);
- within a frame, where two terms match at the same place the longer wins, and
  matches never overlap, so ``n_matches`` counts distinct stretches of text;
- a term match that overlaps a match of any of the frame's ``exclude`` terms (at
  any word start) is dropped (e.g. ``exclude: ["balance of power"]`` for a frame
  with ``"balanc*"``); the number dropped is reported in ``n_excluded``.

Scoring
-------
:func:`score_frames` scores every unit (sentence by default) for every frame by one
of three methods and returns a :class:`FrameScores`: ``lexicon`` (term matches),
``semantic`` (cosine similarity to a frame prototype embedding) or ``supervised``
(a classifier trained on human-coded units, see :func:`train_frame_classifier`).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    import yaml

__all__ = [
    "DEFAULT_SEMANTIC_THRESHOLD",
    "MIN_UNITS_TO_CENTRE",
    "Frame",
    "FrameClassifier",
    "FrameScores",
    "FrameSet",
    "FrameSetError",
    "calibrate_threshold",
    "compile_terms",
    "frame_prototypes",
    "list_frame_sets",
    "load_frame_set",
    "score_frames",
    "train_frame_classifier",
]

_FRAME_DIR = "data/frames"
_SET_KEYS = ("name", "version", "citation", "description", "frames")
_SET_REQUIRED = ("name", "version", "citation", "frames")
_FRAME_KEYS = ("label", "description", "terms", "examples", "exclude")
_KEY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class FrameSetError(ValueError):
    """A frame set is malformed; the message names the file, line and frame."""


@dataclass(frozen=True)
class Frame:
    """One frame of a frame set.

    Attributes
    ----------
    key : str
        Identifier used in every output table (``frame`` column).
    label : str
        Human-readable name for figures.
    description : str
        What the frame is, in words a coder can apply.
    terms : tuple of str
        Lexicon terms (matching rules in the module docstring).
    examples : tuple of str
        Example sentences that carry the frame (used by the ``semantic`` method).
    exclude : tuple of str
        Terms whose matches cancel overlapping term matches.
    """

    key: str
    label: str
    description: str = ""
    terms: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class FrameSet:
    """A named, versioned, cited set of frames (see :func:`load_frame_set`).

    Attributes
    ----------
    name, version, citation, description : str
        Metadata written into every result (``FrameScores.frame_set``).
    frames : dict of str to Frame
        Frames by key, in file order.
    source : str
        The file the set was read from (``"<dict>"`` for an in-memory set).
    """

    name: str
    version: str
    citation: str
    frames: dict[str, Frame]
    description: str = ""
    source: str = "<dict>"
    _compiled: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def keys(self) -> list[str]:
        """Frame keys in file order."""
        return list(self.frames)

    def __len__(self) -> int:
        return len(self.frames)

    def _lexicon(self) -> _Lexicon:
        """Compiled term patterns, built once per frame set."""
        if "lexicon" not in self._compiled:
            self._compiled["lexicon"] = _Lexicon.build(self)
        return self._compiled["lexicon"]


# --------------------------------------------------------------------------- terms

# Separators allowed between the words of a phrase: whitespace, hyphens and dashes,
# quotation marks. The NUL character that joins units in score_frames is not one.
_SEP = "[\\s\\-\u2010\u2011\u2012\u2013\u2014\"'\u2018\u2019\u201c\u201d\u00ab\u00bb]+"
_APOSTROPHE = "['\u2019]"
_WORD_SPLIT = re.compile("[\\s\\-\u2010\u2011\u2012\u2013\u2014]+")
_WILDCARD = "\\w*"
_END = ""


def _term_atoms(term: str) -> list[str]:
    """Translate one lowercased term into regex atoms (one per character/operator)."""
    atoms: list[str] = []
    for i, word in enumerate(_WORD_SPLIT.split(term.strip().lower())):
        if i:
            atoms.append(_SEP)
        wildcard = word.endswith("*") and len(word) > 1
        body = word[:-1] if wildcard else word
        atoms.extend(_APOSTROPHE if ch in "'\u2019" else re.escape(ch) for ch in body)
        if wildcard:
            atoms.append(_WILDCARD)
    return atoms


def _trie_regex(terms: Iterable[str]) -> str | None:
    """One regex for all ``terms``, factored as a prefix trie.

    A trie-shaped alternation is several times faster in :mod:`re` than a flat
    ``a|b|c`` list. At every node, continuations are tried before ending there
    (greedy ``?``) and literal continuations before a wildcard, so a longer term
    wins over a shorter one it extends (``"split between"`` over ``"split"``).
    """
    root: dict[str, dict] = {}
    for term in terms:
        if not term or not term.strip():
            continue
        node = root
        for atom in _term_atoms(term):
            node = node.setdefault(atom, {})
        node[_END] = {}
    if not root:
        return None

    def emit(node: dict[str, dict]) -> str:
        children = sorted((k for k in node if k != _END), key=lambda k: k == _WILDCARD)
        alternatives = [atom + emit(node[atom]) for atom in children]
        if not alternatives:
            return ""
        ends_here = _END in node
        if len(alternatives) == 1 and not ends_here:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")" + ("?" if ends_here else "")

    return emit(root)


def compile_terms(terms: Iterable[str]) -> re.Pattern[str] | None:
    """Compile lexicon terms into one case-insensitive whole-word pattern.

    The matching rules are those of the module docstring.

    Parameters
    ----------
    terms : iterable of str
        Terms such as ``"divid*"``, ``"at odds"``, ``"U.S."``.

    Returns
    -------
    re.Pattern or None
        ``None`` when ``terms`` is empty.

    Examples
    --------
    >>> p = compile_terms(["divid*", "U.S.", "at odds"])
    >>> [m.group() for m in p.finditer("Divided U.S. allies are at-odds; USA is not.")]
    ['Divided', 'U.S.', 'at-odds']
    >>> compile_terms(["war"]).search("a warm day") is None
    True
    """
    body = _trie_regex(terms)
    if body is None:
        return None
    # (?<!\w) / (?!\w) instead of \b so that terms that begin or end with a
    # non-word character ("(EU)", "C++", "U.S.") still match as whole words.
    return re.compile(f"(?<!\\w)(?:{body})(?!\\w)", re.IGNORECASE)


@dataclass(frozen=True)
class _Lexicon:
    """Compiled patterns of one frame set, for lowercased text.

    Scanning makes one pass over the text with ``candidates``: a zero-width
    look-ahead over the trie of *every* term of the set, placed after a non-word
    character (so :mod:`re` can skip ahead to non-word characters instead of
    testing a look-behind at every position). Each candidate position is then
    tried with each frame's anchored pattern (``terms``), and each exclusion
    pattern (``exclude``, which captures every exclusion match starting at a word
    start) is searched only in the units where that frame matched. One pass plus
    a few anchored matches is several times faster than one full pass per frame.
    """

    candidates: re.Pattern[str] | None
    terms: dict[str, re.Pattern[str] | None]
    exclude: dict[str, re.Pattern[str] | None]
    first_chars: dict[str, list[str]]

    @classmethod
    def build(cls, frame_set: FrameSet) -> _Lexicon:
        def anchored(items: Sequence[str]) -> re.Pattern[str] | None:
            body = _trie_regex(items)
            return None if body is None else re.compile(f"(?:{body})(?!\\w)")

        def overlapping(items: Sequence[str]) -> re.Pattern[str] | None:
            body = _trie_regex(items)
            return None if body is None else re.compile(f"\\W(?=((?:{body})(?!\\w)))")

        every = [t for f in frame_set.frames.values() for t in f.terms]
        return cls(
            candidates=overlapping(every),
            terms={k: anchored(f.terms) for k, f in frame_set.frames.items()},
            exclude={k: overlapping(f.exclude) for k, f in frame_set.frames.items()},
            first_chars={k: _first_chars(f.terms) for k, f in frame_set.frames.items()},
        )


def _first_chars(terms: Sequence[str]) -> list[str]:
    """Return the characters a frame's matches can start with (in lowercased text)."""
    chars = set()
    for term in terms:
        first = term.strip().lower()[:1]
        chars.update(["'", "\u2019"] if first in ("'", "\u2019") else [first])
    return sorted(chars)


# ------------------------------------------------------------------ loading sets


def _yaml_loader() -> type[yaml.SafeLoader]:
    """Return a SafeLoader class that rejects duplicate mapping keys (naming both lines)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _UniqueKeyLoader(base):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"duplicate key {key!r} (first defined on line "
                        f"{seen[key].start_mark.line + 1})",
                        key_node.start_mark,
                    )
                seen[key] = key_node
            return super().construct_mapping(node, deep=deep)

    return _UniqueKeyLoader


def _read_yaml(path: Path) -> tuple[Any, dict[str, int]]:
    """Parse ``path``; returns the data and the line number of each frame key."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FrameSetError(f"{path}: not UTF-8 text ({exc}); save it as UTF-8") from exc
    loader = _yaml_loader()(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        detail = f"{context}; {problem}" if context else problem
        raise FrameSetError(f"{path}{where}: malformed YAML: {detail}") from exc
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == "frames" and isinstance(value_node, yaml.MappingNode):
                for fkey, _ in value_node.value:
                    lines[str(fkey.value)] = fkey.start_mark.line + 1
    return data, lines


def _as_str_list(value: Any, where: str, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        raise FrameSetError(f"{where}: {what!r} must be a list of strings, got {value!r}")
    out = []
    for item in value:
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise FrameSetError(f"{where}: {what!r} must hold strings, got {item!r}")
        text = str(item).strip()
        if not text or text == "*":
            raise FrameSetError(f"{where}: {what!r} holds an empty term {item!r}")
        out.append(text)
    duplicates = sorted({t for t in out if [x.lower() for x in out].count(t.lower()) > 1})
    if duplicates:
        raise FrameSetError(f"{where}: {what!r} lists {duplicates} more than once")
    return tuple(out)


def _parse_frame_set(data: Any, source: str, lines: Mapping[str, int]) -> FrameSet:
    if not isinstance(data, Mapping):
        raise FrameSetError(
            f"{source}: a frame set must be a mapping with keys {list(_SET_KEYS)}, "
            f"got {type(data).__name__}"
        )
    unknown = [k for k in data if k not in _SET_KEYS]
    if unknown:
        raise FrameSetError(
            f"{source}: unknown key(s) {unknown}; valid keys are {list(_SET_KEYS)}"
        )
    missing = [k for k in _SET_REQUIRED if data.get(k) in (None, "")]
    if missing:
        raise FrameSetError(f"{source}: missing required key(s) {missing}")
    raw_frames = data["frames"]
    if not isinstance(raw_frames, Mapping) or not raw_frames:
        raise FrameSetError(
            f"{source}: 'frames' must be a non-empty mapping of frame key -> frame"
        )
    frames: dict[str, Frame] = {}
    seen_lower: dict[str, str] = {}
    seen_labels: dict[str, str] = {}
    for key, spec in raw_frames.items():
        key = str(key)
        line = f", line {lines[key]}" if key in lines else ""
        where = f"{source}{line}: frame {key!r}"
        if not _KEY_RE.match(key):
            raise FrameSetError(
                f"{where}: a frame key must start with a letter and hold only letters, "
                "digits and '_' (it becomes the 'frame' column)"
            )
        if key.lower() in seen_lower:
            raise FrameSetError(
                f"{where}: duplicate frame name (same as {seen_lower[key.lower()]!r} "
                "ignoring case); frame names must be unique"
            )
        seen_lower[key.lower()] = key
        spec = {} if spec is None else spec
        if not isinstance(spec, Mapping):
            raise FrameSetError(f"{where}: must be a mapping with keys {list(_FRAME_KEYS)}")
        bad = [k for k in spec if k not in _FRAME_KEYS]
        if bad:
            raise FrameSetError(
                f"{where}: unknown key(s) {bad}; valid keys are {list(_FRAME_KEYS)}"
            )
        description = str(spec.get("description") or "").strip()
        terms = _as_str_list(spec.get("terms"), where, "terms")
        if not terms and not description:
            raise FrameSetError(
                f"{where}: has neither terms nor a description; give it at least one"
            )
        label = str(spec.get("label") or key).strip()
        if label.lower() in seen_labels:
            raise FrameSetError(
                f"{where}: duplicate frame name: label {label!r} is also used by frame "
                f"{seen_labels[label.lower()]!r}"
            )
        seen_labels[label.lower()] = key
        frames[key] = Frame(
            key=key,
            label=label,
            description=description,
            terms=terms,
            examples=_as_str_list(spec.get("examples"), where, "examples"),
            exclude=_as_str_list(spec.get("exclude"), where, "exclude"),
        )
    return FrameSet(
        name=str(data["name"]).strip(),
        version=str(data["version"]).strip(),
        citation=str(data["citation"]).strip(),
        description=str(data.get("description") or "").strip(),
        frames=frames,
        source=source,
    )


def _builtin_path(name: str) -> Path | None:
    path = Path(str(files("framing") / _FRAME_DIR / f"{name}.yaml"))
    return path if path.is_file() else None


def list_frame_sets() -> pd.DataFrame:
    """List the built-in frame sets.

    Returns
    -------
    pandas.DataFrame
        One row per set: ``name``, ``version``, ``n_frames``, ``frames`` (keys,
        ``", "``-joined), ``citation``, ``path``.

    Examples
    --------
    >>> sets = list_frame_sets()
    >>> sorted(sets["name"])
    ['generic-news', 'policy-frames', 'ukraine-diplomacy']
    """
    rows = []
    for path in sorted(Path(str(files("framing") / _FRAME_DIR)).glob("*.yaml")):
        fs = load_frame_set(path)
        rows.append(
            {
                "name": fs.name,
                "version": fs.version,
                "n_frames": len(fs),
                "frames": ", ".join(fs.keys),
                "citation": fs.citation,
                "path": str(path),
            }
        )
    return pd.DataFrame(
        rows, columns=["name", "version", "n_frames", "frames", "citation", "path"]
    )


def load_frame_set(frames: str | Path | Mapping[str, Any] | FrameSet) -> FrameSet:
    """Load and validate a frame set.

    Parameters
    ----------
    frames : str, path, mapping or FrameSet
        A built-in name (see :func:`list_frame_sets`), a path to a YAML file, a
        mapping with the YAML schema of the module docstring, or a ``FrameSet``
        (returned as is).

    Returns
    -------
    FrameSet

    Raises
    ------
    FrameSetError
        Malformed YAML (naming the file, line and column), duplicate keys or frame
        names, unknown keys (listing the valid ones), a frame with neither terms nor
        a description, or an unknown name (listing the built-in sets).

    Examples
    --------
    >>> fs = load_frame_set({"name": "demo", "version": 1, "citation": "us (2025)",
    ...                      "frames": {"economic": {"terms": ["tax*", "job*"]}}})
    >>> fs.keys, fs.frames["economic"].label
    (['economic'], 'economic')
    """
    if isinstance(frames, FrameSet):
        return frames
    if isinstance(frames, Mapping):
        return _parse_frame_set(frames, "<dict>", {})
    if not isinstance(frames, str | Path):
        raise TypeError(
            f"frames must be a frame-set name, a path, a mapping or a FrameSet, "
            f"got {type(frames).__name__}"
        )
    path = Path(frames)
    if not path.is_file():
        builtin = _builtin_path(str(frames)) if isinstance(frames, str) else None
        if builtin is None:
            names = [p.stem for p in Path(str(files("framing") / _FRAME_DIR)).glob("*.yaml")]
            raise FrameSetError(
                f"{str(frames)!r} is neither a YAML file nor a built-in frame set; "
                f"built-in sets: {sorted(names)}"
            )
        path = builtin
    data, lines = _read_yaml(path)
    return _parse_frame_set(data, str(path), lines)


# ------------------------------------------------------------------------ results


@dataclass(frozen=True)
class FrameScores:
    """Frame scores of one method on one corpus: always this type, for every method.

    Attributes
    ----------
    units : pandas.DataFrame
        One row per unit x frame: ``article_id``, ``unit_id``, ``position``,
        ``outlet``, ``frame``, ``score``, ``present`` (bool), ``matched_terms``,
        ``n_excluded``. ``score`` is the number of term matches (``lexicon``), the
        cosine similarity to the frame prototype (``semantic``) or the classifier's
        probability (``supervised``); higher always means more of the frame.
        ``matched_terms`` is the ``"; "``-joined matched text (lexicon; ``""``
        otherwise) and ``n_excluded`` the matches dropped by exclusion terms
        (lexicon; ``<NA>`` otherwise).
    articles : pandas.DataFrame
        One row per article x frame: ``article_id``, ``outlet``, ``frame``,
        ``n_units``, ``n_present``, ``share`` (= ``n_present / n_units``, the share
        of units carrying the frame; NaN for an article without units),
        ``mean_score``, ``max_score``, ``n_matches`` and ``per_1k_words`` (lexicon;
        NaN otherwise) and ``n_words``.
    texts : pandas.DataFrame
        The scored units' text: ``unit_id``, ``article_id``, ``position``,
        ``outlet``, ``text`` (used by :func:`framing.frames.exemplars.exemplars` and
        :func:`framing.frames.validation.sample_for_coding`).
    frame_set, frame_set_version : str
        Name and version of the frame set.
    method : str
        ``"lexicon"``, ``"semantic"`` or ``"supervised"``.
    params : dict
        Every setting that affects the scores (threshold, model, unit, ...).
    labels : dict of str to str
        Frame key -> label, for figures.
    cv_report : pandas.DataFrame or None
        ``supervised`` only: cross-validated precision, recall and F1 per frame.
    """

    units: pd.DataFrame
    articles: pd.DataFrame
    texts: pd.DataFrame
    frame_set: str
    frame_set_version: str
    method: str
    params: dict[str, Any]
    labels: dict[str, str]
    cv_report: pd.DataFrame | None = None

    @property
    def frames(self) -> list[str]:
        """Frame keys in frame-set order."""
        return list(self.labels)


_UNIT_OUT = [
    "article_id",
    "unit_id",
    "position",
    "outlet",
    "frame",
    "score",
    "present",
    "matched_terms",
    "n_excluded",
]
_ARTICLE_OUT = [
    "article_id",
    "outlet",
    "frame",
    "n_units",
    "n_present",
    "share",
    "mean_score",
    "max_score",
    "n_matches",
    "per_1k_words",
    "n_words",
]


def _prepare_units(table: pd.DataFrame, unit: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (units, articles) where articles = article_id, outlet, n_words."""
    from framing.schema import SchemaError

    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"expected an articles or units DataFrame, got {type(table).__name__}")
    needed = ("article_id", "unit_id", "text") if "unit_id" in table else ("article_id", "text")
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise SchemaError(
            f"score_frames needs column(s) {missing}; the table has {list(table.columns)}. "
            "Pass the articles table (load_corpus) or the units table (split_units)."
        )
    if "unit_id" in table:
        units = table
        if units["unit_id"].duplicated().any():
            dup = units.loc[units["unit_id"].duplicated(), "unit_id"].head(5).tolist()
            raise SchemaError(f"units.unit_id must be unique; repeated e.g. {dup}")
        outlet = units["outlet"] if "outlet" in units else pd.Series("", index=units.index)
        first = pd.DataFrame(
            {"article_id": units["article_id"].astype(str), "outlet": outlet.fillna("")}
        ).drop_duplicates("article_id")
        words = pd.Series(
            [len(t.split()) if isinstance(t, str) else 0 for t in units["text"]],
            index=units.index,
        )
        n_words = words.groupby(units["article_id"].astype(str), sort=False).sum()
        first["n_words"] = first["article_id"].map(n_words).fillna(0).astype("int64")
        return units, first.reset_index(drop=True)
    from framing.units import split_units

    articles = table
    if articles["article_id"].duplicated().any():
        dup = articles.loc[articles["article_id"].duplicated(), "article_id"].head(5).tolist()
        raise SchemaError(f"articles.article_id must be unique; repeated e.g. {dup}")
    units = split_units(articles, unit=unit)  # type: ignore[arg-type]
    if "n_words" in articles and pd.api.types.is_integer_dtype(articles["n_words"]):
        n_words = articles["n_words"].to_numpy()
    else:
        n_words = [len(t.split()) if isinstance(t, str) else 0 for t in articles["text"]]
    outlet = articles["outlet"] if "outlet" in articles else pd.Series("", index=articles.index)
    info = pd.DataFrame(
        {
            "article_id": articles["article_id"].astype(str).to_numpy(),
            "outlet": outlet.fillna("").astype(str).to_numpy(),
            "n_words": np.asarray(n_words, dtype="int64"),
        }
    )
    return units, info


def _scan_lexicon(
    texts: Sequence[str], frame_set: FrameSet
) -> tuple[np.ndarray, np.ndarray, list[dict[int, list[str]]]]:
    """Count term matches of every frame in every text.

    Returns ``(counts, excluded, matched)``: two ``(n_texts, n_frames)`` int arrays
    and, per frame, ``{text index: [matched text, ...]}``.
    """
    lexicon = frame_set._lexicon()
    n = len(texts)
    keys = frame_set.keys
    counts = np.zeros((n, len(keys)), dtype=np.int64)
    excluded = np.zeros((n, len(keys)), dtype=np.int64)
    matched: list[dict[int, list[str]]] = [{} for _ in keys]
    if n == 0 or lexicon.candidates is None:
        return counts, excluded, matched
    # Units are joined by NUL, which no term or separator matches, so a match never
    # spans two units; the leading NUL lets a match start at the first character.
    clean = [t.replace("\x00", " ") if isinstance(t, str) else "" for t in texts]
    joined = "\x00" + "\x00".join(clean)
    lower = joined.lower()
    if len(lower) != len(joined):  # a character lowercases to several: keep offsets
        lower = _lower_keep_offsets(joined)
    lengths = np.fromiter((len(t) + 1 for t in clean), dtype=np.int64, count=n)
    starts = np.concatenate([[1], 1 + np.cumsum(lengths)[:-1]])
    positions = np.fromiter(
        (m.start(1) for m in lexicon.candidates.finditer(lower)), dtype=np.int64
    )
    first = np.array([lower[p] for p in positions.tolist()], dtype="U1")
    for j, key in enumerate(keys):
        pattern, exclude = lexicon.terms[key], lexicon.exclude[key]
        if pattern is None:
            continue
        kept: list[tuple[int, int]] = []
        dropped: list[int] = []
        last_end = 0
        for pos in positions[np.isin(first, lexicon.first_chars[key])].tolist():
            if pos < last_end:
                continue  # a frame's matches never overlap (like re.finditer)
            m = pattern.match(lower, pos)
            if m is None:
                continue
            last_end = m.end()
            if exclude is not None and _overlaps(exclude, lower, pos, last_end):
                dropped.append(pos)
            else:
                kept.append((pos, last_end))
        if kept:
            span = np.asarray(kept, dtype=np.int64)
            unit_of = np.searchsorted(starts, span[:, 0], side="right") - 1
            counts[:, j] = np.bincount(unit_of, minlength=n)
            frame_matches = matched[j]
            for (s, e), u in zip(kept, unit_of.tolist(), strict=True):
                frame_matches.setdefault(u, []).append(" ".join(lower[s:e].split()))
        if dropped:
            unit_of = np.searchsorted(starts, np.asarray(dropped), side="right") - 1
            excluded[:, j] = np.bincount(unit_of, minlength=n)
    return counts, excluded, matched


def _overlaps(exclude: re.Pattern[str], text: str, start: int, end: int) -> bool:
    """Whether an exclusion match in the unit around ``start:end`` overlaps it."""
    unit_start = text.rfind("\x00", 0, start)
    unit_end = text.find("\x00", end)
    for x in exclude.finditer(text, unit_start, len(text) if unit_end < 0 else unit_end):
        if x.start(1) >= end:
            return False
        if x.end(1) > start:
            return True
    return False


def _lower_keep_offsets(text: str) -> str:
    """Lowercase ``text``, keeping the few characters whose lowercase is longer.

    ``"İ".lower()`` has two characters, which would shift every later offset; such
    characters are swapped for private-use stand-ins while lowercasing.
    """
    odd = [c for c in set(text) if len(c.lower()) != 1]
    for i, c in enumerate(odd):
        text = text.replace(c, chr(0xF0000 + i))
    text = text.lower()
    for i, c in enumerate(odd):
        text = text.replace(chr(0xF0000 + i), c)
    return text


def _assemble(
    units: pd.DataFrame,
    info: pd.DataFrame,
    frame_set: FrameSet,
    scores: np.ndarray,
    present: np.ndarray,
    *,
    method: str,
    params: dict[str, Any],
    matched: list[dict[int, list[str]]] | None = None,
    excluded: np.ndarray | None = None,
    cv_report: pd.DataFrame | None = None,
) -> FrameScores:
    """Build the unit and article tables from ``(n_units, n_frames)`` arrays."""
    keys = frame_set.keys
    n_units, n_frames = len(units), len(keys)
    article_ids = units["article_id"].astype(str).to_numpy()
    outlet = (
        units["outlet"].fillna("").astype(str).to_numpy()
        if "outlet" in units
        else np.full(n_units, "", dtype=object)
    )
    position = (
        units["position"].to_numpy(dtype="int64")
        if "position" in units
        else np.arange(n_units, dtype="int64")
    )
    # String columns are position lookups ("take") into short string arrays: far
    # faster than creating one Python string per unit x frame.
    each_unit = np.repeat(np.arange(n_units), n_frames)
    each_frame = np.tile(np.arange(n_frames), n_units)
    distinct_terms = [""]
    term_index = np.zeros((n_units, n_frames), dtype=np.int64)
    for j, per_unit in enumerate(matched or []):
        for u, found in per_unit.items():
            term_index[u, j] = len(distinct_terms)
            distinct_terms.append("; ".join(found))

    def take(values: Any, index: np.ndarray) -> Any:
        return pd.array(np.asarray(values, dtype=object), dtype="str").take(index)

    unit_table = pd.DataFrame(
        {
            "article_id": take(article_ids, each_unit),
            "unit_id": take(units["unit_id"].astype(str).to_numpy(), each_unit),
            "position": position[each_unit],
            "outlet": take(outlet, each_unit),
            "frame": take(keys, each_frame),
            "score": scores.astype("float64").ravel(),
            "present": present.astype(bool).ravel(),
            "matched_terms": take(distinct_terms, term_index.ravel()),
            "n_excluded": pd.array(
                excluded.ravel() if excluded is not None else [pd.NA] * (n_units * n_frames),
                dtype="Int64",
            ),
        },
        columns=_UNIT_OUT,
    )
    # per article x frame, in the order of `info` (every input article, even empty)
    codes = pd.Index(info["article_id"]).get_indexer(article_ids)
    n_art = len(info)
    n_of = np.bincount(codes, minlength=n_art).astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        cols: dict[str, list[np.ndarray]] = {k: [] for k in ("n_present", "sum", "max")}
        for j in range(n_frames):
            cols["n_present"].append(np.bincount(codes, weights=present[:, j], minlength=n_art))
            cols["sum"].append(np.bincount(codes, weights=scores[:, j], minlength=n_art))
            mx = np.full(n_art, -np.inf)
            if n_units:
                np.maximum.at(mx, codes, scores[:, j])
            cols["max"].append(np.where(n_of > 0, mx, np.nan))
        n_present = np.column_stack(cols["n_present"]) if n_frames else np.zeros((n_art, 0))
        sums = np.column_stack(cols["sum"]) if n_frames else np.zeros((n_art, 0))
        maxes = np.column_stack(cols["max"]) if n_frames else np.zeros((n_art, 0))
        denominator = np.where(n_of > 0, n_of, np.nan)[:, None]
        share = n_present / denominator
        mean_score = sums / denominator
        n_words = info["n_words"].to_numpy(dtype="float64")[:, None]
        if method == "lexicon":
            n_matches = sums
            per_1k = np.where(n_words > 0, 1000.0 * sums / n_words, np.nan)
        else:
            n_matches = np.full_like(sums, np.nan)
            per_1k = np.full_like(sums, np.nan)
    article_table = pd.DataFrame(
        {
            "article_id": np.repeat(info["article_id"].to_numpy(), n_frames),
            "outlet": np.repeat(info["outlet"].to_numpy(), n_frames),
            "frame": np.tile(np.asarray(keys, dtype=object), n_art),
            "n_units": np.repeat(n_of, n_frames),
            "n_present": n_present.ravel().astype("int64"),
            "share": share.ravel(),
            "mean_score": mean_score.ravel(),
            "max_score": maxes.ravel(),
            "n_matches": n_matches.ravel(),
            "per_1k_words": per_1k.ravel(),
            "n_words": np.repeat(info["n_words"].to_numpy(dtype="int64"), n_frames),
        },
        columns=_ARTICLE_OUT,
    )
    empty = info.loc[n_of == 0, "article_id"].tolist()
    if empty:
        warnings.warn(
            f"{len(empty)} article(s) have no text to score (e.g. {empty[:5]}); they are "
            "kept with n_units=0 and share=NaN",
            stacklevel=3,
        )
    texts = pd.DataFrame(
        {
            "unit_id": units["unit_id"].astype(str).to_numpy(),
            "article_id": article_ids,
            "position": position,
            "outlet": outlet,
            "text": units["text"].fillna("").astype(str).to_numpy(),
        }
    )
    return FrameScores(
        units=unit_table,
        articles=article_table,
        texts=texts,
        frame_set=frame_set.name,
        frame_set_version=frame_set.version,
        method=method,
        params=params,
        labels={k: f.label for k, f in frame_set.frames.items()},
        cv_report=cv_report,
    )


# ----------------------------------------------------------------------- semantic

#: Default threshold of the ``semantic`` method on the centred cosine scale (see
#: score_frames for how it was chosen).
DEFAULT_SEMANTIC_THRESHOLD = 0.30
#: Below this many units, centring on the corpus mean is unstable (a warning says so).
MIN_UNITS_TO_CENTRE = 50

Embedder = Callable[[Sequence[str]], np.ndarray]


def _resolve_embedder(
    embedder: Embedder | None,
    model: str | None,
    cache_dir: str | Path | None,
    progress: bool | None,
) -> Embedder:
    if embedder is not None:
        return embedder
    from framing.embeddings import embed_texts

    def default(texts: Sequence[str]) -> np.ndarray:
        return embed_texts(list(texts), model=model, cache_dir=cache_dir, show_progress=progress)

    return default


def _normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def frame_prototypes(
    frames: str | Path | Mapping[str, Any] | FrameSet,
    *,
    embedder: Embedder | None = None,
    model: str | None = None,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Embed each frame as one prototype vector for the ``semantic`` method.

    The prototype is the L2-normalised mean of up to three parts, weighted
    equally: the embedding of the description, the mean embedding of the
    examples and the mean embedding of the terms (``*`` removed, phrases as
    written). Equal weights keep a long term list from drowning the description.

    Parameters
    ----------
    frames : frame-set name, path, mapping or FrameSet
    embedder : callable, optional
        ``texts -> (n, d) array``; default :func:`framing.embeddings.embed_texts`
        with the offline MiniLM model (Reimers & Gurevych 2019).
    model, cache_dir : optional
        Passed to :func:`framing.embeddings.embed_texts` when ``embedder`` is None.

    Returns
    -------
    pandas.DataFrame
        One row per frame (index: frame key), one column per embedding dimension.
    """
    frame_set = load_frame_set(frames)
    embed = _resolve_embedder(embedder, model, cache_dir, False)
    texts: list[str] = []
    owners: list[tuple[str, str]] = []
    for key, frame in frame_set.frames.items():
        if frame.description:
            texts.append(frame.description)
            owners.append((key, "description"))
        texts.extend(frame.examples)
        owners.extend((key, "examples") for _ in frame.examples)
        terms = [t.replace("*", "") for t in frame.terms]
        texts.extend(terms)
        owners.extend((key, "terms") for _ in terms)
    vectors = _normalise(embed(texts))
    rows = []
    for key in frame_set.keys:
        parts = []
        for part in ("description", "examples", "terms"):
            idx = [i for i, owner in enumerate(owners) if owner == (key, part)]
            if idx:
                parts.append(_normalise(vectors[idx].mean(axis=0)))
        rows.append(_normalise(np.mean(parts, axis=0)))
    return pd.DataFrame(np.vstack(rows), index=pd.Index(frame_set.keys, name="frame"))


def _coded_truth(coded: pd.DataFrame, frames: Sequence[str]) -> pd.DataFrame:
    """Long table ``unit_id, frame, truth`` from coded units (any supported layout)."""
    if {"unit_id", "coder", "frame", "present"} <= set(coded.columns):
        from framing.frames.validation import majority_labels

        truth = majority_labels(coded)
        return truth.dropna(subset=["truth"])
    from framing.frames.validation import parse_coded_labels

    if "unit_id" not in coded.columns:
        raise ValueError(
            f"coded units need a 'unit_id' column to join the scores; got {list(coded.columns)}"
        )
    if "labels" not in coded.columns:  # one 0/1 column per coded frame
        frames = [f for f in frames if f in coded.columns] or list(frames)
    matrix = parse_coded_labels(coded, frames, text_column=None)
    matrix.index = coded["unit_id"].astype(str).to_numpy()
    long = (
        matrix.rename_axis("unit_id")
        .reset_index()
        .melt(id_vars="unit_id", var_name="frame", value_name="truth")
    )
    return long


def calibrate_threshold(
    scores: FrameScores | pd.DataFrame,
    coded: pd.DataFrame,
    *,
    frame: str | None = None,
    criterion: Literal["f1", "youden"] = "f1",
) -> float:
    """Choose the score threshold that best reproduces human coding.

    Every observed score is a candidate threshold (``present = score >= t``). With
    ``criterion="f1"`` the threshold maximises the F1 of the pooled unit x frame
    decisions against the coders (ties: the lowest such threshold); with
    ``"youden"`` it maximises Youden's (1950) J = sensitivity + specificity - 1,
    which weighs both error types equally whatever the prevalence.

    Parameters
    ----------
    scores : FrameScores or DataFrame
        Unit scores (``unit_id``, ``frame``, ``score``), e.g. ``FrameScores.units``
        of the ``semantic`` method.
    coded : pandas.DataFrame
        Human codes for some of the units: ``unit_id`` plus a ``labels`` column
        (``"conflict;economic"``, ``"none"``) or one 0/1 column per frame, or the
        long table of :func:`framing.frames.validation.read_coding_sheet` (coders'
        majority is used).
    frame : str, optional
        Calibrate for this frame only; default all frames pooled.
    criterion : {"f1", "youden"}, default="f1"

    Returns
    -------
    float
        The threshold; pass it as ``score_frames(..., threshold=...)``.

    Examples
    --------
    >>> units = pd.DataFrame({"unit_id": ["u1", "u2", "u3", "u4"], "frame": "f",
    ...                       "score": [0.9, 0.6, 0.5, 0.1]})
    >>> coded = pd.DataFrame({"unit_id": ["u1", "u2", "u3", "u4"], "f": [1, 1, 0, 0]})
    >>> calibrate_threshold(units, coded)
    0.6
    """
    from sklearn.metrics import roc_curve

    table = scores.units if isinstance(scores, FrameScores) else scores
    frames = sorted(table["frame"].unique())
    truth = _coded_truth(coded, frames)
    merged = table[["unit_id", "frame", "score"]].merge(
        truth, on=["unit_id", "frame"], how="inner", validate="one_to_one"
    )
    if frame is not None:
        if frame not in frames:
            raise ValueError(f"frame {frame!r} is not scored; scored frames: {frames}")
        merged = merged[merged["frame"] == frame]
    merged = merged.dropna(subset=["score"])
    y = merged["truth"].to_numpy(dtype=int)
    s = merged["score"].to_numpy(dtype=float)
    if len(y) == 0 or y.min() == y.max():
        raise ValueError(
            f"calibration needs coded units of both classes; got {len(y)} unit x frame "
            f"decision(s) with {int(y.sum())} positive. Code more units."
        )
    if criterion == "youden":
        fpr, tpr, thresholds = roc_curve(y, s)
        finite = np.isfinite(thresholds)
        j = tpr[finite] - fpr[finite]
        return float(thresholds[finite][int(np.argmax(j))])
    if criterion != "f1":
        raise ValueError(f"criterion must be 'f1' or 'youden', got {criterion!r}")
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    tp = np.cumsum(y_sorted)
    predicted = np.arange(1, len(y) + 1)
    f1 = 2 * tp / (predicted + y.sum())
    last_of_tie = np.r_[s_sorted[1:] != s_sorted[:-1], True]  # threshold = s_sorted[i]
    f1 = np.where(last_of_tie, f1, -1.0)
    best = f1.max()
    # among equally good thresholds take the lowest (most inclusive)
    i = int(np.flatnonzero(f1 == best)[-1])
    return float(s_sorted[i])


# --------------------------------------------------------------------- supervised


@dataclass
class FrameClassifier:
    """One-vs-rest logistic regressions trained on human-coded units.

    Made by :func:`train_frame_classifier`; apply it with
    ``score_frames(table, method="supervised", classifier=clf)`` or
    :meth:`predict_proba`.

    Attributes
    ----------
    frames : list of str
        Frame keys, in the order of the probability columns.
    labels : dict of str to str
        Frame key -> label.
    features : {"tfidf", "embeddings", "both"}
    cv_report : pandas.DataFrame
        Cross-validated ``precision``, ``recall``, ``f1`` and ``support`` per frame
        (plus a ``macro`` row), from out-of-fold predictions at ``threshold``.
    frame_set, frame_set_version : str
        Where the frames came from (``"coded"`` when inferred from the labels).
    params : dict
        Training settings.
    """

    frames: list[str]
    labels: dict[str, str]
    features: str
    cv_report: pd.DataFrame
    frame_set: str
    frame_set_version: str
    params: dict[str, Any]
    _vectorizer: Any = field(repr=False, default=None)
    _models: dict[str, Any] = field(repr=False, default_factory=dict)
    _embedder: Embedder | None = field(repr=False, default=None)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Return the ``(n_texts, n_frames)`` probabilities that each frame is present."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        X = _feature_matrix(self.features, texts, self._embedder, self._vectorizer)[0]
        return _predict(self._models, self.frames, X)


def _tfidf_vectorizer(n_docs: int) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from framing.resources import english_stop_words

    return TfidfVectorizer(
        sublinear_tf=True,
        ngram_range=(1, 2),
        min_df=2 if n_docs >= 20 else 1,
        max_df=0.9 if n_docs >= 20 else 1.0,
        strip_accents="unicode",
        stop_words=sorted(english_stop_words()),
    )


def _feature_matrix(
    kind: str,
    texts: Sequence[str],
    embedder: Embedder | None,
    vectorizer: Any,
    *,
    embeddings: np.ndarray | None = None,
    fit: bool = False,
) -> tuple[Any, Any]:
    """Return ``(X, vectorizer)`` for ``kind`` in tfidf / embeddings / both."""
    from scipy import sparse

    blocks = []
    if kind in ("tfidf", "both"):
        if fit:
            vectorizer = _tfidf_vectorizer(len(texts))
            blocks.append(vectorizer.fit_transform(texts))
        else:
            blocks.append(vectorizer.transform(texts))
    if kind in ("embeddings", "both"):
        if embeddings is None:
            assert embedder is not None
            embeddings = _embed_units(texts, embedder)
        blocks.append(sparse.csr_matrix(embeddings))
    return (blocks[0] if len(blocks) == 1 else sparse.hstack(blocks).tocsr()), vectorizer


def _embed_units(texts: Sequence[str], embedder: Embedder) -> np.ndarray:
    """Embed each text as the normalised mean of its sentences' embeddings.

    Sentence encoders truncate long inputs (MiniLM: 256 word pieces), so a long
    unit (a paragraph, an article) is split with :func:`framing.units.split_sentences`
    and its sentence vectors are averaged; a one-sentence unit keeps its own
    embedding. An empty text gets a zero vector.
    """
    from framing.units import split_sentences

    pieces = [split_sentences(t) if isinstance(t, str) else [] for t in texts]
    flat = [s for sentences in pieces for s in sentences]
    vectors = _normalise(embedder(flat)) if flat else np.zeros((0, 1))
    width = vectors.shape[1] if flat else 1
    out = np.zeros((len(texts), width))
    start = 0
    for i, sentences in enumerate(pieces):
        if sentences:
            out[i] = vectors[start : start + len(sentences)].mean(axis=0)
            start += len(sentences)
    return _normalise(out)


def _fit_models(X: Any, Y: np.ndarray, frames: Sequence[str], C: float, seed: int) -> dict:
    from sklearn.linear_model import LogisticRegression

    models: dict[str, Any] = {}
    for j, key in enumerate(frames):
        y = Y[:, j]
        if y.min() == y.max():  # one class only: predict it with certainty
            models[key] = float(y[0])
            continue
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=seed)
        models[key] = clf.fit(X, y)
    return models


def _predict(models: Mapping[str, Any], frames: Sequence[str], X: Any) -> np.ndarray:
    out = np.empty((X.shape[0], len(frames)))
    for j, key in enumerate(frames):
        model = models[key]
        out[:, j] = model if isinstance(model, float) else model.predict_proba(X)[:, 1]
    return out


def _cv_report(
    Y: np.ndarray, oof: np.ndarray, frames: Sequence[str], labels: Mapping[str, str], t: float
) -> pd.DataFrame:
    from sklearn.metrics import precision_recall_fscore_support

    rows = []
    for j, key in enumerate(frames):
        p, r, f, _ = precision_recall_fscore_support(
            Y[:, j], oof[:, j] >= t, average="binary", zero_division=0
        )
        rows.append(
            {
                "frame": key,
                "label": labels[key],
                "precision": p,
                "recall": r,
                "f1": f,
                "support": int(Y[:, j].sum()),
                "n_units": len(Y),
            }
        )
    report = pd.DataFrame(rows)
    macro = {
        "frame": "macro",
        "label": "Macro average",
        "precision": report["precision"].mean(),
        "recall": report["recall"].mean(),
        "f1": report["f1"].mean(),
        "support": int(report["support"].sum()),
        "n_units": len(Y),
    }
    return pd.concat([report, pd.DataFrame([macro])], ignore_index=True)


def train_frame_classifier(
    coded: str | Path | pd.DataFrame,
    *,
    frames: str | Path | Mapping[str, Any] | FrameSet | Sequence[str] | None = None,
    features: Literal["tfidf", "embeddings", "both"] = "tfidf",
    text_column: str = "text",
    labels_column: str = "labels",
    embedder: Embedder | None = None,
    model: str | None = None,
    cache_dir: str | Path | None = None,
    n_splits: int = 5,
    C: float = 1.0,
    threshold: float = 0.5,
    random_state: int = 0,
) -> FrameClassifier:
    """Train one logistic regression per frame on human-coded units.

    Each frame gets its own binary L2-regularised logistic regression (one-vs-rest,
    so a unit may carry several frames) with ``class_weight="balanced"`` so that
    rare frames are not ignored. Features are TF-IDF word uni- and bigrams
    (sublinear tf; Salton & Buckley 1988), sentence embeddings (offline MiniLM;
    Reimers & Gurevych 2019; a unit of several sentences is embedded as the mean
    of its sentences, so long units are not truncated) or both side by side.
    Quality is estimated by seeded, shuffled ``n_splits``-fold cross-validation:
    the vectorizer and the classifiers are refitted inside every fold (no leakage)
    and precision, recall and F1 are computed on the pooled out-of-fold
    predictions; the final model is then fitted on all coded units.

    Parameters
    ----------
    coded : path or DataFrame
        A CSV (or table) with a text column plus either a ``labels`` column of
        frame keys separated by ``;`` (``"conflict;economic"``; ``"none"`` or empty
        for no frame) or one 0/1 column per frame.
    frames : frame set, list of keys, or None
        The valid labels; unknown labels are an error naming them. ``None`` infers
        the frames from the labels.
    features : {"tfidf", "embeddings", "both"}, default="tfidf"
    text_column, labels_column : str
        Column names in ``coded``.
    embedder, model, cache_dir :
        How to embed texts (see :func:`frame_prototypes`).
    n_splits : int, default=5
        Cross-validation folds.
    C : float, default=1.0
        Inverse regularisation strength.
    threshold : float, default=0.5
        Probability at which a frame counts as present.
    random_state : int, default=0
        Seed of the fold split and the solver.

    Returns
    -------
    FrameClassifier
        With ``cv_report``; higher probabilities mean the frame is more likely
        present.
    """
    from sklearn.model_selection import KFold

    from framing.frames.validation import parse_coded_labels

    if features not in ("tfidf", "embeddings", "both"):
        raise ValueError(f"features must be 'tfidf', 'embeddings' or 'both', got {features!r}")
    source = str(coded) if isinstance(coded, str | Path) else "the coded table"
    table = pd.read_csv(coded) if isinstance(coded, str | Path) else coded
    if frames is None or (isinstance(frames, Sequence) and not isinstance(frames, str)):
        keys = None if frames is None else [str(k) for k in frames]
        set_name, set_version = "coded", ""
        labels_of: dict[str, str] = {}
    else:
        frame_set = load_frame_set(frames)
        keys, set_name, set_version = frame_set.keys, frame_set.name, frame_set.version
        labels_of = {k: f.label for k, f in frame_set.frames.items()}
    Y_table = parse_coded_labels(
        table, keys, text_column=text_column, labels_column=labels_column, source=source
    )
    absent = [k for k in Y_table.columns if Y_table[k].sum() == 0]
    if absent:
        warnings.warn(
            f"{source}: frame(s) {absent} are never coded as present; they are left out of "
            "the classifier (it cannot learn a frame without examples)",
            stacklevel=2,
        )
        Y_table = Y_table.drop(columns=absent)
    keys = list(Y_table.columns)
    if not keys:
        raise ValueError(f"{source}: no frame is coded as present in any unit")
    labels_of = {k: labels_of.get(k, k) for k in keys}
    texts = table[text_column].fillna("").astype(str).tolist()
    Y = Y_table.to_numpy(dtype=int)
    if len(texts) < n_splits:
        raise ValueError(
            f"{source}: {len(texts)} coded unit(s) cannot be split into {n_splits} folds; "
            "code more units or lower n_splits"
        )
    for key, n_pos in zip(keys, Y.sum(axis=0), strict=True):
        if n_pos < n_splits or n_pos > len(Y) - n_splits:
            warnings.warn(
                f"frame {key!r} has {n_pos} positive of {len(Y)} coded units: too few of one "
                "class for a reliable classifier or cross-validation",
                stacklevel=2,
            )
    embed = (
        _resolve_embedder(embedder, model, cache_dir, None)
        if features in ("embeddings", "both")
        else None
    )
    embeddings = _embed_units(texts, embed) if embed is not None else None
    oof = np.zeros(Y.shape, dtype=float)
    folds = KFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    for train, test in folds.split(texts):
        train_texts = [texts[i] for i in train]
        X_train, vec = _feature_matrix(
            features,
            train_texts,
            None,
            None,
            embeddings=None if embeddings is None else embeddings[train],
            fit=True,
        )
        X_test, _ = _feature_matrix(
            features,
            [texts[i] for i in test],
            None,
            vec,
            embeddings=None if embeddings is None else embeddings[test],
        )
        oof[test] = _predict(_fit_models(X_train, Y[train], keys, C, random_state), keys, X_test)
    X_all, vectorizer = _feature_matrix(
        features, texts, None, None, embeddings=embeddings, fit=True
    )
    return FrameClassifier(
        frames=keys,
        labels=labels_of,
        features=features,
        cv_report=_cv_report(Y, oof, keys, labels_of, threshold),
        frame_set=set_name,
        frame_set_version=set_version,
        params={
            "features": features,
            "n_splits": n_splits,
            "C": C,
            "threshold": threshold,
            "random_state": random_state,
            "n_coded": len(texts),
            "model": (model or "all-MiniLM-L6-v2 (offline)") if embed is not None else None,
        },
        _vectorizer=vectorizer,
        _models=_fit_models(X_all, Y, keys, C, random_state),
        _embedder=embed,
    )


# ---------------------------------------------------------------------- scoring


def score_frames(
    table: pd.DataFrame,
    frames: str | Path | Mapping[str, Any] | FrameSet = "ukraine-diplomacy",
    method: Literal["lexicon", "semantic", "supervised"] = "lexicon",
    *,
    unit: Literal["sentence", "paragraph"] = "sentence",
    threshold: float | Mapping[str, float] | None = None,
    embedder: Embedder | None = None,
    model: str | None = None,
    cache_dir: str | Path | None = None,
    center: bool = True,
    classifier: FrameClassifier | None = None,
    coded: str | Path | pd.DataFrame | None = None,
    features: Literal["tfidf", "embeddings", "both"] = "tfidf",
    show_progress: bool | None = None,
) -> FrameScores:
    """Score every unit of a corpus for every frame of a frame set.

    Three methods (``method=``):

    ``lexicon``
        Counts term matches per unit (rules in the module docstring; exclusions
        drop matches). ``score`` = number of matches; ``present`` = at least one.
        Per article: ``n_matches``, ``per_1k_words`` (matches per 1,000 words of
        the article) and ``share`` (share of units with a match). A dictionary
        method in the tradition of Laver & Garry (2000) and Grimmer & Stewart (2013):
        transparent, but only as valid as its terms; read the exemplars.
    ``semantic``
        Cosine similarity of each unit's sentence embedding (offline MiniLM;
        Reimers & Gurevych 2019) to the frame prototype of :func:`frame_prototypes`
        (description, examples and terms). With ``center=True`` (default) the
        corpus's mean unit embedding is first subtracted from the unit vectors and
        the prototypes: raw cosines of news sentences mostly measure the shared
        topic (every sentence of a war corpus is close to every war-related
        prototype); removing the common direction (Mu & Viswanath 2018) leaves
        what distinguishes a sentence. ``present`` = centred similarity >=
        ``threshold``. The default, :data:`DEFAULT_SEMANTIC_THRESHOLD` = 0.30, was
        chosen by reading random sentences of the NYT/Guardian 2022 Ukraine corpus
        in bins of 0.05 (no labels involved): above 0.35 about four in five
        sentences carry the frame, between 0.30 and 0.35 about two in five, below
        0.30 few; at 0.30 it flags about as many sentences as the lexicon for the
        diplomacy frames there (22 vs 25 for allies divided, 58 vs 89 for
        balancing interests) and fewer for broad ones such as sanctions and
        energy. It is a rough, precision-leaning cut-off: scores depend on the
        model and the corpus, so calibrate on your own coded units with
        :func:`calibrate_threshold`, and compare outlets with ``mean_score`` as well.
    ``supervised``
        Probabilities from a :class:`FrameClassifier` (pass ``classifier=``, or
        ``coded=`` to train one here with ``features=``); ``present`` =
        probability >= the classifier's threshold (0.5 unless set). The
        cross-validated quality is in ``FrameScores.cv_report``.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``articles`` table (split into ``unit`` s with
        :func:`framing.units.split_units`) or a ``units`` table (scored as is).
    frames : frame-set name, path, mapping or FrameSet, default="ukraine-diplomacy"
        See :func:`load_frame_set`. For ``supervised`` the classifier's frames
        are used.
    method : {"lexicon", "semantic", "supervised"}, default="lexicon"
    unit : {"sentence", "paragraph"}, default="sentence"
        Unit of analysis when ``table`` holds articles.
    threshold : float or dict, optional
        ``semantic``: similarity cut-off (one value, or one per frame);
        ``supervised``: probability cut-off. Ignored by ``lexicon``.
    embedder : callable, optional
        ``texts -> (n, d) array`` replacing the default embedding model.
    model, cache_dir : optional
        Embedding model and cache folder for :func:`framing.embeddings.embed_texts`.
    center : bool, default=True
        ``semantic``: centre on the corpus mean embedding (see above).
    classifier : FrameClassifier, optional
        ``supervised``: a trained classifier.
    coded : path or DataFrame, optional
        ``supervised``: human-coded units to train a classifier on first.
    features : {"tfidf", "embeddings", "both"}, default="tfidf"
        ``supervised`` with ``coded``: the classifier's features.
    show_progress : bool, optional
        Show a progress bar while embedding (default: for 1,000 texts or more).

    Returns
    -------
    FrameScores
        ``units`` (unit x frame) and ``articles`` (article x frame) tables, the
        frame-set name and version, the method and its parameters. Higher scores
        and shares always mean more of the frame.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a1", "a2"], "outlet": ["x", "y"],
    ...     "text": ["Allies are divided. Talks go on.", "They seek common ground."]})
    >>> fs = score_frames(arts, "ukraine-diplomacy")
    >>> a = fs.articles.set_index(["article_id", "frame"])
    >>> row = a.loc[("a1", "allies_divided")]
    >>> int(row["n_units"]), int(row["n_present"]), float(row["share"])
    (2, 1, 0.5)
    >>> float(a.loc[("a2", "balancing_interests"), "share"])
    1.0
    """
    if method not in ("lexicon", "semantic", "supervised"):
        raise ValueError(f"method must be 'lexicon', 'semantic' or 'supervised', got {method!r}")
    if method == "supervised":
        if classifier is None and coded is None:
            raise ValueError(
                "method='supervised' needs classifier= (from train_frame_classifier) "
                "or coded= (human-coded units to train on)"
            )
        if classifier is None:
            classifier = train_frame_classifier(
                coded,  # type: ignore[arg-type]
                frames=frames,
                features=features,
                embedder=embedder,
                model=model,
                cache_dir=cache_dir,
            )
        frame_set = FrameSet(
            name=classifier.frame_set,
            version=classifier.frame_set_version,
            citation="",
            frames={k: Frame(k, classifier.labels[k], "trained") for k in classifier.frames},
        )
    else:
        frame_set = load_frame_set(frames)
    units, info = _prepare_units(table, unit)
    texts = units["text"].fillna("").astype(str).tolist()
    params: dict[str, Any] = {
        "unit": str(units["unit"].iloc[0]) if "unit" in units and len(units) else unit
    }
    if method == "lexicon":
        no_terms = [k for k, f in frame_set.frames.items() if not f.terms]
        if no_terms:
            warnings.warn(
                f"frame(s) {no_terms} have no terms: the lexicon method never finds them "
                "(use the semantic or supervised method for them)",
                stacklevel=2,
            )
        counts, excluded, matched = _scan_lexicon(texts, frame_set)
        return _assemble(
            units,
            info,
            frame_set,
            counts.astype(float),
            counts > 0,
            method=method,
            params=params,
            matched=matched,
            excluded=excluded,
        )
    if method == "semantic":
        cut = _per_frame(threshold, DEFAULT_SEMANTIC_THRESHOLD, frame_set.keys)
        embed = _resolve_embedder(embedder, model, cache_dir, show_progress)
        prototypes = frame_prototypes(frame_set, embedder=embed).to_numpy()
        vectors = _normalise(embed(texts)) if texts else np.zeros((0, prototypes.shape[1]))
        if center and len(vectors):
            if len(vectors) < MIN_UNITS_TO_CENTRE:
                warnings.warn(
                    f"centring on the mean of only {len(vectors)} units is unstable; score "
                    "a larger corpus or pass center=False (and a threshold for raw cosines)",
                    stacklevel=2,
                )
            mean = vectors.mean(axis=0)
            vectors, prototypes = _normalise(vectors - mean), _normalise(prototypes - mean)
        sims = vectors @ prototypes.T
        params.update(
            threshold=dict(zip(frame_set.keys, cut.tolist(), strict=True)),
            center=center,
            model=model or ("custom embedder" if embedder else "all-MiniLM-L6-v2 (offline)"),
        )
        return _assemble(
            units, info, frame_set, sims, sims >= cut[None, :], method=method, params=params
        )
    assert classifier is not None
    proba = classifier.predict_proba(texts) if texts else np.zeros((0, len(classifier.frames)))
    cut = _per_frame(threshold, classifier.params["threshold"], classifier.frames)
    params.update(
        threshold=dict(zip(classifier.frames, cut.tolist(), strict=True)),
        **{k: v for k, v in classifier.params.items() if k != "threshold"},
    )
    return _assemble(
        units,
        info,
        frame_set,
        proba,
        proba >= cut[None, :],
        method=method,
        params=params,
        cv_report=classifier.cv_report,
    )


def _per_frame(
    threshold: float | Mapping[str, float] | None, default: float, keys: Sequence[str]
) -> np.ndarray:
    if threshold is None:
        return np.full(len(keys), float(default))
    if isinstance(threshold, Mapping):
        unknown = sorted(set(threshold) - set(keys))
        if unknown:
            raise ValueError(f"threshold names unknown frame(s) {unknown}; frames: {list(keys)}")
        return np.array([float(threshold.get(k, default)) for k in keys])
    return np.full(len(keys), float(threshold))
