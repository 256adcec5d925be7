"""A partitioned Parquet store of the ``articles`` table, for corpora larger than memory.

:func:`build_store` loads a corpus folder the way :func:`framing.load_corpus` does
(the same reader, cleaning, dates, outlets, schema validation), but a group of files
at a time: each group becomes one Parquet partition of the ``articles`` table, so no
process ever holds more than one partition. :class:`CorpusStore` reads it back.

Partitions
    Files are taken in sorted path order (the order of :func:`load_corpus`) and cut
    into groups of at most ``partition_mb`` MB of input bytes (default
    :data:`DEFAULT_PARTITION_MB`: a worker holds about 4x the raw text while it loads
    and splits, issue 2's measurement, so 32 MB keeps one task near 200 MB). A file
    larger than the bound is a partition by itself. Concatenating the partitions in
    order gives the rows of :func:`load_corpus` in the same order.
Adding files
    ``store.json`` records every file's sha256, size and mtime. A re-build loads only
    new and changed files, into new partitions; a partition that held a changed or
    deleted file is rewritten from its own Parquet without that file's rows (its other
    files are not re-read). Changing a ``[corpus]`` option or the manifest rebuilds
    everything. Unchanged files are not even read to be hashed: a file whose size and
    mtime (ns) equal the recorded ones keeps its recorded sha256
    (:func:`framing.corpus.files.file_hashes`). So **a file rewritten with identical
    size and mtime is treated as unchanged**; to force a re-read, touch the file (a
    new mtime), pass ``rehash=True`` (``framing run --force`` does), or delete
    ``store.json``.
Report
    Every file's items seen, loaded and skipped are recorded, so the merged
    :class:`~framing.corpus.report.LoadReport` (:meth:`CorpusStore.report`) still
    reconciles: ``items_seen == articles_loaded + len(skipped)``.
Limits
    Near-duplicates (:func:`framing.corpus.dedup.flag_duplicates`) are flagged within
    a partition only. An article id repeated in two partitions is an error with
    ``errors="raise"``; with ``errors="skip"`` the later copy is skipped and reported
    ("duplicate id"), as :func:`load_corpus` does.

The in-memory :func:`load_corpus` stays the default for small corpora;
:func:`use_store` says when ``store = "auto"`` switches (:data:`AUTO_STORE_BYTES`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.corpus.checks import error_listing
from framing.corpus.dedup import flag_duplicates
from framing.corpus.files import _sha256, corpus_files, file_hashes
from framing.corpus.load import _resolve_duplicate_ids
from framing.corpus.options import LoadOptions, spell
from framing.corpus.problems import CorpusError, Skip
from framing.corpus.reader import CorpusReader
from framing.corpus.report import _REMOVED_COLUMNS, LoadReport
from framing.corpus.table import build_table, removed_table
from framing.export import atomic_write, atomic_write_text
from framing.schema import validate_articles

__all__ = [
    "AUTO_STORE_BYTES",
    "DEFAULT_PARTITION_MB",
    "CorpusStore",
    "build_store",
    "plan_partitions",
    "use_store",
]

#: Input bytes above which ``store = "auto"`` uses the partitioned store: at about 4x
#: the raw text in memory (issue 2), 1 GiB of files needs about 4 GiB of RAM, half of
#: a common 8 GiB laptop.
AUTO_STORE_BYTES = 1 << 30
#: Default partition size in MB of input files (see the module docstring).
DEFAULT_PARTITION_MB = 32
_STORE_VERSION = 1
Mapper = Callable[[Callable[..., Any], list[tuple[Any, ...]]], list[Any]]


def use_store(store: str, source: Path, engine: str = "local") -> bool:
    """Say whether a run uses the partitioned store.

    ``"partitioned"``, or ``"auto"`` above :data:`AUTO_STORE_BYTES` of corpus files
    or with ``engine = "dask"``.
    """
    if store == "memory":
        return False
    if store == "partitioned" or engine == "dask":
        return True
    return sum(p.stat().st_size for p in corpus_files(source)) > AUTO_STORE_BYTES


def plan_partitions(sizes: Sequence[tuple[str, int]], max_bytes: int) -> list[list[str]]:
    """Cut ``(path, bytes)`` (in order) into consecutive groups of at most ``max_bytes``.

    Examples
    --------
    >>> plan_partitions([("a", 5), ("b", 5), ("c", 20), ("d", 1)], 10)
    [['a', 'b'], ['c'], ['d']]
    """
    groups: list[list[str]] = []
    current: list[str] = []
    total = 0
    for path, size in sizes:
        if current and total + size > max_bytes:
            groups.append(current)
            current, total = [], 0
        current.append(path)
        total += size
    if current:
        groups.append(current)
    return groups


def _file_of(source: str) -> str:
    return source.split("#", 1)[0]


def _skip_dict(skip: Skip) -> dict[str, str]:
    return {k: str(v) for k, v in asdict(skip).items()}


# --------------------------------------------------------------------------- one partition
def load_partition(
    root: str,
    files: list[str],
    mapping: dict[str, Any],
    out: str,
    shas: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Load ``files`` (relative to the corpus folder ``root``) into one partition.

    Writes ``out`` (articles) and ``out`` with suffix ``.removed.parquet`` (the
    cleaning audit); returns the per-file counts, skips and warnings. Runs on a
    worker: everything it needs is in its arguments. ``shas`` are the files' sha256
    when the caller has them (else they are computed here).
    """
    base = Path(root)
    opts = LoadOptions(**mapping)
    reader = CorpusReader(base, opts, files=[])
    manifest_skips = list(reader.skipped)  # manifest rows naming missing files
    reader.skipped.clear()
    reader.items_seen = 0
    reader.files = [base / f for f in files]
    reader.run()
    records, id_errors = _resolve_duplicate_ids(reader)
    if reader.errors or id_errors:
        raise error_listing(base, reader.errors + id_errors)
    stats: dict[str, dict[str, Any]] = {
        f: {"loaded": 0, "skipped": [], "sha256": (shas or {}).get(f) or _sha256(base / f)}
        for f in files
    }
    n = 0
    if records:
        table, messages = build_table(records, reader.texts, opts, bool(reader.manifest))
        reader.warnings += messages
        validate_articles(table)
        table = flag_duplicates(table, drop=False)
        table.attrs = {}
        if opts.drop_duplicates:
            dup = table["duplicate_of"] != ""
            for aid, src, of in zip(
                table.loc[dup, "article_id"],
                table.loc[dup, "source_path"],
                table.loc[dup, "duplicate_of"],
                strict=True,
            ):
                reader.skipped.append(
                    Skip(src, "duplicate article", f"{src} ({aid}): duplicate of {of}")
                )
            table = table.loc[~dup].reset_index(drop=True)
            records = [r for r in records if r.article_id in set(table["article_id"])]
        for f, count in table["source_path"].map(_file_of).value_counts().items():
            stats[str(f)]["loaded"] = int(count)
        n = len(table)
        atomic_write(out, lambda p: table.to_parquet(p, index=False))
        removed = removed_table(records)
        atomic_write(_removed_path(out), lambda p: removed.to_parquet(p, index=False))
    for skip in reader.skipped:
        stats.setdefault(_file_of(skip.source), {"loaded": 0, "skipped": [], "sha256": ""})[
            "skipped"
        ].append(_skip_dict(skip))
    receipt = {
        "articles": n,
        "files": stats,
        "warnings": list(reader.warnings),
        "manifest_skips": [_skip_dict(s) for s in manifest_skips],
    }
    if out:  # written last: a partition with a receipt is finished
        atomic_write_text(f"{out}.json", json.dumps(receipt))
    return receipt


