"""Compact string columns: corpus text held in one UTF-8 buffer, not as Python objects.

A Python ``str`` costs about 49 bytes of header plus one to four bytes per
character, and hundreds of thousands of them scattered through the heap keep
the memory freed between them from being returned or reused. The long-lived
text of a corpus (article bodies, sentences, unit ids) is therefore collected
block by block: Python strings live only until about a mebibyte of them is
pending, then the block is encoded as UTF-8 into its own anonymous memory map
and released. :meth:`StringBlocks.to_array` copies the blocks, one at a time,
into a single contiguous buffer (unmapping each block once copied, so the text
is never held twice) and returns it as pandas' default ``str`` dtype: an Arrow
``large_string`` column with one chunk.

Memory maps are used instead of ``malloc`` so that a finished buffer goes back
to the operating system when it is freed, whatever the allocator's thresholds.
One chunk (not one per block) matters because pandas gathers rows of a chunked
Arrow column (``take``, ``iloc`` with positions, sorting) by first
concatenating every chunk.
"""

from __future__ import annotations

import ctypes
import functools
import mmap
import sys
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = ["STR_DTYPE", "StringBlocks", "release_free_memory", "repeated_array"]

#: pandas 3's default string dtype (``"str"``): Arrow storage, ``NaN`` for missing.
STR_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)

# About one MiB of characters, or 16,384 strings, per block: large enough that
# per-block overhead is negligible, small enough that the pending Python strings
# stay small (a short string such as a unit id costs some 60 bytes of object).
_BLOCK_CHARS = 1 << 20
_BLOCK_STRINGS = 1 << 14


def _utf8(text: str) -> tuple[bytes, bool]:
    """UTF-8 bytes of ``text``, and whether unpaired surrogates became U+FFFD."""
    try:
        return text.encode("utf-8"), False
    except UnicodeEncodeError:
        fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return fixed.encode("utf-8"), True


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # the process's own C library; glibc only
    except (OSError, AttributeError, TypeError):
        return None


