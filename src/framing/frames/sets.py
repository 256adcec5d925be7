"""Frame sets: versioned, cited YAML files naming the frames of one study.

A *frame* is a way of presenting a story that selects some aspects of reality and
makes them salient (Entman 1993). A *frame set* is a versioned YAML file naming the
frames of one study, each with a label, a description, matching terms, optional
example sentences and optional exclusion terms. Built-in sets live in
``framing/data/frames/``; :func:`list_frame_sets` lists them and
:func:`load_frame_set` also reads your own file (one name-or-path rule for the whole
package: :func:`framing.resources.resolve_name_or_path`).

Frame-set schema
----------------
.. code-block:: yaml

    name: my-study            # required
    version: "1.0"            # required
    citation: "Who wrote the concepts (year)."   # required
    description: "What the set is for."          # optional
    contrast: [conflict, economic]  # optional: default pair contrasted (a minus b)
    frames:                   # required, at least one frame
      conflict:               # the frame key: letters, digits and "_"
        label: Conflict       # optional (default: the key)
        description: "Parties disagree or reproach each other."
        terms: ["disagree*", "at odds", "U.S.-led"]
        examples: ["The allies are at odds over sanctions."]   # optional
        counter_examples: ["The allies agreed on sanctions."]  # optional near misses
        exclude: ["no disagreement"]                          # optional

A frame needs terms or a description (or both). Unknown keys are an error, and so
are a set with fewer than two frames (nothing to contrast), empty or non-string
examples, and an example that is also one of the frame's counter-examples.

``examples`` are sentences that carry the frame and ``counter_examples`` near misses
that do not (same topic, no frame); the ``semantic`` method scores each unit by its
similarity to the mean of the examples against the mean of the counter-examples
(:func:`framing.frames.semantic.semantic_similarity`). Write them from the frame's
concept in the register of the corpus (news sentences), never from coded data you
will validate on. The
matching rules of ``terms`` and ``exclude`` are defined in :mod:`framing.frames.lexicon`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from framing.resources import (
    YamlDocument,
    builtin_names,
    read_yaml,
    resolve_name_or_path,
)

__all__ = ["Frame", "FrameSet", "FrameSetError", "list_frame_sets", "load_frame_set"]

_FRAME_FOLDER = "frames"

_SET_KEYS = ("name", "version", "citation", "description", "contrast", "frames")
_SET_REQUIRED = ("name", "version", "citation", "frames")
_FRAME_KEYS = ("label", "description", "terms", "examples", "counter_examples", "exclude")
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
        Example sentences that carry the frame (prototypes of the ``semantic``
        method).
    counter_examples : tuple of str
        Near misses that do not carry it (the method's "none" reference).
    exclude : tuple of str
        Terms whose matches cancel overlapping term matches.
    """

    key: str
    label: str
    description: str = ""
    terms: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
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
    contrast : tuple of str
        The set's default pair of frames to contrast (``a`` minus ``b``), or ``()``.
    """

    name: str
    version: str
    citation: str
    frames: dict[str, Frame]
    description: str = ""
    source: str = "<dict>"
    contrast: tuple[str, ...] = ()
    _compiled: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def keys(self) -> list[str]:
        """Frame keys in file order."""
        return list(self.frames)

    def __len__(self) -> int:
        return len(self.frames)


# ------------------------------------------------------------------ loading sets


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


def _sentences(
    spec: Mapping[str, Any], what: str, key: str, where: str, doc: YamlDocument | None
) -> tuple[str, ...]:
    """Validate ``examples`` / ``counter_examples``: a list of non-empty strings."""
    value = spec.get(what)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not value:
        raise FrameSetError(
            f"{where}: {what!r} must be a non-empty list of sentences, got {value!r}"
        )
    out: list[str] = []
    for i, item in enumerate(value):
        place = doc.where("frames", key, what, i) if doc is not None else where
        if not isinstance(item, str):
            raise FrameSetError(
                f"{place}: frame {key!r}: {what!r} item {i + 1} is {type(item).__name__} "
                f"{item!r}, not a sentence; quote it"
            )
        if not item.strip():
            raise FrameSetError(f"{place}: frame {key!r}: {what!r} item {i + 1} is empty")
        text = " ".join(item.split())
        if text.lower() in {t.lower() for t in out}:
            raise FrameSetError(f"{place}: frame {key!r}: {what!r} lists {text!r} twice")
        out.append(text)
    return tuple(out)


def _parse_frame_set(data: Any, source: str, doc: YamlDocument | None = None) -> FrameSet:
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
        place = doc.where("frames", key) if doc is not None else source
        where = f"{place}: frame {key!r}"
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
        examples = _sentences(spec, "examples", key, where, doc)
        counter_examples = _sentences(spec, "counter_examples", key, where, doc)
        lowered = {" ".join(c.lower().split()) for c in counter_examples}
        both = [e for e in examples if " ".join(e.lower().split()) in lowered]
        if both:
            raise FrameSetError(
                f"{where}: {both[0]!r} is both an example and a counter-example; a "
                "sentence cannot carry the frame and not carry it"
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
            examples=examples,
            counter_examples=counter_examples,
            exclude=_as_str_list(spec.get("exclude"), where, "exclude"),
        )
    if len(frames) < 2:
        raise FrameSetError(
            f"{source}: the set has one frame ({next(iter(frames))!r}); a frame set needs at "
            "least two frames, so that scores can be contrasted (add a second frame)"
        )
    contrast = _as_str_list(data.get("contrast"), source, "contrast")
    if contrast and (len(contrast) != 2 or not set(contrast) <= set(frames)):
        raise FrameSetError(
            f"{source}: 'contrast' must name two frames of the set (a, b), got "
            f"{list(contrast)}; frames: {list(frames)}"
        )
    return FrameSet(
        contrast=contrast,
        name=str(data["name"]).strip(),
        version=str(data["version"]).strip(),
        citation=str(data["citation"]).strip(),
        description=str(data.get("description") or "").strip(),
        frames=frames,
        source=source,
    )


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
    for name in builtin_names(_FRAME_FOLDER):
        path = resolve_name_or_path(
            name, folder=_FRAME_FOLDER, kind="frame set", error=FrameSetError
        ).path
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
    ...                      "frames": {"economic": {"terms": ["tax*", "job*"]},
    ...                                 "health": {"terms": ["disease*"]}}})
    >>> fs.keys, fs.frames["economic"].label
    (['economic', 'health'], 'economic')
    """
    if isinstance(frames, FrameSet):
        return frames
    if isinstance(frames, Mapping):
        return _parse_frame_set(frames, "<dict>")
    if not isinstance(frames, str | Path):
        raise TypeError(
            f"frames must be a frame-set name, a path, a mapping or a FrameSet, "
            f"got {type(frames).__name__}"
        )
    found = resolve_name_or_path(
        frames, folder=_FRAME_FOLDER, kind="frame set", error=FrameSetError
    )
    doc = read_yaml(found.path, error=FrameSetError)
    return _parse_frame_set(doc.data, doc.source, doc)
