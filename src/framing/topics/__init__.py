"""Stage 4, topics: seeded offline BERTopic, LDA/NMF baselines and topic-quality measures.

See :mod:`framing.topics.model` and :mod:`framing.topics.evaluation`.
"""

from framing.topics.model import *  # noqa: F403
from framing.topics.model import __all__ as _all

__all__ = list(_all)
