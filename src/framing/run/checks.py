"""Settings that name frames or actors, checked against their sets before any work.

:func:`check_settings` runs at the start of :func:`framing.run.runner.run_all`,
before the corpus is read: a frame set or actor list that cannot be loaded, or a
``frames.contrast`` naming a frame the frame set does not have, stops the run at
once, with a message that quotes the setting as the user wrote it (``--set ...`` on
the command line, ``file, line N`` in a configuration file). Steps are checked by
:func:`framing.run.registry.parse_steps` (``--only``) just before.
"""

from __future__ import annotations

from framing.frames import load_frame_set
from framing.run.config import DEFAULTS, ConfigError, RunConfig, place_of
from framing.sentiment.actors import load_actor_set

__all__ = ["check_settings"]


def check_settings(cfg: RunConfig) -> None:
    """Load the frame set and actor list the run will use; check ``frames.contrast``.

    Raises
    ------
    ConfigError
        ``frames.contrast`` names a frame that ``frames.frame_set`` does not have.
    FrameSetError, ActorSetError
        The frame set or actor list cannot be loaded (the message names the file).
    """
    if cfg.sentiment.enabled and cfg.sentiment.actors:
        load_actor_set(cfg.sentiment.actors)
    if not cfg.frames.enabled:
        return
    frame_set = load_frame_set(cfg.frames.frame_set)
    contrast = list(cfg.frames.contrast)
    frames = list(frame_set.frames)
    missing = [f for f in contrast if f not in frames]
    if not missing:
        return
    contrast_origin = cfg.origins.get("frames.contrast", DEFAULTS)
    names = ", ".join(repr(f) for f in missing)
    valid = ", ".join(frames)
    if contrast_origin == DEFAULTS:
        # the user changed the frame set and kept the default contrast
        where = place_of(cfg, "frames.frame_set")
        problem = (
            f"{where}: the frame set {frame_set.name!r} does not have {names}, which "
            f"frames.contrast names by default"
        )
    else:
        where = place_of(cfg, "frames.contrast")
        problem = (
            f"{where}: frames.contrast names {names}, which the frame set "
            f"{frame_set.name!r} does not have"
        )
    example = frames[:2] if len(frames) >= 2 else frames
    said = contrast_origin
    if said == DEFAULTS:
        said = cfg.origins.get("frames.frame_set", DEFAULTS)
    raise ConfigError(f"{problem}. Its frames are {valid}. {_advice(said, example)}")


def _advice(origin: str, example: list[str]) -> str:
    """How to change frames.contrast, in the syntax of the place that set it."""
    if origin == "override":  # load_config(overrides=...) in Python
        return (
            f"Choose two of them, e.g. overrides={{'frames.contrast': {example!r}}}, "
            "or [] for no contrast"
        )
    if origin.startswith("-") or origin == DEFAULTS:
        listed = ",".join(f'"{f}"' for f in example)
        return (
            f"Choose two of them, e.g. --set 'frames.contrast=[{listed}]', or "
            "--set 'frames.contrast=[]' for no contrast"
        )
    listed = ", ".join(f'"{f}"' for f in example)
    return (
        f"Choose two of them under [frames], e.g. contrast = [{listed}], or "
        "contrast = [] for no contrast"
    )
