"""Decode a file's bytes to text, and tell text files from binary ones.

Decoding (:func:`decode_bytes`): a byte-order mark selects UTF-8 or UTF-16; then
strict UTF-8; then Windows-1252 (cp1252); then Latin-1. Falling back to cp1252 or
Latin-1 is reported as a warning naming the file, because the guess may be wrong
for other legacy encodings (pass ``encoding=`` then). Files with NUL bytes or many
control characters in their first 8 KiB are binary and are not decoded.
"""

from __future__ import annotations

import codecs
import re

from framing.corpus.options import spell, spell_unset
from framing.corpus.problems import BinaryFile, FileProblem

__all__ = ["decode_bytes"]


_SNIFF = 8192
# Control bytes that never occur in text files (all C0 controls except \t \n \v \f \r
# and ESC).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_NEWLINES = re.compile(r"\r\n?")
_BOM16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# An optional UTF-8 byte-order mark, then only ASCII whitespace.
_BLANK_BYTES = re.compile(rb"(?:\xef\xbb\xbf)?\s*")
_CHUNK = 1 << 20


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    if not head:
        return False
    n_control = len(head) - len(head.translate(None, _CONTROL))
    return n_control / len(head) > 0.05


def _check_binary(data: bytes, name: str) -> None:
    if _looks_binary(data[:_SNIFF]):
        raise BinaryFile(
            "binary file",
            f"{name}: holds binary data (NUL or control bytes), not text; "
            "remove it from the corpus folder or convert it to text",
        )


def _first_decode_error(data: bytes, encoding: str) -> UnicodeDecodeError | None:
    """Return the first decoding error of ``data`` (offsets in the file), or None.

    Decodes 1 MiB at a time and discards the text, so a large file is never held
    decoded in full.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    for start in range(0, len(data), _CHUNK):
        state = decoder.getstate()[0]
        pending = len(state) if isinstance(state, bytes) else 0
        try:
            decoder.decode(view[start : start + _CHUNK], final=start + _CHUNK >= len(data))
        except UnicodeDecodeError as exc:
            base = start - pending
            return UnicodeDecodeError(
                exc.encoding, data, base + exc.start, base + exc.end, exc.reason
            )
    return None


def _fallback_warning(name: str, data: bytes, fallback: str) -> str:
    err = _first_decode_error(data, "utf-8")
    bad = f"byte 0x{data[err.start]:02x} at offset {err.start}" if err else "invalid bytes"
    return (
        f"{name}: not valid UTF-8 ({bad}); decoded as {fallback}. "
        f"Pass {spell('encoding', '...')} if the text looks wrong."
    )


def decode_bytes(data: bytes, *, name: str, encoding: str | None = None) -> tuple[str, str | None]:
    """Decode a file's bytes to text and normalise line endings to ``"\\n"``.

    Parameters
    ----------
    data : bytes
        The file content.
    name : str
        The file name used in messages.
    encoding : str, optional
        A Python codec name. ``None`` detects: BOM, UTF-8, cp1252, Latin-1.

    Returns
    -------
    text : str
        Decoded text, without a byte-order mark, with ``\\n`` line endings.
    warning : str or None
        A message naming the file when a fallback encoding was used.

    Raises
    ------
    BinaryFile
        If the data looks binary (NUL bytes or >5 % control bytes in the first 8 KiB).
    FileProblem
        If ``encoding`` is given and the data is not valid in it.

    Examples
    --------
    >>> decode_bytes("caf\\u00e9\\r\\n".encode("cp1252"), name="a.txt")
    ('café\\n', "a.txt: not valid UTF-8 (byte 0xe9 at offset 3); decoded as cp1252. Pass encoding='...' if the text looks wrong.")
    """  # noqa: E501
    warning = None
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise FileProblem(
                "undecodable",
                f"{name}: cannot decode with {spell('encoding', encoding)} ({exc}); "
                f"pass the file's real encoding or {spell_unset('encoding')} to detect it",
            ) from exc
        text = text.removeprefix("\ufeff")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileProblem("undecodable", f"{name}: broken UTF-16 ({exc})") from exc
    else:
        _check_binary(data, name)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            for fallback in ("cp1252", "latin-1"):
                try:
                    text = data.decode(fallback)
                except UnicodeDecodeError:
                    continue
                warning = _fallback_warning(name, data, fallback)
                break
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    return text, warning