def release_free_memory() -> None:
    """Return the C heap's free pages to the operating system (glibc; else a no-op).

    CPython frees large strings with ``free()``, and glibc keeps freed pages
    resident until the top of the heap is free, so text processed in a loop
    leaves a high-water mark behind; ``malloc_trim(0)`` releases those pages.
    Arrow's memory pool (mimalloc) likewise keeps freed pages for reuse until
    ``release_unused()``. Neither changes any live object.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()


def _anonymous_map(size: int) -> mmap.mmap:
    """Zero-filled private memory of ``size`` bytes (pages are touched only when written)."""
    if hasattr(mmap, "MAP_PRIVATE"):  # POSIX: private, as malloc's own large blocks
        return mmap.mmap(-1, max(size, 1), flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    return mmap.mmap(-1, max(size, 1))


class StringBlocks:
    """Append-only store of strings, kept as UTF-8 blocks of about 1 MiB.

    Attributes
    ----------
    replaced : list of int
        Indices of the strings that held surrogate code points (possible from JSON
        ``\\ud800``-style escapes; UTF-8 cannot store them): a lone surrogate is
        stored as U+FFFD, a pair split into two code points is joined.

    Examples
    --------
    >>> store = StringBlocks()
    >>> store.append("Talks stalled."), store.append("Envoys left.")
    (0, 1)
    >>> store.to_array().tolist()
    ['Talks stalled.', 'Envoys left.']
    """

    def __init__(self, block_chars: int = _BLOCK_CHARS) -> None:
        self._block_chars = block_chars
        self._pending: list[str] = []
        self._pending_chars = 0
        self._blocks: list[tuple[mmap.mmap, int]] = []
        self._lengths: list[np.ndarray] = []
        self._n = 0
        self.replaced: list[int] = []

    def __len__(self) -> int:
        return self._n

    @property
    def n_replaced(self) -> int:
        """How many stored strings held surrogate code points (see ``replaced``)."""
        return len(self.replaced)

    def append(self, value: str) -> int:
        """Store ``value`` and return its 0-based index."""
        self._pending.append(value)
        self._pending_chars += len(value)
        self._n += 1
        if self._pending_chars >= self._block_chars or len(self._pending) >= _BLOCK_STRINGS:
            self._flush()
        return self._n - 1

    def extend(self, values: Iterable[str]) -> None:
        """Store every string of ``values`` in order."""
        for value in values:
            self.append(value)

    def _flush(self) -> None:
        pending = self._pending
        if not pending:
            return
        joined = "".join(pending)
        if joined.isascii():
            data = joined.encode("ascii")
            lengths = np.fromiter(map(len, pending), dtype=np.int64, count=len(pending))
        else:
            parts = []
            first = self._n - len(pending)
            for i, text in enumerate(pending):
                part, replaced = _utf8(text)
                if replaced:
                    self.replaced.append(first + i)
                parts.append(part)
            lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
            data = b"".join(parts)
            del parts
        del joined
        block = _anonymous_map(len(data))
        block.write(data)
        self._blocks.append((block, len(data)))
        self._lengths.append(lengths)
        self._pending = []
        self._pending_chars = 0
        release_free_memory()  # the block's Python strings were freed just now

    def to_array(
        self, take: Sequence[int] | np.ndarray | None = None
    ) -> pd.api.extensions.ExtensionArray:
        """Return the stored strings as one contiguous pandas ``str`` array.

        The store is empty afterwards.

        Parameters
        ----------
        take : sequence of int, optional
            Keep only these positions, in this order (this copies the kept text).
        """
        import pyarrow as pa

        self._flush()
        blocks, lengths, n = self._blocks, self._lengths, self._n
        self._blocks, self._lengths, self._n = [], [], 0
        offsets = np.zeros(n + 1, dtype=np.int64)
        start = 0
        while lengths:  # running sums block by block (no concatenated copy)
            block_lengths = lengths.pop(0)
            end = start + len(block_lengths)
            np.cumsum(block_lengths, out=offsets[start + 1 : end + 1])
            offsets[start + 1 : end + 1] += offsets[start]
            start = end
        data = _anonymous_map(int(offsets[-1]))
        pos = 0
        while blocks:
            block, size = blocks.pop(0)
            with memoryview(block) as view:
                data[pos : pos + size] = view[:size]
            block.close()
            pos += size
        column = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))
        if take is not None:
            indices = np.asarray(take, dtype=np.int64)
            if not np.array_equal(indices, np.arange(n)):
                column = column.take(pa.array(indices))
        return pd.array(pa.chunked_array([column], pa.large_string()), dtype=STR_DTYPE)

    def to_series(self, index: pd.Index | None = None) -> pd.Series:
        """Return the stored strings as a ``str`` Series (see :meth:`to_array`)."""
        return pd.Series(self.to_array(), index=index, copy=False)


def repeated_array(value: str, size: int) -> pd.api.extensions.ExtensionArray:
    """Return a ``str`` array holding ``value`` ``size`` times, in one buffer.

    Examples
    --------
    >>> repeated_array("sentence", 2).tolist()
    ['sentence', 'sentence']
    """
    import pyarrow as pa

    data, _ = _utf8(value)
    offsets = np.arange(size + 1, dtype=np.int64) * len(data)
    buffer = _anonymous_map(len(data) * size)
    if data and size:
        rows = np.frombuffer(buffer, dtype=np.uint8).reshape(size, len(data))
        rows[:] = np.frombuffer(data, dtype=np.uint8)
        del rows
    column = pa.LargeStringArray.from_buffers(size, pa.py_buffer(offsets), pa.py_buffer(buffer))
    return pd.array(pa.chunked_array([column], pa.large_string()), dtype=STR_DTYPE)
