"""The steps of ``framing run``, one module each; the registry is :mod:`framing.run.registry`.

Each module defines ``run(ctx: StepContext) -> StepResult``: it calls the analysis
packages and returns new tidy tables. A step's cache key covers the code its module
imports (found from the imports, :mod:`framing.run.keys`), so a step module imports
exactly what its step runs and nothing else.

The summaries that used to live here moved to the analysis packages
(:func:`framing.corpus.summary.corpus_by_outlet`,
:func:`~framing.corpus.summary.corpus_overview`,
:func:`framing.topics.summaries.topic_documents`,
:func:`framing.compare.keyness_by_outlet`); the old names still import from here for
one release, with a ``DeprecationWarning``.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

# old name -> module that defines it now (imported on first use only, so that no step
# module depends on another through this package)
_MOVED = {
    "corpus_by_outlet": "framing.corpus.summary",
    "corpus_overview": "framing.corpus.summary",
    "topic_documents": "framing.topics.summaries",
    "keyness_by_outlet": "framing.compare._keyness",
    "RunError": "framing.run.context",
    "StepContext": "framing.run.context",
    "StepResult": "framing.run.context",
}


def __getattr__(name: str) -> Any:
    if name not in _MOVED:
        raise AttributeError(f"module 'framing.run.steps' has no attribute {name!r}")
    new = _MOVED[name]
    public = new.replace("._keyness", "")
    warnings.warn(
        f"framing.run.steps.{name} moved to {public}.{name}; import it from there "
        "(the old path will be removed in the next release)",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(new), name)
