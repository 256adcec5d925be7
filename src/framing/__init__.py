"""framing-workbench: measure how news outlets frame a story.

The public API (stable; see ``STYLE.md`` decision 5):

- :func:`load_corpus` reads a corpus into the ``articles`` table;
- :func:`split_units` splits articles into sentences or paragraphs (``units``);
- :func:`score_sentiment` scores VADER sentiment per unit and per article;
- :func:`fit_topics` fits a seeded, offline BERTopic model;
- :func:`score_frames` scores frames by lexicon, embedding similarity or a
  supervised classifier;
- modules :mod:`framing.compare`, :mod:`framing.plots`, :mod:`framing.export`.

Names are imported lazily, so ``import framing`` stays fast and never imports
torch, sentence-transformers or BERTopic.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "load_corpus": "framing.corpus",
    "split_units": "framing.units",
    "score_sentiment": "framing.sentiment",
    "fit_topics": "framing.topics",
    "score_frames": "framing.frames",
    "load_frame_set": "framing.frames",
    "load_config": "framing.config",
    "validate_articles": "framing.schema",
    "validate_units": "framing.schema",
}
_SUBMODULES = (
    "actors",
    "clean",
    "compare",
    "corpus",
    "dates",
    "dedup",
    "embeddings",
    "export",
    "frames",
    "plots",
    "resources",
    "schema",
    "sentiment",
    "topics",
    "units",
    "validation",
)

__all__ = sorted([*_LAZY, *_SUBMODULES, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        module = importlib.import_module(f"framing.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'framing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
