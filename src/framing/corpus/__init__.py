"""Stage 1, the corpus: find, read, decode and clean files into the ``articles`` table.

The public entry point is :func:`load_corpus` (module :mod:`framing.corpus.load`).
"""

from framing.corpus.load import *  # noqa: F403
from framing.corpus.load import __all__ as _all

__all__ = list(_all)
