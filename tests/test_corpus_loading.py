"""Loading real files loses nothing and says so in the caller's syntax (issue 13)."""

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from framing.corpus import (
    CorpusError,
    CorpusWarning,
    format_summary,
    get_load_report,
    load_corpus,
    summarize_corpus,
)
from framing.run.cli import main
from framing.run.config import load_config

WORDS = "Negotiators met in Geneva on Tuesday to discuss a ceasefire without any agreement"


def body(i: int) -> str:
    return f"{WORDS} number {i}. " + " ".join(f"word{i}x{k}" for k in range(30))


def loaded(path, **kw) -> tuple[pd.DataFrame, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        arts = load_corpus(path, **kw)
    return arts, [str(w.message) for w in caught if issubclass(w.category, CorpusWarning)]


def reconciles(articles):
    report = get_load_report(articles)
    assert report.items_seen == report.articles_loaded + report.n_skipped
    return report


# ---------------------------------------------------------------- 3: init + --config
@pytest.fixture
def two_outlets(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(body(1), encoding="utf-8")
    (corpus / "b.txt").write_text(body(2), encoding="utf-8")
    (corpus / "manifest.csv").write_text(
        "file,outlet,published,desk\na.txt,Alpha,2022-05-01,world\nb.txt,Beta,,\n",
        encoding="utf-8",
    )
    return corpus


def test_init_starts_from_the_corpus_manifest(two_outlets, tmp_path, capsys):
    project = tmp_path / "study"
    assert main(["init", str(project), "--corpus", str(two_outlets)]) == 0
    manifest = pd.read_csv(project / "manifest.csv", dtype=str, keep_default_na=False)
    assert manifest["outlet"].tolist() == ["Alpha", "Beta"]
    assert manifest.loc[0, "desk"] == "world" and manifest.loc[0, "published"] == "2022-05-01"
    assert "2 row(s) kept" in capsys.readouterr().out
    cfg = load_config(project / "framing.toml")
    arts = load_corpus(cfg.corpus.path, **cfg.corpus.mapping())
    assert sorted(arts["outlet"]) == ["Alpha", "Beta"]


def test_corpus_command_reads_the_config(two_outlets, tmp_path, capsys):
    project = tmp_path / "study"
    main(["init", str(project), "--corpus", str(two_outlets)])
    manifest = project / "manifest.csv"
    manifest.write_text(manifest.read_text().replace("Beta", "Gamma"), encoding="utf-8")
    capsys.readouterr()
    assert main(["corpus", "--config", str(project / "framing.toml")]) == 0
    out = capsys.readouterr().out
    assert "Alpha" in out and "Gamma" in out and "Beta" not in out  # the project's manifest
    assert main(["corpus"]) == 2  # neither PATH nor --config


# ------------------------------------------------------------- 4: skips per outlet
def test_an_outlet_that_loses_every_row_is_named(tmp_path):
    rows = [{"outlet": "CNN", "title": f"t{i}", "text": body(i)} for i in range(4)]
    rows += [{"outlet": "Fox", "title": f"f{i}", "text": ""} for i in range(3)]
    pd.DataFrame(rows).to_csv(tmp_path / "h.csv", index=False)
    arts, messages = loaded(tmp_path / "h.csv")
    assert set(arts["outlet"]) == {"CNN"}
    assert any("outlet 'Fox': 3 of 3" in m and "missing from the table" in m for m in messages)
    report = reconciles(arts)
    assert report.skipped_by_outlet() == {"Fox": {"empty text": 3}}
    text = format_summary(summarize_corpus(arts))
    assert "Fox" in text and "[3 skipped: 3 empty text]" in text


@pytest.mark.parametrize(("n_empty", "warned"), [(1, True), (0, False)])
def test_an_outlet_losing_over_a_fifth_is_warned_about(tmp_path, n_empty, warned):
    rows = [{"outlet": "CNN", "text": body(i)} for i in range(3)]
    rows += [{"outlet": "CNN", "text": ""} for _ in range(n_empty)]
    rows += [{"outlet": "BBC", "text": body(10 + i)} for i in range(9)]
    rows += [{"outlet": "BBC", "text": ""}]  # 1 of 10: under 20 %
    pd.DataFrame(rows).to_csv(tmp_path / "h.csv", index=False)
    _, messages = loaded(tmp_path / "h.csv")
    assert (
        any("outlet 'CNN': 1 of 4 item(s) skipped" in m and "25%" in m for m in messages) == warned
    )
    assert not any("outlet 'BBC'" in m for m in messages)


# ---------------------------------------------------------------- 5: repeated ids
def test_repeats_in_an_unmapped_id_column_are_warned_about(tmp_path):
    rows = [{"ID": 7, "text": body(1)}, {"ID": 8, "text": body(2)}, {"ID": 7, "text": body(3)}]
    pd.DataFrame(rows).to_csv(tmp_path / "a.csv", index=False)
    arts, messages = loaded(tmp_path / "a.csv")
    assert len(arts) == 3  # nothing dropped
    [message] = [m for m in messages if "looks like an article id" in m]
    assert "'ID'" in message and "1 of its values repeat" in message and "id='ID'" in message
    _, clean = loaded(tmp_path / "a.csv", id="ID", errors="skip")
    assert not any("looks like an article id" in m for m in clean)


def test_unique_id_column_is_not_warned_about(tmp_path):
    rows = [{"article_id": i, "text": body(i)} for i in range(3)]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    _, messages = loaded(tmp_path / "a.jsonl")
    assert not any("looks like an article id" in m for m in messages)


# ------------------------------------------------------------ 6: column name case
def test_default_columns_match_ignoring_case(tmp_path):
    frame = pd.DataFrame(
        {
            "Title": ["Talks stall"],
            "BODY": [body(1)],
            "Date": ["2022-05-10"],
            "URL": ["https://x.org/a"],
            "Author": ["Jane Doe"],
            "Outlet": ["Daily"],
        }
    )
    frame.to_csv(tmp_path / "a.csv", index=False)
    arts = load_corpus(tmp_path / "a.csv")
    row = arts.iloc[0]
    assert row["text"] == body(1) and row["title"] == "Talks stall"
    assert row["published"] == pd.Timestamp("2022-05-10") and row["url"] == "https://x.org/a"
    assert row["author"] == "Jane Doe" and row["outlet"] == "Daily"
    assert not {"Title", "BODY", "Date", "URL", "Author"} & set(arts.columns)


def test_an_exact_default_column_wins_over_other_cases(tmp_path):
    pd.DataFrame({"Text": ["upper case"], "text": [body(1)]}).to_csv(
        tmp_path / "a.csv", index=False
    )
    arts = load_corpus(tmp_path / "a.csv", outlet_default="x")
    assert arts.loc[0, "text"] == body(1) and arts.loc[0, "Text"] == "upper case"


# -------------------------------------------------------------- 7: several texts
@pytest.mark.parametrize("spec", ["title,desc", ["title", "desc"]])
def test_several_text_columns_are_joined_in_order(tmp_path, spec):
    frame = pd.DataFrame({"title": ["Talks stall", "Only a title"], "desc": [body(1), None]})
    frame.to_csv(tmp_path / "a.csv", index=False)
    arts = load_corpus(tmp_path / "a.csv", text=spec, outlet_default="x")
    assert arts["text"].tolist() == [f"Talks stall\n\n{body(1)}", "Only a title"]
    assert arts["title"].tolist() == ["Talks stall", "Only a title"]  # still the title


def test_several_text_columns_from_the_command_line(tmp_path, capsys):
    pd.DataFrame({"title": ["Talks"], "desc": [body(1)]}).to_csv(tmp_path / "a.csv", index=False)
    assert main(["corpus", str(tmp_path / "a.csv"), "--text", "title,desc"]) == 0
    assert "Articles: 1" in capsys.readouterr().out


# --------------------------------------------------------- 8 + 9: all errors, once
@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    (tmp_path / "good.txt").write_text(body(1), encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"text": "x",', encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text(
        json.dumps({"text": body(2)}) + "\n{oops}\n" + json.dumps({"headline": "x"}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "table.csv").write_text("headline,summary\nA,B\n", encoding="utf-8")
    return tmp_path


def test_every_error_is_listed_in_one_pass(hostile):
    with pytest.raises(CorpusError) as info:
        load_corpus(hostile)
    message = str(info.value)
    assert message.startswith("4 problem(s) in ")
    for where in ("bad.json", "lines.jsonl, line 2", "lines.jsonl#L3", "table.csv"):
        assert where in message
    assert "pass errors='skip'" in message and "--errors" not in message
    arts = load_corpus(hostile, errors="skip", outlet_default="x")
    assert len(arts) == 2 and reconciles(arts).n_skipped == 4


def test_the_cli_lists_every_error_in_cli_syntax_and_exits_2(hostile, capsys):
    assert main(["corpus", str(hostile)]) == 2
    err = capsys.readouterr().err
    assert "4 problem(s)" in err and err.count("\n  ") >= 4
    assert "--errors skip" in err and "--text <column>" in err
    assert "errors='skip'" not in err and "text='" not in err


def test_python_hints_keep_keyword_syntax(tmp_path):
    (tmp_path / "a.csv").write_text("headline,summary\nA,B\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"Pass text='<column>'"):
        load_corpus(tmp_path / "a.csv")


# ------------------------------------------------ 10: one file per outlet, no column
def test_no_outlet_suggests_outlet_from_filename_with_names(tmp_path):
    for name in ("nyt", "guardian"):
        pd.DataFrame({"text": [body(1) + name, body(2) + name]}).to_csv(
            tmp_path / f"{name}.csv", index=False
        )
    _, messages = loaded(tmp_path)
    [message] = [m for m in messages if "no outlet" in m]
    assert "outlet_from='filename' would give the outlets 'guardian', 'nyt'" in message


# ------------------------------------------------------- 12: undated per outlet
def test_outlet_date_ranges_count_undated_articles(tmp_path):
    rows = [
        {"outlet": "A", "text": body(i), "date": "2016-06-05" if i == 0 else ""} for i in range(3)
    ]
    pd.DataFrame(rows).to_csv(tmp_path / "a.csv", index=False)
    summary = summarize_corpus(load_corpus(tmp_path / "a.csv"))
    assert summary["outlet_undated"] == {"A": 2}
    assert "2016-06-05 to 2016-06-05 (2 undated)" in format_summary(summary)


# ------------------------------------------ 16: a filled manifest outlet wins
def test_a_manifest_outlet_wins_over_the_file_name(tmp_path):
    (tmp_path / "NYT_a.txt").write_text(body(1), encoding="utf-8")
    (tmp_path / "NYT_b.txt").write_text(body(2), encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,outlet\nNYT_a.txt,New York Times\nNYT_b.txt,\n", encoding="utf-8"
    )
    for kw in ({"outlet_pattern": "^([A-Za-z]+)_"}, {"outlet_from": "filename"}):
        arts = load_corpus(tmp_path, **kw).sort_values("article_id")
        stem = "NYT" if "outlet_pattern" in kw else "NYT_b"
        assert arts["outlet"].tolist() == ["New York Times", stem]
    column_only = load_corpus(tmp_path, outlet_from="column", outlet_default="-")
    assert set(column_only["outlet"]) == {"-"}


# ------------------------------------------------------- 2: extreme articles
def test_extreme_articles_are_warned_about(tmp_path):
    (tmp_path / "huge.txt").write_text("word " * 100_001, encoding="utf-8")
    (tmp_path / "small.txt").write_text(body(1), encoding="utf-8")
    arts, messages = loaded(tmp_path, clean=False, outlet_default="x")
    assert len(arts) == 2
    [message] = [m for m in messages if "more than 100,000 words" in m]
    assert "huge (100,001 words)" in message and "small" not in message


def test_documentation_files_are_no_outlets_loss(tmp_path):
    pd.DataFrame({"text": [body(1)]}).to_csv(tmp_path / "NYT_a.csv", index=False)
    (tmp_path / "LICENSE_x.txt").write_text("CC-BY\n", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    arts, messages = loaded(tmp_path, outlet_pattern="^([A-Za-z]+)_")
    assert arts["outlet"].tolist() == ["NYT"]
    assert not [m for m in messages if m.startswith("outlet ")]
    assert get_load_report(arts).skipped_by_outlet() == {}


# ----------------------------------------------------- 11: framing outlets
def test_outlets_lists_spellings_and_writes_a_starter_alias_file(tmp_path, capsys):
    names = ["Fox Online News"] * 3 + ["Fox News Opinion", "Newsmax - News", "Newsmax"]
    names += ["www.msnbc.com", "msnbc.com", "msnbc.com", "CNN", "Fox Business"]
    frame = pd.DataFrame({"outlet": names, "text": [body(i) for i in range(len(names))]})
    frame.to_csv(tmp_path / "h.csv", index=False)
    target = tmp_path / "aliases.yaml"
    assert main(["outlets", str(tmp_path / "h.csv"), "--write", str(target)]) == 0
    out = capsys.readouterr().out
    assert "8 outlet spelling(s) in 11 articles" in out
    assert "Fox Online News <- Fox News Opinion" in out
    arts = load_corpus(tmp_path / "h.csv", outlet_aliases=target)
    assert arts["outlet"].value_counts().to_dict() == {
        "Fox Online News": 4,
        "msnbc.com": 3,
        "Newsmax": 2,
        "CNN": 1,
        "Fox Business": 1,
    }
    assert main(["outlets", str(tmp_path / "h.csv"), "--write", str(target)]) == 2  # kept


# ------------------------------------------------------ 13: tokenised text
def test_treebank_tokenised_text_is_warned_about(tmp_path):
    ptb = "The minister said : `` We do n't know yet . '' Talks , it 's said , stall ."
    rows = [{"outlet": "A", "text": ptb + f" Item {i} ."} for i in range(2)]
    rows += [{"outlet": "B", "text": body(1)}]
    pd.DataFrame(rows).to_csv(tmp_path / "a.csv", index=False)
    _, messages = loaded(tmp_path / "a.csv")
    [message] = [m for m in messages if "Penn-Treebank" in m]
    assert message.startswith("2 article(s)") and "A 2" in message and "B" not in message


def test_natural_text_is_not_taken_for_tokenised():
    from framing.corpus.checks import looks_tokenised

    text = "He said: \"We don't know.\" The talks, it's said, stall. (Reuters) - More."
    assert not looks_tokenised(text * 20)


# ------------------------------------------------- 14: line numbers of bad rows
def test_skip_reason_gives_the_line_of_a_malformed_row_after_multiline_values(tmp_path):
    data = 'text,site\n"two\nlines",x\nsplit,row,extra\n\n"ok",y\n'
    (tmp_path / "a.csv").write_text(data, encoding="utf-8")
    arts = load_corpus(tmp_path / "a.csv", errors="skip", outlet="site", clean=False)
    [skip] = reconciles(arts).skipped
    assert skip.detail.startswith("a.csv, line 4 (row 2): ")
    assert arts["source_path"].tolist() == ["a.csv#row1", "a.csv#row3"]


# ------------------------------------------- 17: structured bodies lose chrome lines
def test_structured_bodies_lose_chrome_lines_with_an_audit(tmp_path):
    text = f"{body(1)}\nReplay\n0:45\nShare this article\n\n{body(2)}\nAdvertisement"
    frame = pd.DataFrame({"outlet": ["CNN", "CNN"], "text": [text, body(3)]})
    frame.to_csv(tmp_path / "a.csv", index=False)
    arts = load_corpus(tmp_path / "a.csv")
    assert arts["text"].tolist() == [f"{body(1)}\n\n{body(2)}", body(3)]
    assert arts["n_removed_lines"].tolist() == [4, 0]
    from framing.corpus import removed_lines

    audit = removed_lines(arts)
    assert audit[["line_no", "reason", "text"]].values.tolist() == [
        [2, "video_player", "Replay"],
        [3, "video_player", "0:45"],
        [4, "share_prompt", "Share this article"],
        [7, "advertisement", "Advertisement"],
    ]
    kept = load_corpus(tmp_path / "a.csv", clean=False)
    assert kept["text"].tolist() == [text, body(3)] and kept["n_removed_lines"].sum() == 0


def test_the_line_cleaner_keeps_short_bodies_and_titles(tmp_path):
    frame = pd.DataFrame({"title": ["Talks stall"], "desc": ["Negotiators left Geneva."]})
    frame.to_csv(tmp_path / "h.csv", index=False)
    arts = load_corpus(tmp_path / "h.csv", text="title,desc", outlet_default="x")
    assert arts.loc[0, "text"] == "Talks stall\n\nNegotiators left Geneva."


def test_placeholder_ids_are_no_repeats(tmp_path):
    rows = [{"uuid": "empty", "text": body(i)} for i in range(3)]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    _, messages = loaded(tmp_path / "a.jsonl", outlet_default="x")
    assert not any("looks like an article id" in m for m in messages)


def test_skip_hint_names_the_config_the_command_was_given(tmp_path: Path) -> None:
    from framing.corpus import load_corpus
    from framing.corpus.options import cli_hints

    (tmp_path / "a.txt").write_text("Talks resumed in Geneva on Monday.\n", encoding="utf-8")
    (tmp_path / "LICENSE.txt").write_text("MIT License. Permission granted.\n", encoding="utf-8")
    for config, hint in [
        ("study/framing.toml", "`framing corpus --config study/framing.toml` lists them"),
        (None, f"`framing corpus {tmp_path}` lists them"),
    ]:
        with cli_hints(config), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            load_corpus(tmp_path)
        assert any(hint in str(w.message) for w in caught), [str(w.message) for w in caught]
    with warnings.catch_warnings(record=True) as caught:  # the Python API
        warnings.simplefilter("always")
        load_corpus(tmp_path)
    assert any("get_load_report" in str(w.message) for w in caught)
