"""The ``framing run`` orchestration: configuration, steps, runner, manifest, report, CLI.

Nothing is imported here, so ``import framing.run.cli`` stays light; see
:mod:`framing.run.runner` (:func:`~framing.run.runner.run_all`) and
:mod:`framing.run.cli`.
"""
