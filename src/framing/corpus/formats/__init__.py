"""Readers of the corpus file formats: each returns plain records, never a table row.

Problems come back as :class:`framing.corpus.problems.RecordProblem` values (one
record) or :class:`framing.corpus.problems.FileProblem` exceptions (a whole file).
"""

from framing.corpus.formats.html import read_html_article
from framing.corpus.formats.structured import join_text, read_json_records, read_jsonl_records
from framing.corpus.formats.tables import read_table

__all__ = [
    "join_text",
    "read_html_article",
    "read_json_records",
    "read_jsonl_records",
    "read_table",
]
