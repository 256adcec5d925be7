"""Stage 5, frames: frame sets, scoring methods, exemplars and validation against coding.

One idea per module:

- :mod:`~framing.frames.sets`: frame sets (YAML), their schema and checks;
- :mod:`~framing.frames.lexicon`: the regex-trie term compiler and scanner;
- :mod:`~framing.frames.semantic`: embedding similarity to frame prototypes, calibration;
- :mod:`~framing.frames.supervised`: classifiers trained on coded units, with CV;
- :mod:`~framing.frames.results`: :class:`FrameScores` and how its tables are built;
- :mod:`~framing.frames.headline`: the threshold-free headline article score, coverage
  and validation status;
- :mod:`~framing.frames.score`: :func:`score_frames`, the one entry point;
- :mod:`~framing.frames.coding`: samples and sheets for human coding;
- :mod:`~framing.frames.validation`: agreement with the coders;
- :mod:`~framing.frames.exemplars`: the units behind each score.
"""

from framing.frames.lexicon import compile_terms
from framing.frames.results import FrameScores, FrameScoreWarning
from framing.frames.score import score_frames
from framing.frames.semantic import (
    DEFAULT_SEMANTIC_THRESHOLD,
    MIN_UNITS_TO_CENTRE,
    PRESENT_SD,
    calibrate_threshold,
    frame_prototypes,
)
from framing.frames.sets import Frame, FrameSet, FrameSetError, list_frame_sets, load_frame_set
from framing.frames.supervised import FrameClassifier, train_frame_classifier

__all__ = [
    "DEFAULT_SEMANTIC_THRESHOLD",
    "MIN_UNITS_TO_CENTRE",
    "PRESENT_SD",
    "Frame",
    "FrameClassifier",
    "FrameScoreWarning",
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
