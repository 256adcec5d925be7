"""Stage 1, the corpus: find, read, decode and clean files into the ``articles`` table.

The public entry point is :func:`load_corpus` (module :mod:`framing.corpus.load`).
The modules, in the order a file meets them:

- :mod:`~framing.corpus.files`: the one walker of a corpus folder, the format list;
- :mod:`~framing.corpus.decoding`: bytes to text;
- :mod:`~framing.corpus.formats`: one reader per format;
- :mod:`~framing.corpus.options`: the 19 corpus options, declared once;
- :mod:`~framing.corpus.manifest`: the per-file metadata manifest;
- :mod:`~framing.corpus.reader`: records and skips from files;
- :mod:`~framing.corpus.clean`: site chrome removed, with an audit;
- :mod:`~framing.corpus.dates`: publication dates;
- :mod:`~framing.corpus.outlets`: outlet names and alias maps;
- :mod:`~framing.corpus.dedup`: duplicate flags;
- :mod:`~framing.corpus.load`: the ``articles`` table;
- :mod:`~framing.corpus.report`: the load report and the summary.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> module that defines it (imported on first use: `import framing.corpus`
# and its light modules, such as options and files, stay cheap to import)
_NAMES = {
    "BinaryFile": "framing.corpus.problems",
    "CorpusError": "framing.corpus.problems",
    "CorpusReader": "framing.corpus.reader",
    "CorpusWarning": "framing.corpus.problems",
    "DEFAULT_FIELDS": "framing.corpus.options",
    "FORMATS": "framing.corpus.files",
    "FileProblem": "framing.corpus.problems",
    "LoadOptions": "framing.corpus.options",
    "LoadReport": "framing.corpus.report",
    "MANIFEST_COLUMNS": "framing.corpus.manifest",
    "Record": "framing.corpus.fields",
    "RecordProblem": "framing.corpus.problems",
    "Skip": "framing.corpus.problems",
    "add_mapping_arguments": "framing.corpus.options",
    "decode_bytes": "framing.corpus.decoding",
    "discover_files": "framing.corpus.files",
    "format_summary": "framing.corpus.report",
    "get_load_report": "framing.corpus.report",
    "is_documentation_file": "framing.corpus.files",
    "join_text": "framing.corpus.formats",
    "load_corpus": "framing.corpus.load",
    "load_outlet_aliases": "framing.corpus.outlets",
    "mapping_from_args": "framing.corpus.options",
    "normalise_outlets": "framing.corpus.outlets",
    "outlet_key": "framing.corpus.outlets",
    "read_html_article": "framing.corpus.formats",
    "read_json_records": "framing.corpus.formats",
    "read_jsonl_records": "framing.corpus.formats",
    "read_table": "framing.corpus.formats",
    "removed_lines": "framing.corpus.report",
    "summarize_corpus": "framing.corpus.report",
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        value = getattr(importlib.import_module(_NAMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'framing.corpus' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
