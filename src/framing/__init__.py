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
    "load_corpus": "framing.corpus.load",
    "split_units": "framing.units",
    "score_sentiment": "framing.sentiment.vader",
    "fit_topics": "framing.topics.model",
    "score_frames": "framing.frames.score",
    "load_frame_set": "framing.frames.sets",
    "load_config": "framing.run.config",
    "validate_articles": "framing.schema",
    "validate_units": "framing.schema",
}
# stage packages and shared modules, in pipeline order
_SUBMODULES = (
    "corpus",
    "units",
    "sentiment",
    "topics",
    "frames",
    "stories",
    "compare",
    "plots",
    "export",
    "run",
    "embeddings",
    "resources",
    "schema",
)
# Module paths before the stage packages (0.1): importable for one more release, with
# a DeprecationWarning (see framing._compat).
MOVED = {
    "framing.readers": "framing.corpus",
    "framing.clean": "framing.corpus.clean",
    "framing.dates": "framing.corpus.dates",
    "framing.dedup": "framing.corpus.dedup",
    "framing.actors": "framing.sentiment.actors",
    "framing.topic_eval": "framing.topics.evaluation",
    "framing.validation": "framing.frames.validation",
    "framing.exemplars": "framing.frames.exemplars",
    "framing.config": "framing.run.config",
    "framing.pipeline": "framing.run.runner",
    "framing.stages": "framing.run.steps",
    "framing.report": "framing.run.report",
    "framing.cli": "framing.run.cli",
    # 0.2 development path, split into framing.frames.{sets,lexicon,semantic,...}
    "framing.frames.core": "framing.frames",
}

__all__ = sorted([*_LAZY, *_SUBMODULES, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES or f"framing.{name}" in MOVED:
        # importing the old path goes through framing._compat, which warns
        module = importlib.import_module(f"framing.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'framing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__


from framing import _compat  # noqa: E402

_compat.install(MOVED)