def _removed_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.stem + ".removed.parquet")


def _sequential(func: Callable[..., Any], args: list[tuple[Any, ...]]) -> list[Any]:
    return [func(*a) for a in args]


# --------------------------------------------------------------------------- the store
class CorpusStore:
    """A partitioned ``articles`` table on disk (see the module docstring).

    Attributes
    ----------
    folder : Path
        The store folder (``store.json``, ``articles/``).
    partitions : list of dict
        In order: ``id``, ``path`` (relative to ``folder``), ``articles`` and
        ``files`` (path -> sha256, loaded, skipped).
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        meta_path = self.folder / "store.json"
        if not meta_path.is_file():
            raise CorpusError(f"{self.folder} is not a corpus store (no store.json)")
        self.meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
        self.partitions: list[dict[str, Any]] = self.meta["partitions"]

    def path(self, pid: str) -> Path:
        """Return the Parquet file of partition ``pid``."""
        return self.folder / "articles" / f"{pid}.parquet"

    def read(self, pid: str, columns: list[str] | None = None) -> pd.DataFrame:
        """Read partition ``pid`` (ids skipped as duplicates of earlier ones left out)."""
        part = next(p for p in self.partitions if p["id"] == pid)
        if not part["articles"]:
            return pd.DataFrame(columns=columns or ["article_id", "outlet", "text"])
        table = pd.read_parquet(self.path(pid), columns=columns)
        dropped = part.get("dropped_ids") or []
        if dropped and "article_id" in table:
            table = table[~table["article_id"].isin(dropped)].reset_index(drop=True)
        return table

    def read_all(self, columns: list[str] | None = None) -> pd.DataFrame:
        """Concatenate every partition (only for corpora that fit in memory)."""
        parts = [self.read(p["id"], columns) for p in self.partitions if p["articles"]]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def removed_path(self, pid: str) -> Path:
        """Return the cleaning-audit Parquet file of partition ``pid``."""
        return _removed_path(self.path(pid))

    def removed_lines(self) -> pd.DataFrame:
        """Return the cleaning audit of every partition."""
        parts = [
            pd.read_parquet(_removed_path(self.path(p["id"])))
            for p in self.partitions
            if p["articles"] and _removed_path(self.path(p["id"])).exists()
        ]
        return (
            pd.concat(parts, ignore_index=True)
            if parts
            else pd.DataFrame(columns=_REMOVED_COLUMNS)
        )

    def report(self, removed: bool = True) -> LoadReport:
        """Return the load report merged over partitions (``items_seen = loaded + skipped``).

        ``removed=False`` leaves out the cleaning audit (:meth:`removed_lines`), whose
        size grows with the corpus; the partitioned engine reads it per partition.
        """
        skipped = [Skip(**s) for s in self.meta.get("manifest_skips", [])]
        loaded = 0
        for part in self.partitions:
            for stats in part["files"].values():
                skipped += [Skip(**s) for s in stats["skipped"]]
            loaded += part["articles"] - len(part.get("dropped_ids") or [])
            skipped += [Skip(**s) for s in part.get("dropped_skips", [])]
        report = LoadReport(
            source=self.meta["source"],
            items_seen=loaded + len(skipped),
            articles_loaded=loaded,
            skipped=skipped,
            warnings=[w for p in self.partitions for w in p.get("warnings", [])],
            **({"removed_lines": self.removed_lines()} if removed else {}),
        )
        return report


def _options_key(mapping: dict[str, Any], source: Path) -> str:
    manifest = source / "manifest.csv"
    payload = {
        "version": _STORE_VERSION,
        "mapping": {k: str(v) for k, v in sorted(mapping.items())},
        "manifest": _sha256(manifest) if manifest.is_file() else "",
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def _partition_id(files: dict[str, Any], key: str) -> str:
    text = key + json.dumps(sorted((f, s["sha256"]) for f, s in files.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def build_store(
    source: str | Path,
    folder: str | Path,
    *,
    partition_mb: float = DEFAULT_PARTITION_MB,
    mapper: Mapper | None = None,
    log: Callable[[str], None] | None = None,
    rehash: bool = False,
    **mapping: Any,
) -> CorpusStore:
    """Load (or update) the partitioned store of the corpus folder ``source``.

    Parameters
    ----------
    source : str or Path
        A corpus folder (a single file is one partition).
    folder : str or Path
        The store folder; created if missing. Reused partitions stay untouched.
    partition_mb : float, default=32
        Upper bound of input MB per partition (:data:`DEFAULT_PARTITION_MB`).
    mapper : callable, optional
        ``mapper(func, [args, ...]) -> [result, ...]`` runs the partition loads
        (the Dask engine passes one that submits them to the cluster); default:
        one after another in this process.
    log : callable, optional
        Receives progress lines.
    rehash : bool, default=False
        Read and hash every file again instead of trusting the recorded size and
        mtime of unchanged ones (see the module docstring).
    **mapping
        The options of :func:`framing.load_corpus` (``text=``, ``errors=``...).

    Returns
    -------
    CorpusStore

    Raises
    ------
    CorpusError
        As :func:`load_corpus`: a missing source, a malformed item with
        ``errors="raise"``, an article id repeated across partitions (with
        ``errors="raise"``), or no article at all.
    """
    source = Path(source)
    if not source.exists():
        raise CorpusError(f"corpus path {source} does not exist; pass a folder or a file")
    root = source if source.is_dir() else source.parent
    folder = Path(folder)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    key = _options_key(mapping, root)
    old: dict[str, Any] = {}
    if (folder / "store.json").is_file():
        old = json.loads((folder / "store.json").read_text(encoding="utf-8"))
        if old.get("key") != key:
            old = {}
    files = corpus_files(source)
    current = {p.relative_to(root).as_posix(): p for p in files}
    known = {f: s for part in old.get("partitions", []) for f, s in part["files"].items()}
    stats = file_hashes(current, known, rehash=rehash)
    shas = {rel: found["sha256"] for rel, found in stats.items()}
    kept: list[dict[str, Any]] = []
    known: set[str] = set()
    for part in old.get("partitions", []):
        good = {
            f: s for f, s in part["files"].items() if shas.get(f) == s["sha256"] and s["sha256"]
        }
        if not good:
            continue
        if len(good) < len(part["files"]):
            part = _shrink(folder, part, good, key)
        kept.append(part)
        known.update(good)
    todo = [(rel, current[rel].stat().st_size) for rel in current if rel not in known]
    groups = plan_partitions(todo, int(partition_mb * 1024 * 1024))
    args, parts = [], []
    for group in groups:
        pid = _partition_id({f: {"sha256": shas[f]} for f in group}, key)
        out = folder / "articles" / f"{pid}.parquet"
        receipt = Path(f"{out}.json")
        if receipt.is_file():  # loaded by an earlier, interrupted build
            parts.append((pid, json.loads(receipt.read_text(encoding="utf-8"))))
        else:
            parts.append((pid, None))
            args.append((str(root), group, mapping, str(out), {f: shas[f] for f in group}))
    if log and groups:
        log(
            f"store: {len(todo)} new or changed file(s) in {len(groups)} partition(s), "
            f"{len(groups) - len(args)} already loaded"
        )
    results = iter((mapper or _sequential)(load_partition, args))
    manifest_skips = old.get("manifest_skips", [])
    for pid, res in parts:
        res = res if res is not None else next(results)
        manifest_skips = res["manifest_skips"]
        part = {"files": res["files"], "articles": res["articles"], "warnings": res["warnings"]}
        part["id"] = pid
        kept.append(part)
    for part in kept:  # the stat fingerprints of this build, for the next one
        for f, found in part["files"].items():
            if f in stats and found.get("sha256") == stats[f]["sha256"]:
                found["bytes"], found["mtime_ns"] = stats[f]["bytes"], stats[f]["mtime_ns"]
    if not old and not groups:
        manifest_skips = load_partition(str(root), [], mapping, "")["manifest_skips"]
    meta = {
        "version": _STORE_VERSION,
        "key": key,
        "source": str(source),
        "partition_mb": partition_mb,
        "manifest_skips": manifest_skips,
        "partitions": kept,
    }
    _check_ids(folder, meta, LoadOptions(**mapping).errors)
    atomic_write_text(folder / "store.json", json.dumps(meta, indent=1))
    live = {p["id"] for p in kept}
    for stale in (folder / "articles").glob("*"):
        if stale.name.split(".")[0] not in live:
            stale.unlink(missing_ok=True)
    store = CorpusStore(folder)
    if not any(p["articles"] for p in store.partitions):
        report = store.report()
        raise CorpusError(
            f"no article could be loaded from {source}: {report.items_seen} item(s) seen. "
            f"Check the path, the format and the {spell('text', '<column>')} mapping."
        )
    return store


def _shrink(folder: Path, part: dict[str, Any], good: dict[str, Any], key: str) -> dict[str, Any]:
    """Rewrite a partition without the rows of files that changed or disappeared."""
    new = {"files": good, "warnings": part.get("warnings", [])}
    new["id"] = _partition_id(good, key)
    old_path = folder / "articles" / f"{part['id']}.parquet"
    if part["articles"] and old_path.exists():
        table = pd.read_parquet(old_path)
        table = table[table["source_path"].map(_file_of).isin(good)].reset_index(drop=True)
        new["articles"] = len(table)
        target = folder / "articles" / f"{new['id']}.parquet"
        atomic_write(target, lambda p: table.to_parquet(p, index=False))
        removed = pd.read_parquet(_removed_path(old_path))
        removed = removed[removed["article_id"].isin(table["article_id"])]
        atomic_write(_removed_path(target), lambda p: removed.to_parquet(p, index=False))
    else:
        new["articles"] = 0
    return new


def _check_ids(folder: Path, meta: dict[str, Any], errors: str) -> None:
    """Report an article id found in two partitions: an error, or a skip (``errors="skip"``).

    The ids are compared as 64-bit hashes (:func:`pandas.util.hash_array`), 8 bytes
    per article, so the driver does not hold every id as a string; the rows whose
    hash repeats are then compared by their ids, so a hash collision is never taken
    for a repeat. Within a partition ids are unique (:func:`load_partition`).
    """
    parts = [p for p in meta["partitions"] if p["articles"]]
    for part in meta["partitions"]:
        part.pop("dropped_ids", None)
        part.pop("dropped_skips", None)

    def ids_of(part: dict[str, Any]) -> pd.DataFrame:
        path = folder / "articles" / f"{part['id']}.parquet"
        return pd.read_parquet(path, columns=["article_id", "source_path"])

    hashes = [pd.util.hash_array(ids_of(p)["article_id"].astype(str).to_numpy()) for p in parts]
    every = np.concatenate(hashes) if hashes else np.empty(0, dtype=np.uint64)
    values, counts = np.unique(every, return_counts=True)
    shared = values[counts > 1]
    del every, values, counts
    first: dict[str, str] = {}
    repeats: list[str] = []
    for part, h in zip(parts, hashes, strict=True):
        hit = np.isin(h, shared)
        if not hit.any():
            continue
        ids = ids_of(part)[hit]
        dropped = []
        for aid, src in zip(ids["article_id"], ids["source_path"], strict=True):
            if aid in first:
                repeats.append(f"article id {aid!r} repeats in {[first[aid], src]}")
                dropped.append((aid, src))
            else:
                first[aid] = src
        if dropped:
            part["dropped_ids"] = [a for a, _ in dropped]
            part["dropped_skips"] = [
                _skip_dict(Skip(s, "duplicate id", f"{s}: article id {a!r} is already used"))
                for a, s in dropped
            ]
    if repeats and errors == "raise":
        hint = (
            f"ids must be unique: map a unique id column with {spell('id', '<column>')}, "
            f"or pass {spell('errors', 'skip')} to keep the first copy"
        )
        shown = "; ".join(repeats[:5]) + (
            f" (and {len(repeats) - 5} more)" if len(repeats) > 5 else ""
        )
        raise CorpusError(f"{shown}; {hint}")


def partition_ids(store: CorpusStore) -> Iterable[str]:
    """Return the ids of the partitions holding articles, in order."""
    return [p["id"] for p in store.partitions if p["articles"]]
