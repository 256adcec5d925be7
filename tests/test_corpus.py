"""load_corpus: formats, mapping options, manifest, outlets, bad input, load report."""

from __future__ import annotations

import argparse
import copy
import json
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

import framing
from framing.corpus import (
    MANIFEST_COLUMNS,
    CorpusError,
    CorpusWarning,
    LoadReport,
    add_mapping_arguments,
    decode_bytes,
    format_summary,
    get_load_report,
    join_text,
    load_corpus,
    load_outlet_aliases,
    mapping_from_args,
    normalise_outlets,
    outlet_key,
    removed_lines,
    summarize_corpus,
)
from framing.schema import ARTICLE_COLUMNS, validate_articles

ROOT = Path(__file__).resolve().parents[1]
BODY_A = (
    "Negotiators met in Geneva on Tuesday to discuss a ceasefire. The talks ended "
    "without agreement after six hours of discussion."
)
BODY_B = (
    "Farmers in the south said the drought had cut their harvest by half. Officials "
    "promised emergency aid before the winter."
)
BODY_C = (
    "The central bank raised interest rates for the third time this year and cited "
    "stubborn inflation in services and housing."
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def quiet_load(source, **kw) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return load_corpus(source, **kw)


def reconciles(articles: pd.DataFrame) -> LoadReport:
    report = get_load_report(articles)
    assert report.items_seen == report.articles_loaded + report.n_skipped
    assert report.articles_loaded == len(articles)
    return report


# ----------------------------------------------------------------------------- formats


def test_csv_with_mapped_columns_keeps_metadata_unchanged(tmp_path):
    frame = pd.DataFrame(
        {
            "headline": ["Talks stall", "Drought bites"],
            "body": [BODY_A, BODY_B],
            "site": ["Daily", "Weekly"],
            "when": ["2022/05/10", "15 May 2025"],
            "section": ["world", "rural"],
            "wordcount": [21, 19],
        }
    )
    frame.to_csv(tmp_path / "news.csv", index=False)
    arts = load_corpus(
        tmp_path / "news.csv", text="body", title="headline", outlet="site", published="when"
    )
    validate_articles(arts)
    assert list(arts.columns[: len(ARTICLE_COLUMNS)]) == list(ARTICLE_COLUMNS)
    assert arts["article_id"].tolist() == ["news:1", "news:2"]
    assert arts["source_path"].tolist() == ["news.csv#row1", "news.csv#row2"]
    assert arts["outlet"].tolist() == ["Daily", "Weekly"]
    assert arts["title"].tolist() == ["Talks stall", "Drought bites"]
    assert arts["published"].tolist() == [pd.Timestamp("2022-05-10"), pd.Timestamp("2025-05-15")]
    assert arts["published"].dtype == "datetime64[ns]"
    assert arts["text"].tolist() == [BODY_A, BODY_B]
    assert arts["n_words"].tolist() == [len(BODY_A.split()), len(BODY_B.split())]
    # extra metadata passes through unchanged; mapped columns are consumed
    assert arts["section"].tolist() == ["world", "rural"]
    assert arts["wordcount"].tolist() == [21, 19]
    assert "body" not in arts and "headline" not in arts
    assert arts["n_removed_lines"].tolist() == [0, 0]  # structured records: not cleaned
    reconciles(arts)


def test_default_field_names_are_found_without_mapping(tmp_path):
    records = [
        {"title": "T1", "content": BODY_A, "date": "2024-03-05", "link": "https://x.org/1"},
        {"title": "T2", "content": BODY_B, "date": "2024-03-06", "link": "https://x.org/2"},
    ]
    write(tmp_path / "feed.json", json.dumps(records))
    arts = load_corpus(tmp_path / "feed.json")
    assert arts["text"].tolist() == [BODY_A, BODY_B]
    assert arts["url"].tolist() == ["https://x.org/1", "https://x.org/2"]
    assert arts["published"].dt.day.tolist() == [5, 6]
    assert arts["article_id"].tolist() == ["feed:1", "feed:2"]
    assert arts["source_path"].tolist() == ["feed.json#row1", "feed.json#row2"]


def test_single_json_object_is_one_article_with_the_file_stem_as_id(tmp_path):
    write(tmp_path / "c" / "a1.json", json.dumps({"body": BODY_A, "source": "Daily"}))
    arts = load_corpus(tmp_path / "c")
    assert arts["article_id"].tolist() == ["a1"]
    assert arts["source_path"].tolist() == ["a1.json"]
    assert arts["outlet"].tolist() == ["Daily"]


def test_nested_lists_and_dotted_keys(tmp_path):
    record = {
        "paragraphs": [["First sentence.", "Second sentence."], ["Third one."]],
        "source": {"id": None, "name": "Wire"},
        "authors": ["Ann Lee", "Bo Chen"],
    }
    write(tmp_path / "n.json", json.dumps(record))
    arts = load_corpus(tmp_path / "n.json", text="paragraphs", outlet="source.name")
    assert arts.loc[0, "text"] == "First sentence. Second sentence.\n\nThird one."
    assert arts.loc[0, "outlet"] == "Wire"
    assert arts.loc[0, "author"] == "Ann Lee; Bo Chen"
    assert arts.loc[0, "source"] == {"id": None, "name": "Wire"}  # passed through


def test_jsonl_ids_and_source_paths_use_line_numbers(tmp_path):
    lines = [json.dumps({"text": BODY_A}), "", json.dumps({"text": BODY_B})]
    write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    arts = load_corpus(tmp_path / "feed.jsonl")
    assert arts["article_id"].tolist() == ["feed:1", "feed:3"]
    assert arts["source_path"].tolist() == ["feed.jsonl#L1", "feed.jsonl#L3"]
    assert get_load_report(arts).items_seen == 2  # blank lines are not items


def test_tsv_and_parquet(tmp_path):
    frame = pd.DataFrame({"ID": ["007", "008"], "text": [BODY_A, BODY_B], "score": [0.5, 1.5]})
    frame.to_csv(tmp_path / "a.tsv", sep="\t", index=False)
    frame.to_parquet(tmp_path / "b.parquet")
    tsv = load_corpus(tmp_path / "a.tsv", id="ID")
    parquet = load_corpus(tmp_path / "b.parquet", id="ID")
    assert tsv["article_id"].tolist() == ["007", "008"]  # ids keep their zeros
    assert parquet["article_id"].tolist() == ["007", "008"]
    assert tsv["score"].tolist() == parquet["score"].tolist() == [0.5, 1.5]


def test_html_page_is_extracted_offline(tmp_path):
    html = f"""<!DOCTYPE html><html><head><title>Talks stall | Example News</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://example.org/news/talks"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Talks stall</h1><p>{BODY_A}</p><p>{BODY_B}</p><p>Share this article</p></article>
<footer>Subscribe to our newsletter</footer></body></html>"""
    write(tmp_path / "page.html", html)
    arts = load_corpus(tmp_path / "page.html", clean=False)
    row = arts.iloc[0]
    assert row["title"] == "Talks stall"
    assert row["author"] == "Jane Doe"
    assert row["url"] == "https://example.org/news/talks"
    assert row["published"] == pd.Timestamp("2024-03-05")
    assert row["outlet"] == "Example News"
    assert row["text"].split("\n\n") == [BODY_A, BODY_B, "Share this article"]
    assert "Subscribe" not in row["text"] and "Home" not in row["text"]
    # by default the extracted text is cleaned too, and the removal audited
    cleaned = load_corpus(tmp_path / "page.html")
    assert cleaned.loc[0, "text"].split("\n\n") == [BODY_A, BODY_B]
    assert removed_lines(cleaned)[["reason", "text"]].values.tolist() == [
        ["share_prompt", "Share this article"]
    ]


def test_txt_page_is_cleaned_and_audited(tmp_path):
    page = "\n".join(
        [
            "Home » World » Europe",
            "",
            "Ceasefire Talks Stall in Geneva",
            "",
            "By Jane Doe",
            "",
            BODY_A,
            "",
            BODY_B,
            "",
            "Leave a Comment",
            "",
            "Share this article",
        ]
    )
    write(tmp_path / "c" / "talks.txt", page)
    arts = load_corpus(tmp_path / "c")
    row = arts.iloc[0]
    assert row["title"] == "Ceasefire Talks Stall in Geneva"
    assert row["author"] == "Jane Doe"
    assert BODY_A in row["text"] and BODY_B in row["text"]
    assert "Leave a Comment" not in row["text"]
    audit = removed_lines(arts, "talks")
    assert list(audit.columns) == ["article_id", "line_no", "reason", "text"]
    assert row["n_removed_lines"] == len(audit) > 0
    assert "Leave a Comment" in audit["text"].tolist()
    # line numbers point at the file as read
    lines = page.split("\n")
    pairs = zip(audit["line_no"], audit["text"], strict=True)
    assert all(lines[n - 1].strip() == t.strip() for n, t in pairs)


def test_clean_false_keeps_a_txt_file_verbatim(tmp_path):
    write(tmp_path / "plain.txt", "Share this article\n\n" + BODY_A + "\n")
    arts = load_corpus(tmp_path / "plain.txt", clean=False)
    assert arts.loc[0, "text"] == "Share this article\n\n" + BODY_A
    assert arts.loc[0, "n_removed_lines"] == 0


def test_clean_true_cleans_structured_records(tmp_path):
    write(tmp_path / "a.jsonl", json.dumps({"text": BODY_A + "\n\nLeave a Comment"}) + "\n")
    arts = load_corpus(tmp_path / "a.jsonl", clean=True)
    assert arts.loc[0, "text"] == BODY_A
    assert removed_lines(arts)["text"].tolist() == ["Leave a Comment"]


# ----------------------------------------------------------------------- ids are stable


def test_article_ids_come_from_paths_not_row_order(tmp_path):
    write(tmp_path / "c" / "nyt" / "b.txt", BODY_B)
    write(tmp_path / "c" / "nyt" / "a.txt", BODY_A)
    first = quiet_load(tmp_path / "c", clean=False)
    assert first["article_id"].tolist() == ["nyt/a", "nyt/b"]
    # adding a file (sorting before the others) does not change existing ids
    write(tmp_path / "c" / "aaa" / "z.txt", BODY_C)
    second = quiet_load(tmp_path / "c", clean=False)
    got = dict(zip(second["article_id"], second["text"], strict=True))
    assert got["nyt/a"] == BODY_A and got["nyt/b"] == BODY_B
    assert set(second["article_id"]) == {"aaa/z", "nyt/a", "nyt/b"}


def test_mapped_id_column_wins(tmp_path):
    write(tmp_path / "a.jsonl", json.dumps({"uid": 12, "text": BODY_A}) + "\n")
    arts = load_corpus(tmp_path / "a.jsonl", id="uid")
    assert arts["article_id"].tolist() == ["12"]


# ------------------------------------------------------------------------------ outlets


def test_outlet_from_folder_and_folder_column(tmp_path):
    write(tmp_path / "c" / "nyt" / "a.txt", BODY_A)
    write(tmp_path / "c" / "guardian" / "b.txt", BODY_B)
    arts = quiet_load(tmp_path / "c", outlet_from="folder", clean=False)
    assert dict(zip(arts["article_id"], arts["outlet"], strict=True)) == {
        "guardian/b": "guardian",
        "nyt/a": "nyt",
    }
    # folders as a category label, one outlet for all
    cats = quiet_load(tmp_path / "c", folder_column="desk", outlet_default="Wire", clean=False)
    assert cats["outlet"].tolist() == ["Wire", "Wire"]
    assert cats["desk"].tolist() == ["guardian", "nyt"]


def test_outlet_from_filename_with_pattern(tmp_path):
    pd.DataFrame({"text": [BODY_A]}).to_csv(tmp_path / "NYT_Russia_Ukraine.csv", index=False)
    pd.DataFrame({"text": [BODY_B]}).to_csv(tmp_path / "guardian.csv", index=False)
    plain = load_corpus(tmp_path, outlet_from="filename")
    assert plain["outlet"].tolist() == ["NYT_Russia_Ukraine", "guardian"]
    with pytest.warns(CorpusWarning, match="does not match the file name 'guardian'"):
        pattern = load_corpus(tmp_path, outlet_pattern=r"^([A-Za-z]+)_")
    assert pattern["outlet"].tolist() == ["NYT", ""]


def test_outlet_aliases_merge_spellings(tmp_path):
    frame = pd.DataFrame(
        {
            "text": [BODY_A, BODY_B, BODY_C, BODY_A + " More."],
            "source": ["thehuffingtonpost", "The Huffington Post", " rt ", "Vox"],
        }
    )
    frame.to_csv(tmp_path / "m.csv", index=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        arts = load_corpus(
            tmp_path / "m.csv",
            outlet="source",
            outlet_aliases={"HuffPost": ["thehuffingtonpost"], "rt": "RT"},
        )
    # a partial alias map is the normal case: no warning that 'Vox' stays as it is
    assert not [w for w in caught if "alias" in str(w.message)]
    assert arts["outlet"].tolist() == ["HuffPost", "HuffPost", "RT", "Vox"]
    # the names before mapping (whitespace collapsed) are kept
    assert arts["outlet_original"].tolist() == [
        "thehuffingtonpost",
        "The Huffington Post",
        "rt",
        "Vox",
    ]


def test_alias_files_yaml_and_csv(tmp_path):
    write(tmp_path / "a.yaml", "name: test\nversion: 1\naliases:\n  HuffPost: [huffpost, hpo]\n")
    write(tmp_path / "a.csv", "alias,outlet\nhpo,HuffPost\nfox,Fox News\n")
    yaml_map = load_outlet_aliases(tmp_path / "a.yaml")
    csv_map = load_outlet_aliases(tmp_path / "a.csv")
    assert yaml_map == {"huffpost": "HuffPost", "hpo": "HuffPost"}
    assert csv_map["hpo"] == "HuffPost" and csv_map["foxnews"] == "Fox News"
    with pytest.raises(CorpusError, match="maps to both"):
        load_outlet_aliases({"A": ["x"], "B": ["X"]})
    write(tmp_path / "bad.csv", "from,to\na,b\n")
    with pytest.raises(CorpusError, match=r"'alias' and 'outlet'.*\['from', 'to'\]"):
        load_outlet_aliases(tmp_path / "bad.csv")


def test_lookalike_outlets_without_alias_map_are_kept_apart_and_reported():
    names, messages = normalise_outlets(["CNN", "cnn", "Fox"])
    assert names == ["CNN", "cnn", "Fox"]
    assert len(messages) == 1 and "['CNN', 'cnn']" in messages[0]
    assert outlet_key("  The  Guardian!") == "theguardian"


# ----------------------------------------------------------------------------- manifest


def test_manifest_fills_and_overrides_fields(tmp_path):
    write(tmp_path / "c" / "a.txt", BODY_A)
    write(tmp_path / "c" / "sub" / "b.txt", BODY_B)
    write(
        tmp_path / "c" / "manifest.csv",
        "file,outlet,published,title,author,url,language,section\n"
        "a.txt,Daily,2025-05-15,Talks,Ann Lee,https://d.org/a,en,world\n"
        "sub/b.txt,Weekly,,,,,,\n",
    )
    arts = load_corpus(tmp_path / "c", clean=False)
    a, b = arts.iloc[0], arts.iloc[1]
    assert (a["outlet"], a["title"], a["author"], a["url"]) == (
        "Daily",
        "Talks",
        "Ann Lee",
        "https://d.org/a",
    )
    assert a["published"] == pd.Timestamp("2025-05-15")
    assert a["language"] == "en" and a["section"] == "world"
    assert b["outlet"] == "Weekly" and pd.isna(b["published"]) and b["language"] == ""
    report = reconciles(arts)
    assert report.items_seen == 2  # the manifest itself is not an item


def test_manifest_row_whose_file_is_missing_is_reported(tmp_path):
    write(tmp_path / "c" / "a.txt", BODY_A)
    write(tmp_path / "c" / "manifest.csv", "file,outlet\na.txt,Daily\ngone.txt,Daily\n")
    with pytest.warns(CorpusWarning, match=r"line 3: file 'gone.txt' is listed but does not"):
        arts = load_corpus(tmp_path / "c", clean=False)
    report = reconciles(arts)
    assert [(s.source, s.reason) for s in report.skipped] == [
        ("gone.txt", "manifest file missing")
    ]
    assert report.items_seen == 2


def test_manifest_errors_name_the_problem(tmp_path):
    write(tmp_path / "c" / "a.txt", BODY_A)
    write(tmp_path / "c" / "manifest.csv", "path,outlet\na.txt,Daily\n")
    with pytest.raises(CorpusError, match=r"needs a 'file' column.*\['path', 'outlet'\]"):
        load_corpus(tmp_path / "c")
    write(tmp_path / "c" / "manifest.csv", "file,outlet\na.txt,Daily\na.txt,Other\n")
    with pytest.raises(CorpusError, match=r"line 3: file 'a\.txt' is listed twice"):
        load_corpus(tmp_path / "c")
    # manifest=False ignores it
    assert quiet_load(tmp_path / "c", manifest=False, clean=False)["outlet"].tolist() == [""]


# ---------------------------------------------------------------------------- bad input


def test_empty_and_whitespace_only_files_are_skipped_with_reasons(tmp_path):
    write(tmp_path / "c" / "ok.txt", BODY_A)
    write(tmp_path / "c" / "empty.txt", b"")
    write(tmp_path / "c" / "blank.txt", "  \n\t\n   \n")
    write(tmp_path / "c" / "empty.jsonl", b"")
    with pytest.warns(CorpusWarning, match="skipped 3"):
        arts = load_corpus(tmp_path / "c", clean=False)
    report = reconciles(arts)
    assert arts["article_id"].tolist() == ["ok"]
    assert {(s.source, s.reason) for s in report.skipped} == {
        ("empty.txt", "empty file"),
        ("empty.jsonl", "empty file"),
        ("blank.txt", "whitespace-only file"),
    }
    assert report.items_seen == 4


def test_binary_file_with_text_extension_is_skipped(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4
    write(tmp_path / "c" / "photo.txt", png)
    write(tmp_path / "c" / "ok.txt", BODY_A)
    arts = quiet_load(tmp_path / "c", errors="raise", clean=False)
    report = reconciles(arts)
    assert [(s.source, s.reason) for s in report.skipped] == [("photo.txt", "binary file")]
    assert "binary data" in report.skipped[0].detail


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1252", "Caf\u00e9 owners said \u201cprices\u201d rose by \u20ac5 \u2013 again."),
        ("latin-1", "Caf\u00e9 owners in M\u00fcnchen paid \u00a35 more, se\u00f1or."),
    ],
)
def test_legacy_encodings_are_decoded_with_a_warning_naming_the_file(tmp_path, encoding, text):
    write(tmp_path / "c" / "legacy.txt", text.encode(encoding))
    with pytest.warns(CorpusWarning, match=r"legacy\.txt: not valid UTF-8.*decoded as cp1252"):
        arts = load_corpus(tmp_path / "c", clean=False)
    assert arts.loc[0, "text"] == text
    assert any("legacy.txt" in w for w in get_load_report(arts).warnings)
    # an explicit encoding is used as given, without a warning
    with warnings.catch_warnings():
        warnings.simplefilter("error", CorpusWarning)
        again = load_corpus(tmp_path / "c", clean=False, encoding=encoding, outlet_default="x")
    assert again.loc[0, "text"] == text


def test_utf8_bom_and_crlf_are_normalised(tmp_path):
    body = f"{BODY_A}\r\n\r\n{BODY_B}\r\n"
    write(tmp_path / "c" / "bom.txt", b"\xef\xbb\xbf" + body.encode("utf-8"))
    write(tmp_path / "c" / "bom.csv", b"\xef\xbb\xbftext,site\r\n" + b'"A\r\nB",x\r\n')
    with warnings.catch_warnings():
        warnings.simplefilter("error", CorpusWarning)
        txt = load_corpus(tmp_path / "c" / "bom.txt", clean=False, outlet_default="x")
        csv = load_corpus(tmp_path / "c" / "bom.csv", outlet="site")
    assert txt.loc[0, "text"] == f"{BODY_A}\n\n{BODY_B}"
    assert "\r" not in txt.loc[0, "text"] and not txt.loc[0, "text"].startswith("\ufeff")
    assert csv.loc[0, "text"] == "A\nB" and csv.loc[0, "outlet"] == "x"
    assert "\ufefftext" not in csv.columns


def test_decode_bytes_utf16_and_explicit_bad_encoding():
    text, warning = decode_bytes("Hello".encode("utf-16"), name="u.txt")
    assert (text, warning) == ("Hello", None)
    with pytest.raises(Exception, match=r"u\.txt: cannot decode with encoding='ascii'"):
        decode_bytes("caf\u00e9".encode(), name="u.txt", encoding="ascii")


def test_legacy_csv_is_parsed_from_bytes_with_a_warning_naming_the_offset(tmp_path):
    filler = "".join(f"{BODY_A} {i},x\n" for i in range(10_000))  # > 1 MiB of ASCII rows
    data = ("text,site\n" + filler + "Caf\u00e9 \u201cprices\u201d rose.,y\n").encode("cp1252")
    offset = data.index(b"\xe9")
    assert offset > 2**20
    write(tmp_path / "c" / "legacy.csv", data)
    message = rf"legacy\.csv: not valid UTF-8 \(byte 0xe9 at offset {offset}\); decoded as cp1252"
    with pytest.warns(CorpusWarning, match=message):
        arts = load_corpus(tmp_path / "c" / "legacy.csv", outlet="site", clean=False)
    assert len(arts) == 10_001
    assert arts["text"].iloc[-1] == "Caf\u00e9 \u201cprices\u201d rose."
    assert arts["outlet"].iloc[-1] == "y"
    # a byte cp1252 leaves undefined (0x81) makes the retry fall through to Latin-1
    write(tmp_path / "c" / "legacy.csv", b"text,site\nCaf\xe9 \x81 no.,x\n")
    with pytest.warns(CorpusWarning, match=r"offset 13\); decoded as latin-1"):
        arts = load_corpus(tmp_path / "c" / "legacy.csv", outlet="site", clean=False)
    assert arts.loc[0, "text"] == "Caf\u00e9 \x81 no."


def test_csv_with_explicit_encoding_utf16_crlf_and_blank_files(tmp_path):
    rows = "text,site,note\r\n" + f'"{BODY_A}\r\n\r\n{BODY_B}",Caf\u00e9,"a\rb"\r\n'
    write(tmp_path / "c" / "w.csv", rows.encode("cp1252"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", CorpusWarning)
        arts = load_corpus(tmp_path / "c" / "w.csv", outlet="site", encoding="cp1252")
    assert arts.loc[0, "text"] == f"{BODY_A}\n\n{BODY_B}"
    assert arts.loc[0, "outlet"] == "Caf\u00e9" and arts.loc[0, "note"] == "a\nb"
    with pytest.raises(CorpusError, match=r"w\.csv: cannot decode with encoding='ascii'"):
        load_corpus(tmp_path / "c" / "w.csv", outlet="site", encoding="ascii")
    with pytest.raises(CorpusError, match=r"w\.csv: cannot decode with encoding='nope'"):
        load_corpus(tmp_path / "c" / "w.csv", outlet="site", encoding="nope")
    write(tmp_path / "c" / "w.csv", rows.encode("utf-16"))  # BOM selects UTF-16
    with warnings.catch_warnings():
        warnings.simplefilter("error", CorpusWarning)
        again = load_corpus(tmp_path / "c" / "w.csv", outlet="site")
    assert again[["text", "outlet", "note"]].equals(arts[["text", "outlet", "note"]])
    write(tmp_path / "c" / "blank.csv", b"\xef\xbb\xbf \r\n\t\n")
    write(tmp_path / "c" / "nbsp.tsv", "\u00a0\n".encode())
    write(tmp_path / "c" / "image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    arts = quiet_load(tmp_path / "c", outlet="site")
    assert {(s.source, s.reason) for s in get_load_report(arts).skipped} == {
        ("blank.csv", "whitespace-only file"),
        ("nbsp.tsv", "whitespace-only file"),
        ("image.csv", "binary file"),
    }


def test_read_table_keeps_mapped_string_columns_as_python_objects():
    from framing.corpus import read_table

    raw = "id,text,score\n007,Emoji \U0001f600 text,1.5\n008,\u00e9t\u00e9,2\n".encode()
    table, problems = read_table(
        None, name="a.csv", fmt="csv", raw=raw, string_columns=("id", "text", "title")
    )
    assert problems == [] and list(table.columns) == ["id", "text", "score"]
    assert table["id"].dtype == object and table["text"].dtype == object
    assert table["id"].tolist() == ["007", "008"]
    assert table["text"].tolist() == ["Emoji \U0001f600 text", "\u00e9t\u00e9"]
    assert table["score"].tolist() == [1.5, 2.0]


def test_legacy_csv_with_a_malformed_row_is_skipped_and_reported(tmp_path):
    data = f"text,site\n{BODY_A} caf\u00e9,x\nsplit,row,extra\n{BODY_B},y\n".encode("cp1252")
    path = write(tmp_path / "a.csv", data)
    with pytest.raises(CorpusError, match=r"a\.csv: .*line 3"):
        quiet_load(path)
    with pytest.warns(CorpusWarning, match=r"a\.csv: not valid UTF-8"):
        arts = load_corpus(path, errors="skip", outlet="site")
    assert arts["text"].tolist() == [f"{BODY_A} caf\u00e9", BODY_B]
    skipped = reconciles(arts).skipped
    assert [s.reason for s in skipped] == ["malformed row"]
    assert "a.csv, line 3 (row 2): the row has 3 fields, the header has 2" in skipped[0].detail


def test_jsonl_with_a_malformed_line(tmp_path):
    lines = [
        json.dumps({"text": BODY_A}),
        '{"text": "unterminated',
        json.dumps({"text": BODY_B}),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    with pytest.raises(CorpusError, match=r"feed\.jsonl, line 2, column \d+: malformed JSON"):
        load_corpus(path)
    with pytest.warns(CorpusWarning, match="malformed JSON line"):
        arts = load_corpus(path, errors="skip")
    report = reconciles(arts)
    assert arts["article_id"].tolist() == ["feed:1", "feed:3"]
    assert [(s.source, s.reason) for s in report.skipped] == [
        ("feed.jsonl#L2", "malformed JSON line")
    ]
    assert "line 2" in report.skipped[0].detail


def test_malformed_json_file_names_line_and_column(tmp_path):
    path = write(tmp_path / "a.json", '[\n  {"text": "ok"},\n  {"text": oops}\n]')
    with pytest.raises(CorpusError, match=r"a\.json, line 3, column \d+: malformed JSON"):
        load_corpus(path)


def test_corrupt_parquet_and_non_object_json_items(tmp_path):
    write(tmp_path / "c" / "broken.parquet", b"PAR1 this is not really parquet")
    write(tmp_path / "c" / "list.json", json.dumps([{"text": BODY_A}, "just a string"]))
    with pytest.raises(CorpusError, match=r"broken\.parquet: "):
        load_corpus(tmp_path / "c")
    arts = quiet_load(tmp_path / "c", errors="skip")
    report = reconciles(arts)
    assert arts["article_id"].tolist() == ["list:1"]
    assert {(s.source, s.reason) for s in report.skipped} == {
        ("broken.parquet", "unreadable Parquet"),
        ("list.json#row2", "not an object"),
    }


def test_csv_without_the_mapped_text_column_lists_the_columns(tmp_path):
    path = write(tmp_path / "a.csv", "headline,articles\nT,Body text here.\n")
    with pytest.raises(CorpusError, match=r"no column 'body'.*\['headline', 'articles'\]"):
        load_corpus(path, text="body")
    with pytest.raises(CorpusError, match=r"default text columns.*\['headline', 'articles'\]"):
        load_corpus(path)
    write(tmp_path / "b.csv", f"body\n{BODY_A}\n")
    arts = quiet_load(tmp_path, text="body", errors="skip")
    assert arts["article_id"].tolist() == ["b:1"]
    assert [s.reason for s in get_load_report(arts).skipped] == ["missing text column"]


def test_csv_with_a_malformed_row(tmp_path):
    path = write(tmp_path / "a.csv", f"text,site\n{BODY_A},x\nsplit,row,extra\n{BODY_B},y\n")
    with pytest.raises(CorpusError, match=r"a\.csv: .*line 3"):
        load_corpus(path)
    arts = quiet_load(path, errors="skip")
    assert arts["text"].tolist() == [BODY_A, BODY_B]
    [skip] = reconciles(arts).skipped
    assert skip.reason == "malformed row" and skip.source == "a.csv#row2"
    assert skip.detail.startswith("a.csv, line 3 (row 2): ")
    # the rows keep the file's own numbering: row 2 was skipped, row 3 stays row 3
    assert arts["source_path"].tolist() == ["a.csv#row1", "a.csv#row3"]
    assert arts["article_id"].tolist() == ["a:1", "a:3"]


def test_duplicate_ids_raise_or_keep_the_first(tmp_path):
    write(tmp_path / "a.jsonl", json.dumps({"id": "x1", "text": BODY_A}) + "\n")
    write(tmp_path / "b.jsonl", json.dumps({"id": "x1", "text": BODY_B}) + "\n")
    with pytest.raises(CorpusError, match=r"'x1' repeats in \['a\.jsonl#L1', 'b\.jsonl#L1'\]"):
        load_corpus(tmp_path, id="id")
    with pytest.warns(CorpusWarning, match="duplicate id"):
        arts = load_corpus(tmp_path, id="id", errors="skip")
    report = reconciles(arts)
    assert arts["text"].tolist() == [BODY_A]
    assert [(s.source, s.reason) for s in report.skipped] == [("b.jsonl#L1", "duplicate id")]


def test_unparseable_date_is_nat_with_a_warning(tmp_path):
    path = write(
        tmp_path / "a.csv", f"text,date\n{BODY_A},2025-05-15\n{BODY_B},sometime last week\n"
    )
    with pytest.warns(CorpusWarning, match=r"a\.csv: 1 date\(s\) could not be parsed"):
        arts = load_corpus(path)
    assert arts.loc[0, "published"] == pd.Timestamp("2025-05-15")
    assert pd.isna(arts.loc[1, "published"])


def test_dayfirst(tmp_path):
    path = write(tmp_path / "a.csv", f"text,date\n{BODY_A},05/04/2022\n")
    assert load_corpus(path)["published"].iloc[0] == pd.Timestamp("2022-05-04")
    assert load_corpus(path, dayfirst=True)["published"].iloc[0] == pd.Timestamp("2022-04-05")


def test_timezones_are_converted_to_naive_utc(tmp_path):
    path = write(tmp_path / "a.csv", f"text,date\n{BODY_A},2025-05-15 10:30:00+02:00\n")
    assert load_corpus(path)["published"].iloc[0] == pd.Timestamp("2025-05-15 08:30:00")


def test_records_without_text_are_skipped(tmp_path):
    path = write(tmp_path / "a.csv", f"text,site\n{BODY_A},x\n,y\n")
    arts = quiet_load(path)
    report = reconciles(arts)
    assert [(s.source, s.reason) for s in report.skipped] == [("a.csv#row2", "empty text")]


def test_documentation_and_unsupported_files_are_reported(tmp_path):
    write(tmp_path / "c" / "README.md", "# my corpus")  # the corpus's own README: not an item
    write(tmp_path / "c" / "sub" / "README.TXT", "About this data")
    write(tmp_path / "c" / "notes.docx", b"PK\x03\x04")
    write(tmp_path / "c" / ".hidden.txt", BODY_B)
    write(tmp_path / "c" / "a.txt", BODY_A)
    arts = quiet_load(tmp_path / "c", clean=False)
    report = reconciles(arts)
    assert arts["article_id"].tolist() == ["a"]
    assert {(s.source, s.reason) for s in report.skipped} == {
        ("sub/README.TXT", "documentation file"),
        ("notes.docx", "unsupported format"),
    }


def test_metadata_colliding_with_schema_columns_is_renamed(tmp_path):
    path = write(tmp_path / "a.jsonl", json.dumps({"body": BODY_A, "text": "teaser"}) + "\n")
    with pytest.warns(CorpusWarning, match="kept as 'meta_text'"):
        arts = load_corpus(path, text="body")
    assert arts.loc[0, "text"] == BODY_A and arts.loc[0, "meta_text"] == "teaser"


def test_nothing_loadable_is_an_error_and_bad_options_are_rejected(tmp_path):
    write(tmp_path / "c" / "empty.txt", b"")
    with pytest.raises(CorpusError, match=r"no article could be loaded.*'empty file': 1"):
        load_corpus(tmp_path / "c")
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(CorpusError, match="outlet_from='site' is not valid"):
        load_corpus(tmp_path / "c", outlet_from="site")
    with pytest.raises(CorpusError, match="needs a group"):
        load_corpus(tmp_path / "c", outlet_pattern="^nyt")
    with pytest.raises(CorpusError, match="errors='ignore' is not valid"):
        load_corpus(tmp_path / "c", errors="ignore")


def test_a_50_mb_article_loads_in_linear_time(tmp_path):
    paragraph = " ".join([BODY_A, BODY_B, BODY_C]) + "\n\n"
    small = write(tmp_path / "small.jsonl", json.dumps({"text": paragraph * 2_000}) + "\n")
    n = 50 * 1024 * 1024 // len(paragraph) + 1
    big = write(tmp_path / "big.jsonl", json.dumps({"text": paragraph * n}) + "\n")
    assert big.stat().st_size > 50 * 1024 * 1024
    start = time.perf_counter()
    load_corpus(small)
    t_small = time.perf_counter() - start
    start = time.perf_counter()
    arts = load_corpus(big)
    t_big = time.perf_counter() - start
    assert arts.loc[0, "n_words"] == n * len(paragraph.split())
    # 100x the text must not take 100x^2 the time: allow generous slack for noise
    assert t_big < max(60.0, 300 * t_small), (t_small, t_big)


@pytest.mark.slow
def test_a_50_mb_scraped_page_is_cleaned_in_linear_time(tmp_path):
    paragraph = " ".join([BODY_A, BODY_B, BODY_C]) + "\n\n"
    page = "Home » World\n\nA Very Long Page\n\n{}Leave a Comment\n"
    write(tmp_path / "small" / "p.txt", page.format(paragraph * 2_000))
    n = 50 * 1024 * 1024 // len(paragraph) + 1
    write(tmp_path / "big" / "p.txt", page.format(paragraph * n))
    start = time.perf_counter()
    small = load_corpus(tmp_path / "small")
    t_small = time.perf_counter() - start
    start = time.perf_counter()
    big = load_corpus(tmp_path / "big")
    t_big = time.perf_counter() - start
    assert big.loc[0, "n_words"] == n * len(paragraph.split())
    assert small.loc[0, "title"] == big.loc[0, "title"] == "A Very Long Page"
    assert "Leave a Comment" not in big.loc[0, "text"][-100:]
    assert t_big < max(120.0, 300 * t_small), (t_small, t_big)


# ---------------------------------------------------------------------- duplicates


def test_duplicates_are_flagged_or_dropped_and_reported(tmp_path):
    write(tmp_path / "a.txt", BODY_A)
    write(tmp_path / "b.txt", BODY_A.upper())
    write(tmp_path / "c.txt", BODY_B)
    flagged = load_corpus(tmp_path, clean=False)
    assert flagged["duplicate_of"].tolist() == ["", "a", ""]
    assert flagged["duplicate_kind"].tolist() == ["", "exact", ""]
    assert summarize_corpus(flagged)["n_duplicates"] == 1
    with pytest.warns(CorpusWarning, match="duplicate article"):
        dropped = load_corpus(tmp_path, clean=False, drop_duplicates=True)
    report = reconciles(dropped)
    assert dropped["article_id"].tolist() == ["a", "c"]
    assert [(s.source, s.reason) for s in report.skipped] == [("b.txt", "duplicate article")]
    assert report.n_duplicates == 1


# ---------------------------------------------------------------- report and summary


def test_load_report_survives_pandas_operations_and_prints(tmp_path):
    write(tmp_path / "a.txt", BODY_A)
    write(tmp_path / "b.txt", b"")
    arts = quiet_load(tmp_path, clean=False)
    report = get_load_report(arts)
    subset = arts[arts["n_words"] > 0].merge(arts[["article_id"]], on="article_id")
    assert get_load_report(subset) is report
    pd.concat([arts, arts])  # must not fail comparing attrs
    text = str(report)
    assert "items seen:      2" in text and "empty file" in text and "b.txt" in text
    assert report.to_frame().to_dict("records") == [
        {"source": "b.txt", "reason": "empty file", "detail": "b.txt: the file is empty (0 bytes)"}
    ]
    with pytest.raises(CorpusError, match="no load report"):
        get_load_report(pd.DataFrame({"a": [1]}))


def test_loaded_table_saves_to_parquet_with_its_report_summary(tmp_path):
    write(tmp_path / "a.txt", BODY_A)
    write(tmp_path / "b.txt", b"")
    arts = quiet_load(tmp_path)
    report = get_load_report(arts)
    arts.to_parquet(tmp_path / "articles.parquet")  # pandas writes attrs as JSON
    back = pd.read_parquet(tmp_path / "articles.parquet")
    pd.testing.assert_frame_equal(back, arts)
    assert back.attrs["load_report"] == {
        "source": str(tmp_path),
        "items_seen": 2,
        "articles_loaded": 1,
        "n_skipped": 1,
        "skipped_by_reason": {"empty file": 1},
        "n_duplicates": 0,
        "n_removed_lines": len(report.removed_lines),
        "n_warnings": len(report.warnings),
    }
    assert back.attrs["dedup_report"]["n_articles"] == 1
    # the report itself compares by identity, as before it was a mapping
    twin = copy.copy(report)
    assert twin is report and report == report and report != dict(report)


def test_summarize_and_format(tmp_path):
    write(
        tmp_path / "a.csv",
        f"text,site,date\n{BODY_A},Daily,2025-05-15\n{BODY_B},Daily,2025-05-17\n"
        f"{BODY_C},Weekly,\n,Weekly,2025-01-01\n",
    )
    arts = quiet_load(tmp_path / "a.csv", outlet="site")
    summary = summarize_corpus(arts)
    json.dumps(summary)  # serialisable for manifest.json
    words = sorted(len(b.split()) for b in (BODY_A, BODY_B, BODY_C))
    assert summary["n_articles"] == 3
    assert summary["articles_per_outlet"] == {"Daily": 2, "Weekly": 1}
    assert summary["outlet_dates"] == {
        "Daily": ["2025-05-15", "2025-05-17"],
        "Weekly": [None, None],
    }
    assert (summary["date_min"], summary["date_max"], summary["n_undated"]) == (
        "2025-05-15",
        "2025-05-17",
        1,
    )
    assert summary["words"] == {
        "min": words[0],
        "median": float(words[1]),
        "max": words[2],
        "total": sum(words),
    }
    assert summary["items_seen"] == 4 and summary["skipped_by_reason"] == {"empty text": 1}
    text = format_summary(summary)
    for needle in ("(no dates)", "2025-05-15 to 2025-05-17", "empty text", "a.csv#row4"):
        assert needle in text


def test_cli_mapping_arguments_round_trip(tmp_path):
    parser = add_mapping_arguments(argparse.ArgumentParser())
    args = parser.parse_args(
        [
            "--text",
            "articles",
            "--title",
            "headlines",
            "--outlet-pattern",
            "^([A-Za-z]+)_",
            "--errors",
            "skip",
            "--no-clean",
            "--no-manifest",
            "--dayfirst",
        ]
    )
    assert mapping_from_args(args) == {
        "text": "articles",
        "title": "headlines",
        "outlet_pattern": "^([A-Za-z]+)_",
        "errors": "skip",
        "clean": False,
        "manifest": False,
        "dayfirst": True,
    }
    assert mapping_from_args(parser.parse_args([])) == {}
    # every option is a load_corpus keyword
    pd.DataFrame({"articles": [BODY_A], "headlines": ["T"]}).to_csv(
        tmp_path / "NYT_x.csv", index=False
    )
    arts = load_corpus(tmp_path / "NYT_x.csv", **mapping_from_args(args))
    assert arts.loc[0, "outlet"] == "NYT" and arts.loc[0, "title"] == "T"


def test_empty_strings_mean_unset_like_the_config_file(tmp_path):
    pd.DataFrame({"text": [BODY_A], "source": ["Daily"]}).to_csv(tmp_path / "a.csv", index=False)
    arts = load_corpus(
        tmp_path / "a.csv",
        text="",
        outlet="",
        outlet_from="",
        outlet_pattern="",
        outlet_aliases="",
        clean="auto",
        manifest="",
        encoding="",
        language="en",
    )
    assert arts.loc[0, "outlet"] == "Daily" and arts.loc[0, "language"] == "en"


def test_join_text():
    assert join_text(["a", "", ["b", "c"], None]) == "a\n\nb c"
    assert join_text(float("nan")) == ""
    assert join_text(3) == "3"


# ------------------------------------------------------------------- bundled corpus


def test_bundled_corpus_loads_with_its_manifest():
    arts = framing.load_corpus(ROOT / "corpus")
    report = reconciles(arts)
    assert report.n_skipped == 0 and report.items_seen == 2
    assert arts["article_id"].tolist() == ["000_5904578f6037d9dc", "004_a2aa02edca634915"]
    assert arts["outlet"].tolist() == ["outlet_000", "outlet_004"]
    assert arts["published"].iloc[0] == pd.Timestamp("2025-05-15")
    assert pd.isna(arts["published"].iloc[1])  # the page states no date
    assert arts["language"].tolist() == ["en", "en"]
    assert arts["title"].iloc[0].startswith("Diverging Perspectives Among Kyiv")
    assert arts["author"].iloc[1] == "James Carter"
    assert (arts["n_removed_lines"] > 0).all()
    assert len(report.removed_lines) == int(arts["n_removed_lines"].sum())


def test_bundled_manifest_has_the_documented_columns():
    manifest = pd.read_csv(ROOT / "corpus" / "manifest.csv", dtype=str, keep_default_na=False)
    assert tuple(manifest.columns) == MANIFEST_COLUMNS
    files = sorted(p.name for p in (ROOT / "corpus").glob("*.txt"))
    assert sorted(manifest["file"]) == files
    # nothing invented: no url, title or author the pages do not state
    assert (manifest[["title", "author", "url"]] == "").all().all()


def test_csv_rows_keep_their_numbers_across_row_slices(tmp_path):
    # tables are turned into records a slice of rows at a time; ids and row numbers
    # must run on across slices, and a skipped row must not shift the others
    n = 2_345
    lines = ["title,text,outlet"] + [
        f"T{i},{'' if i == 1_500 else f'Body of article {i}.'},o{i % 3}" for i in range(1, n + 1)
    ]
    (tmp_path / "big.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.warns(CorpusWarning):
        arts = load_corpus(tmp_path / "big.csv")
    assert len(arts) == n - 1
    row = arts.set_index("article_id")
    assert row.loc["big:1001", "text"] == "Body of article 1001."
    assert row.loc["big:2345", "source_path"] == "big.csv#row2345"
    assert row.loc["big:2345", "title"] == "T2345"
    assert "big:1500" not in row.index
    report = arts.attrs["load_report"]
    assert [s.source for s in report.skipped] == ["big.csv#row1500"]


def test_surrogates_in_any_field_are_repaired_and_counted_once(tmp_path):
    # JSON may escape half of a surrogate pair; UTF-8 (and Arrow) cannot store it
    lines = [
        {"id": "a1", "title": "bad \ud800 title", "text": "Body \udfff one.", "outlet": "x"},
        {"id": "a2", "title": "fine", "text": "Body two.", "outlet": "x \ud801"},
        {"id": "a2", "title": "dup", "text": "Body \ud802 dup.", "outlet": "x"},
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    with pytest.warns(CorpusWarning) as caught:
        arts = load_corpus(tmp_path / "c.jsonl", id="id", errors="skip")
    assert arts.title.tolist() == ["bad \ufffd title", "fine"]
    assert arts.text.tolist() == ["Body \ufffd one.", "Body two."]
    assert arts.outlet.tolist() == ["x", "x \ufffd"]
    # the skipped duplicate's text is not counted
    message = next(str(w.message) for w in caught if "surrogate" in str(w.message))
    assert message.startswith("3 value(s)")
    assert all(f"'{col}': 1" in message for col in ("title", "outlet", "text"))
