"""Old module paths keep working for one release, with a :class:`DeprecationWarning`.

The stage packages (0.2) moved modules such as ``framing.clean`` to
``framing.corpus.clean``. :func:`install` puts a finder on :data:`sys.meta_path`
that answers an import of an old path with the module at its new path (the same
module object, so its private names and monkeypatching behave as before) and warns
once per path with the name to import instead.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings
from collections.abc import Mapping, Sequence
from types import ModuleType

__all__ = ["install"]


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, moved: Mapping[str, str]) -> None:
        self.moved = dict(moved)
        self._specs: dict[str, importlib.machinery.ModuleSpec | None] = {}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.moved:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        new = self.moved[spec.name]
        warnings.warn(
            f"{spec.name} moved to {new}; import {new} instead "
            "(the old path will be removed in the next release)",
            DeprecationWarning,
            stacklevel=2,
        )
        module = importlib.import_module(new)
        self._specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run; undo the import system's overwrite of ``__spec__``."""
        module.__spec__ = self._specs.pop(module.__spec__.name, module.__spec__)


def install(moved: Mapping[str, str]) -> None:
    """Answer imports of the old paths in ``moved`` (old name -> new name)."""
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.append(_Alias(moved))
