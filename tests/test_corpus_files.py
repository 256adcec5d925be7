"""One walker: the reader, the run's input hash and framing init see the same files."""

from pathlib import Path

import pytest

from framing.corpus import get_load_report, load_corpus
from framing.corpus.files import (
    FORMATS,
    corpus_files,
    discover_files,
    input_files,
    skip_reason,
)
from framing.run.runner import _hash_inputs

ARTICLE = "Negotiators met in Geneva on Monday and agreed to talk again next week.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "nyt").mkdir()
    (tmp_path / "nyt" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE.replace("Monday", "Tuesday"), encoding="utf-8")
    (tmp_path / "README.md").write_text("# my corpus\n", encoding="utf-8")
    (tmp_path / "LICENSE.txt").write_text("CC-BY\n", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,outlet\nb.txt,Guardian\n", encoding="utf-8")
    return tmp_path


def test_the_reader_reads_exactly_corpus_files(folder):
    articles = load_corpus(folder, outlet_default="x")
    read = sorted(articles["source_path"])
    assert read == [p.relative_to(folder).as_posix() for p in corpus_files(folder)]
    report = get_load_report(articles)
    skipped = {s.source: s.reason for s in report.skipped}
    assert skipped == {"LICENSE.txt": "documentation file", "notes.docx": "unsupported format"}
    listed = [p.relative_to(folder).as_posix() for p in discover_files(folder)]
    assert ".hidden.txt" not in listed and "README.md" in listed


def test_input_files_are_the_articles_and_the_manifest(folder):
    names = [p.relative_to(folder).as_posix() for p in input_files(folder)]
    assert names == ["b.txt", "manifest.csv", "nyt/a.txt"]
    assert skip_reason(folder / "README.md", folder) == "own file"
    assert set(FORMATS) >= {p.suffix for p in corpus_files(folder)}


def test_editing_docs_or_unread_files_keeps_the_input_hash(folder):
    before = _hash_inputs(folder)
    (folder / "README.md").write_text("# my corpus, now documented\n", encoding="utf-8")
    (folder / "LICENSE.txt").write_text("CC-BY-SA\n", encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 changed")
    (folder / "CHANGELOG").write_text("v2\n", encoding="utf-8")
    assert _hash_inputs(folder) == before


@pytest.mark.parametrize("name", ["nyt/a.txt", "manifest.csv"])
def test_editing_an_input_changes_the_hash(folder, name):
    before = _hash_inputs(folder)
    (folder / name).write_text((folder / name).read_text() + "\n", encoding="utf-8")
    assert _hash_inputs(folder) != before


def test_a_single_file_is_its_own_input(folder):
    assert corpus_files(folder / "b.txt") == [folder / "b.txt"]
    assert [h["path"] for h in _hash_inputs(folder / "b.txt")] == ["b.txt"]


def test_init_lists_the_files_the_reader_reads(folder, tmp_path_factory):
    from framing.run.cli import main

    project = tmp_path_factory.mktemp("project")
    assert main(["init", str(project), "--corpus", str(folder), "--force"]) == 0
    rows = (project / "manifest.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert sorted(r.split(",")[0] for r in rows) == ["b.txt", "nyt/a.txt"]
