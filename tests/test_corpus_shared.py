"""Real corpora no one here wrote (issue 2 §8), loaded through documented arguments only.

Each test is one ``load_corpus`` call with mapping arguments, no dataset-specific
code; the expected counts and date ranges come from each dataset's PROVENANCE.md.
Skipped when ``../shared/data`` is absent.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from framing.corpus import CorpusWarning, get_load_report, load_corpus, summarize_corpus
from framing.schema import validate_articles

pytestmark = pytest.mark.shared

TESTS = Path(__file__).resolve().parent
SHARED_DATA = TESTS.parents[1] / "shared" / "data"


def shared(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/data is not available here)")
    return path


def load(source: Path, **mapping) -> pd.DataFrame:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CorpusWarning)
        articles = load_corpus(source, **mapping)
    articles.attrs["caught"] = [str(w.message) for w in caught]
    validate_articles(articles)
    report = get_load_report(articles)
    assert report.items_seen == report.articles_loaded + report.n_skipped
    return articles


def date_range(articles: pd.DataFrame, outlet: str) -> tuple[str, str]:
    dates = articles.loc[articles["outlet"] == outlet, "published"]
    return dates.min().date().isoformat(), dates.max().date().isoformat()


def test_basil_json_three_outlets():
    # PROVENANCE: 300 articles = 100 triplets x {nyt, fox, hpo}, 2010-2019 (30 a year);
    # 12 files spell the outlet code in upper case; the body is a list of paragraphs,
    # each a list of sentences.
    articles = load(
        shared("basil", "articles"),
        text="body-paragraphs",
        outlet="source",
        outlet_aliases={"New York Times": ["nyt"], "Fox News": ["fox"], "HuffPost": ["hpo"]},
    )
    assert len(articles) == 300
    assert articles["outlet"].value_counts().to_dict() == {
        "New York Times": 100,
        "Fox News": 100,
        "HuffPost": 100,
    }
    assert sorted(set(articles["outlet_original"])) == ["FOX", "HPO", "NYT", "fox", "hpo", "nyt"]
    assert articles.groupby(articles["published"].dt.year).size().tolist() == [30] * 10
    assert articles["published"].min() >= pd.Timestamp("2010-01-01")
    assert articles["published"].max() < pd.Timestamp("2020-01-01")
    # every triplet has one article per outlet (metadata passed through unchanged)
    per_triplet = articles.groupby("triplet-uuid")["outlet"].nunique()
    assert len(per_triplet) == 100 and (per_triplet == 3).all()
    # sentences were joined into paragraphs, paragraphs separated by blank lines
    assert (articles["text"].str.count("\n\n") > 0).all()
    assert articles["article_id"].str.match(r"^20(1\d)/[0-9a-f-]+_[123]$").all()
    # n_words agrees with the dataset's own `word-count` field (present in 271 files)
    ratio = (articles["n_words"] / articles["word-count"]).dropna()
    assert len(ratio) == 271 and ratio.median() == pytest.approx(1.0, abs=0.01)


def test_ukraine_two_csvs_outlet_from_file_name():
    # PROVENANCE: NYT 219 rows 2022/05/10-2022/07/31 (YYYY/MM/DD); Guardian 188 rows
    # 2022-02-24-2022-08-06 (ISO with Z); fields published, headlines, articles.
    articles = load(
        shared("ukraine-nyt-guardian-2022"),
        text="articles",
        title="headlines",
        outlet_pattern=r"^([A-Za-z]+)_",
        outlet_aliases={"The New York Times": ["NYT"], "The Guardian": ["Guardians"]},
    )
    assert articles["outlet"].value_counts().to_dict() == {
        "The New York Times": 219,
        "The Guardian": 188,
    }
    assert date_range(articles, "The New York Times") == ("2022-05-10", "2022-07-31")
    assert date_range(articles, "The Guardian") == ("2022-02-24", "2022-08-06")
    assert articles["published"].notna().all()
    assert (articles["title"] != "").all()
    report = get_load_report(articles)
    # the folder's README/LICENSE/PROVENANCE files are reported, not loaded
    assert report.skipped_by_reason() == {"documentation file": 3}
    assert articles["source_path"].str.match(r"^(NYT|Guardians)_Russia_Ukraine\.csv#row\d+$").all()
    # the Guardian file repeats 10 articles verbatim (found while building this loader)
    dups = articles[articles["duplicate_of"] != ""]
    assert len(dups) == 10 and set(dups["duplicate_kind"]) == {"exact"}
    assert set(dups["outlet"]) == {"The Guardian"}


def test_bbc_folders_are_a_category_not_an_outlet():
    # PROVENANCE: 2,225 articles, business 510, entertainment 386, politics 417,
    # sport 511, tech 401; one outlet, no dates; sport/199.txt has one Latin-1 byte;
    # 98 files are byte-duplicates of another file.
    articles = load(shared("bbc-news"), folder_column="category", outlet_default="BBC News")
    assert len(articles) == 2225
    assert articles["category"].value_counts().to_dict() == {
        "sport": 511,
        "business": 510,
        "politics": 417,
        "tech": 401,
        "entertainment": 386,
    }
    assert set(articles["outlet"]) == {"BBC News"}
    assert articles["published"].isna().all()
    report = get_load_report(articles)
    assert {s.source for s in report.skipped} == {"PROVENANCE.md", "bbc/README.TXT"}
    assert any("bbc/sport/199.txt" in w and "cp1252" in w for w in report.warnings)
    sport_199 = articles.set_index("article_id").loc["bbc/sport/199", "text"]
    assert "\u00a3" in sport_199 and "\ufffd" not in sport_199
    # line 1 of each file is the headline; the cleaner moves it to `title`
    first = articles.set_index("article_id").loc["bbc/business/001"]
    assert first["title"] == "Ad sales boost Time Warner profit"
    assert first["text"].startswith("Quarterly profits at US media giant TimeWarner")
    assert (articles["duplicate_kind"] == "exact").sum() >= 98
    summary = summarize_corpus(articles)
    assert summary["n_articles"] == 2225 and summary["date_min"] is None


def test_climate_tsv_with_messy_outlet_names():
    # PROVENANCE: 428 articles 2017-04-02..2019-12-24; `source` spells outlets two
    # ways; mbfc: left_bias 132, right_bias 114, left_center_bias 108,
    # questionable_source 74.
    articles = load(
        shared("narrative-frames-climate", "articles_metadata.tsv"),
        id="ID",
        outlet="source",
        outlet_aliases=TESTS / "data" / "outlet_aliases_climate.yaml",
    )
    assert len(articles) == 428
    assert articles["published"].min() == pd.Timestamp("2017-04-02")
    assert articles["published"].max() == pd.Timestamp("2019-12-24")
    assert articles["outlet"].nunique() == 36
    counts = articles["outlet"].value_counts()
    assert counts["HuffPost"] == 49 and counts["The Daily Caller"] == 41
    assert counts["Breitbart"] == 39 and counts["RT"] == 19
    assert articles["mbfc"].value_counts().to_dict() == {
        "left_bias": 132,
        "right_bias": 114,
        "left_center_bias": 108,
        "questionable_source": 74,
    }
    # every raw spelling is covered by the alias map: no outlet warnings
    report = get_load_report(articles)
    assert not [w for w in report.warnings if "outlet" in w]
    assert set(articles["article_id"]) == {
        str(i)
        for i in pd.read_csv(
            shared("narrative-frames-climate", "articles_metadata.tsv"), sep="\t", usecols=["ID"]
        )["ID"]
    }
    # without the alias map the spellings stay apart and the report says so
    raw = load(
        shared("narrative-frames-climate", "articles_metadata.tsv"), id="ID", outlet="source"
    )
    assert raw["outlet"].nunique() == 63
    assert any("differ only in case" in w for w in get_load_report(raw).warnings)
