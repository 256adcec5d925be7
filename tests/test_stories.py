"""framing.stories: story detection, selection, story-matched comparison, exemplars."""

from __future__ import annotations

import hashlib
import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import CORPUS, shared_path
from scipy import stats
from sklearn.metrics import adjusted_rand_score

from framing import compare, plots
from framing.stories import (
    Measure,
    StoryWarning,
    coverage_over_time,
    coverage_windows,
    find_stories,
    frame_measures,
    story_exemplars,
    story_matched_differences,
    story_selection,
    story_summary,
)


class HashModel:
    """Bag-of-words hashed into 256 dimensions: a fast, deterministic embedding."""

    model_id = "test-hash-256"

    def encode(self, texts):
        out = np.zeros((len(texts), 256))
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % 256] += 1
        return out


VOCAB = [f"w{k}" for k in range(3000)]


def event_corpus(n_events=20, outlets=("alpha", "beta", "gamma"), spacing=10, seed=0):
    """Each event: 3 outlets retell 12 event words; 8 random filler words each."""
    rng = np.random.default_rng(seed)
    rows = []
    for event in range(n_events):
        words = [VOCAB[k] for k in rng.choice(len(VOCAB), 12, replace=False)]
        day = pd.Timestamp("2024-01-01") + pd.Timedelta(days=spacing * event)
        for k, outlet in enumerate(outlets):
            mine = list(rng.choice(words, 9, replace=False))
            filler = [VOCAB[i] for i in rng.choice(len(VOCAB), 8)]
            text = " ".join(rng.permutation(mine + filler))
            rows.append(
                {
                    "article_id": f"e{event:02d}-{outlet}",
                    "outlet": outlet,
                    "published": day + pd.Timedelta(days=k % 2),
                    "title": " ".join(mine[:4]),
                    "text": text,
                    "event": event,
                }
            )
    return pd.DataFrame(rows)


def stories_of(articles, **kw):
    return find_stories(articles.drop(columns="event"), embedding_model=HashModel(), **kw)


def pair_precision_recall(truth, found):
    pairs_t = {
        p for p in itertools.combinations(range(len(truth)), 2) if truth[p[0]] == truth[p[1]]
    }
    pairs_f = {
        p for p in itertools.combinations(range(len(found)), 2) if found[p[0]] == found[p[1]]
    }
    return len(pairs_t & pairs_f) / max(len(pairs_f), 1), len(pairs_t & pairs_f) / len(pairs_t)


# ---------------------------------------------------------------------- find_stories
def test_recovers_events_across_outlets():
    articles = event_corpus()
    stories = stories_of(articles)
    assert list(stories.columns)[:4] == ["story_id", "article_id", "outlet", "published"]
    truth = articles.set_index("article_id").loc[stories["article_id"], "event"].to_numpy()
    assert adjusted_rand_score(truth, stories["story_id"]) == pytest.approx(1.0)
    precision, recall = pair_precision_recall(truth, stories["story_id"].to_numpy())
    assert precision == recall == 1.0
    # ids follow the story's first date; every story has three outlets
    firsts = stories.groupby("story_id")["published"].min()
    assert firsts.is_monotonic_increasing
    assert (stories["story_n_outlets"] == 3).all() and (stories["story_size"] == 3).all()
    assert (stories["matched_on"] == "date+content").all() and stories["counted"].all()
    params = stories.attrs["stories_params"]
    assert params["null"].startswith("dated pairs more than 30 days apart")
    assert 0 < params["threshold_quantile"] < 1


def test_same_story_probability_matches_the_true_local_fdr():
    from framing.stories.posterior import same_story_probability, z_histogram

    rng = np.random.default_rng(0)
    null = rng.normal(0, 1, 100_000)
    pi0 = 0.9
    n = 400_000
    same = rng.random(n) > pi0
    cand = np.where(same, rng.normal(5, 1, n), rng.normal(0, 1, n))
    probability = same_story_probability(null, z_histogram(cand))
    z = np.array([2.0, 2.5, 3.0, 4.0, 6.0])
    f0, f1 = stats.norm.pdf(z), stats.norm.pdf(z, 5, 1)
    # the estimate uses pi0 = 1 (conservative): compare with that bound and the truth
    bound = np.clip(1 - f0 / (pi0 * f0 + (1 - pi0) * f1), 0, 1)
    truth = 1 - pi0 * f0 / (pi0 * f0 + (1 - pi0) * f1)
    got = probability(z)
    assert np.all(np.diff(got) >= 0)
    np.testing.assert_allclose(got, bound, atol=0.12)  # measured: at most 0.11 off
    assert np.all(got <= truth + 0.05)
    assert probability(np.array([-3.0, 0.0]))[0] == 0.0
    # too few candidates: no fit
    assert same_story_probability(null, z_histogram(cand[:5])) is None


def test_same_story_probability_extrapolates_without_numeric_warnings():
    import warnings

    from framing.stories.posterior import same_story_probability, z_histogram

    rng = np.random.default_rng(0)
    null = rng.normal(0, 1, 20_000)
    # candidates piled up at the top of their range: the fitted log-rate rises
    # steeply there, and its extrapolation to the far bins overflows exp()
    cand = np.concatenate([rng.normal(0, 1, 300), rng.uniform(2.9, 3.0, 3000)])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        probability = same_story_probability(null, z_histogram(cand))
    got = probability(np.array([0.0, 3.0, 8.0, 50.0]))
    assert got[0] == 0.0 and np.all(np.diff(got) >= 0) and got[-1] == 1.0


def test_tfidf_equals_scikit_learn():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from framing.stories.similarity import _CHUNK_DOCS, tfidf

    rng = np.random.default_rng(1)
    words = [*VOCAB[:300], "the", "and", "Über", "x", "state-of-the-art", "2024"]
    docs = [" ".join(rng.choice(words, rng.integers(0, 40))) for _ in range(_CHUNK_DOCS + 50)]
    docs[3] = ""  # an empty text
    matrix, terms = tfidf(docs)
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2)
    expected = vectorizer.fit_transform(docs)
    assert list(terms) == list(vectorizer.get_feature_names_out())
    assert abs(matrix - expected).max() < 1e-6
    assert matrix.shape == expected.shape and matrix.dtype == np.float32


def test_weak_links_do_not_pull_an_article_into_another_story():
    from framing.stories.build import _leiden

    # two triangles {0,1,2} and {3,4,5}; article 2 also links weakly to 3, 4 and 5
    strong = [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5)]
    weak = [(2, 3), (2, 4), (2, 5)]
    pairs = np.array(strong + weak)
    unweighted = _leiden(6, pairs, None, 0.5, 0)
    assert unweighted[2] == unweighted[3]  # 3 links to 3 beat 2 links to 2
    weights = np.array([0.99] * 6 + [0.2] * 3)
    weighted = _leiden(6, pairs, weights, 0.5, 0)
    assert weighted[2] == weighted[0] != weighted[3]


def test_label_is_most_central_headline_and_top_terms():
    articles = event_corpus(n_events=12)
    stories = stories_of(articles)
    row = stories[stories["article_id"] == "e03-alpha"].iloc[0]
    members = stories[stories["story_id"] == row["story_id"]]
    central = members.loc[members["centrality"].idxmax(), "article_id"]
    title = articles.set_index("article_id").at[central, "title"]
    assert row["story_headline"] == title
    assert row["story_label"].startswith(title + " [")
    terms = row["story_terms"].split(", ")
    assert len(terms) == 5
    # top terms come from the event's shared words, not from the filler
    texts = " ".join(articles.loc[articles["event"] == 3, "text"])
    assert all(texts.split().count(t) >= 2 for t in terms)


def test_candidates_only_within_the_date_window():
    articles = event_corpus(n_events=14)
    # a retelling of event 0 published 12 days later: outside a 3-day window
    late = articles.iloc[[0]].copy()
    late["article_id"] = "late-copy"
    late["outlet"] = "delta"
    late["published"] = articles["published"].iloc[0] + pd.Timedelta(days=12)
    both = pd.concat([articles, late], ignore_index=True)
    narrow = stories_of(both, window=3).set_index("article_id")["story_id"]
    assert narrow["late-copy"] != narrow["e00-alpha"]
    wide = stories_of(both, window=14).set_index("article_id")["story_id"]
    assert wide["late-copy"] == wide["e00-alpha"]


def test_no_dates_matches_on_content_with_a_warning():
    articles = event_corpus().assign(published=pd.NaT)
    with pytest.warns(StoryWarning, match="no article has a date"):
        stories = stories_of(articles)
    assert (stories["matched_on"] == "content").all()
    assert stories.attrs["stories_params"]["null"].startswith("random pairs")
    # the null leaves out each article's 10 nearest neighbours (its likeliest story
    # mates), so content alone still recovers the events
    truth = articles.set_index("article_id").loc[stories["article_id"], "event"].to_numpy()
    assert adjusted_rand_score(truth, stories["story_id"]) > 0.9  # measured 0.93


def test_some_undated_articles_are_flagged():
    articles = event_corpus()
    articles.loc[articles["article_id"] == "e05-beta", "published"] = pd.NaT
    with pytest.warns(StoryWarning, match="1 of 60 articles have no date"):
        stories = stories_of(articles).set_index("article_id")
    assert stories.at["e05-beta", "matched_on"] == "content"
    assert stories.at["e05-beta", "story_id"] == stories.at["e05-alpha", "story_id"]


def test_one_outlet_still_forms_stories_and_comparison_says_why():
    articles = event_corpus(outlets=("solo-a", "solo-b", "solo-c")).assign(outlet="solo")
    stories = stories_of(articles)
    truth = articles.set_index("article_id").loc[stories["article_id"], "event"]
    assert adjusted_rand_score(truth, stories["story_id"]) == pytest.approx(1.0)
    measure = Measure("len", articles.assign(n=articles["text"].str.len()), "n")
    with pytest.warns(UserWarning, match="1 outlet"):
        table = story_matched_differences(stories, [measure])
    assert table.empty and "two outlets" in table.attrs["reason"]
    fig = plots.story_matched_differences(table)
    assert "No story-matched comparison" in fig.axes[0].texts[0].get_text()


def test_big_story_does_not_blow_up_pairs():
    rng = np.random.default_rng(3)
    base = event_corpus(n_events=10)
    words = [VOCAB[k] for k in range(2000, 2015)]
    big = pd.DataFrame(
        {
            "article_id": [f"big{k:03d}" for k in range(230)],
            "outlet": [f"o{k % 5}" for k in range(230)],
            "published": pd.Timestamp("2024-02-15")
            + pd.to_timedelta(rng.integers(0, 3, 230), "D"),
            "title": "big event",
            "text": [" ".join(rng.choice(words, 12)) for _ in range(230)],
            "event": 99,
        }
    )
    articles = pd.concat([base, big], ignore_index=True)
    stories = stories_of(articles, max_links=200)
    params = stories.attrs["stories_params"]
    assert params["n_links"] <= len(articles) * 200
    parts = stories[stories["article_id"].str.startswith("big")]["story_id"].value_counts()
    assert parts.iloc[0] >= 200  # one story holds (almost) all of it
    others = stories[~stories["article_id"].str.startswith("big")]
    assert not set(others["story_id"]) & set(parts.index)


def test_syndicated_copies_count_once_per_outlet():
    articles = event_corpus(n_events=12)
    copy = articles[articles["article_id"] == "e02-alpha"].assign(article_id="e02-alpha-copy")
    wire = articles[articles["article_id"] == "e02-alpha"].assign(
        article_id="e02-wire", outlet="beta"
    )
    both = pd.concat([articles, copy, wire], ignore_index=True)
    both["duplicate_of"] = ""
    both.loc[both["article_id"].isin(["e02-alpha-copy", "e02-wire"]), "duplicate_of"] = "e02-alpha"
    stories = stories_of(both).set_index("article_id")
    assert stories.at["e02-alpha-copy", "story_id"] == stories.at["e02-alpha", "story_id"]
    assert not stories.at["e02-alpha-copy", "counted"]
    assert stories.at["e02-wire", "counted"]  # another outlet published it too
    summary = story_summary(stories.reset_index()).set_index("story_id")
    sid = stories.at["e02-alpha", "story_id"]
    assert summary.at[sid, "n_articles"] == 4 and summary.at[sid, "n_duplicates"] == 1
    sel = story_selection(stories.reset_index()).set_index("outlet")
    assert sel.at["alpha", "n_articles"] == 12


def test_bad_input_messages():
    with pytest.raises(ValueError, match=r"lack column\(s\) \['text'\]"):
        find_stories(pd.DataFrame({"article_id": ["a"], "outlet": ["x"]}))
    dup = pd.DataFrame({"article_id": ["a", "a"], "outlet": "x", "text": "t"})
    with pytest.raises(ValueError, match="repeated"):
        find_stories(dup, embedding_model=HashModel())
    with pytest.raises(ValueError, match="quantile"):
        find_stories(event_corpus(2), threshold=3, embedding_model=HashModel())
    assert find_stories(dup.iloc[:0], embedding_model=HashModel()).empty


def test_tiny_corpus_falls_back_with_a_warning():
    articles = event_corpus(n_events=2, outlets=("a", "b"))
    with pytest.warns(StoryWarning, match="too few articles"):
        stories = stories_of(articles)
    assert stories.attrs["stories_params"]["fallback_cosine"] == 0.5


# ------------------------------------------------------------------------- selection
def literal_stories():
    return pd.DataFrame(
        {
            "story_id": [1, 1, 2, 2, 3, 4, 4, 5],
            "article_id": list("abcdefgh"),
            "outlet": ["x", "y", "x", "x", "y", "x", "z", "z"],
            "published": pd.to_datetime(
                [
                    "2024-01-01",
                    "2024-01-02",
                    "2024-02-01",
                    "2024-02-02",
                    "2024-03-01",
                    "2024-03-05",
                    "2024-03-05",
                    "2024-06-01",
                ]
            ),
            "story_label": ["s1", "s1", "s2", "s2", "s3", "s4", "s4", "s5"],
            "counted": True,
        }
    )


def test_selection_counts():
    sel = story_selection(literal_stories()).set_index("outlet")
    # multi-outlet stories: 1 (x, y) and 4 (x, z)
    assert sel.at["x", "n_multi_covered"] == 2 and sel.at["x", "share_multi_covered"] == 1.0
    assert sel.at["y", "share_multi_covered"] == 0.5
    assert sel.at["x", "n_exclusive"] == 1 and sel.at["x", "n_exclusive_multi_article"] == 1
    assert sel.at["z", "n_exclusive"] == 1 and sel.at["z", "n_exclusive_multi_article"] == 0
    assert sel.at["x", "share_articles_in_multi"] == pytest.approx(2 / 4)
    over = coverage_over_time(literal_stories())
    march = over[(over["period"] == "2024-03-01") & (over["outlet"] == "x")].iloc[0]
    assert march["n_stories"] == 1 and march["n_multi_outlet_stories"] == 1


def test_coverage_windows_warn_only_when_they_differ():
    table = literal_stories()
    with pytest.warns(UserWarning, match="coverage windows differ"):
        windows = coverage_windows(table)
    xz = windows[(windows["a"] == "x") & (windows["b"] == "z")].iloc[0]
    assert xz["share_b_in_a"] == 0.5 and xz["note"]
    days = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"])
    same = table.assign(outlet=["x", "y"] * 4, published=days.repeat(2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (coverage_windows(same)["note"] == "").all()
    # many outlets in disjoint windows: one warning for all the pairs, not one each
    months = pd.to_datetime([f"2024-{m:02d}-01" for m in range(1, 7)])
    many = pd.DataFrame({"outlet": list("abcdef"), "published": months})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        windows = coverage_windows(many)
    assert (windows["note"] != "").sum() == 15
    assert [str(w.message)[:57] for w in caught] == [
        "coverage windows differ for 15 of 15 outlet pairs (the st"
    ]
    assert str(caught[0].message).endswith("e.g. " + windows["note"].iloc[0][25:])


# ---------------------------------------------------------------------- matched tests
def selection_confounded():
    """Outlet x covers high-value stories; within shared stories x and y are equal."""
    rows = []
    for s in range(6):  # shared stories: same value for both outlets (+ small noise)
        level = s / 5
        for outlet, noise in (("x", 0.01 * (s % 3)), ("y", -0.01 * (s % 2))):
            rows.append((s + 1, f"{outlet}{s}", outlet, level + noise))
    for s in range(6, 16):  # x alone covers high stories, y alone low ones
        outlet, value = ("x", 2.0 + 0.1 * s) if s % 2 else ("y", -1.0 - 0.1 * s)
        rows.append((s + 1, f"{outlet}{s}", outlet, value))
    table = pd.DataFrame(rows, columns=["story_id", "article_id", "outlet", "value"])
    return table.assign(counted=True, published=pd.Timestamp("2024-01-01"))


def test_matched_difference_removes_selection():
    data = selection_confounded()
    table = story_matched_differences(data, [Measure("v", data, "value")], n_boot=500)
    row = table.iloc[0]
    assert row["raw_diff"] > 1.0  # raw gap comes from which stories each covers
    assert abs(row["matched_diff"]) < 0.02
    shared = data[data["story_id"] <= 6].pivot(index="story_id", columns="outlet", values="value")
    d = (shared["x"] - shared["y"]).to_numpy()
    assert row["matched_diff"] == pytest.approx(d.mean())
    assert row["n_stories"] == 6 and row["n_matched_a"] == 6
    # exact paired permutation: all 2^6 sign flips, enumerated independently
    flips = np.array(list(itertools.product([1, -1], repeat=6)))
    expected = np.mean(np.abs(flips @ d) >= abs(d.sum()) - 1e-12)
    assert row["matched_p"] == pytest.approx(expected)
    assert row["matched_ci_low"] <= row["matched_diff"] <= row["matched_ci_high"]


def test_family_bh_and_raw_match_compare():
    data = selection_confounded()
    other = data.assign(value=data["value"] * -0.5 + 0.01 * np.arange(len(data)))
    measures = [Measure("v", data, "value"), Measure("w", other, "value")]
    table = story_matched_differences(data, measures, n_boot=300, n_perm=999)
    assert table["matched_p_adjusted"].to_numpy() == pytest.approx(
        compare.benjamini_hochberg(table["matched_p"])
    )
    raw = compare.pairwise_tests(data, "value", n_perm=999, n_boot=300)
    assert table.iloc[0]["raw_diff"] == pytest.approx(raw.iloc[0]["diff"])
    assert table.iloc[0]["raw_p"] == pytest.approx(raw.iloc[0]["p_value"])


def test_story_bootstrap_matches_scipy_over_stories():
    data = selection_confounded()
    table = story_matched_differences(data, [Measure("v", data, "value")], n_boot=999)
    shared = data[data["story_id"] <= 6].pivot(index="story_id", columns="outlet", values="value")
    d = (shared["x"] - shared["y"]).to_numpy()
    ref = stats.bootstrap(
        (d,), np.mean, n_resamples=999, method="percentile", rng=np.random.default_rng(0)
    )
    assert table.iloc[0]["matched_ci_low"] == pytest.approx(ref.confidence_interval.low)


def test_within_groups_and_coverage_note():
    data = selection_confounded()
    data.loc[data["outlet"] == "y", "published"] = pd.Timestamp("2024-06-01")
    long = pd.concat([data.assign(frame="f1"), data.assign(frame="f2", value=0.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = story_matched_differences(
            data, [Measure("share", long, "value", ("frame",))], n_boot=200, n_perm=99
        )
    assert table["group"].tolist() == ["f1", "f2"]
    assert table["coverage_note"].str.contains("coverage windows differ").all()
    assert table.iloc[1]["matched_diff"] == 0.0
    fig = plots.story_matched_differences(table)
    gids = {line.get_gid() for line in fig.axes[0].lines}
    assert {"raw", "matched"} <= gids
    assert "Warning" in fig.axes[0].get_title(loc="left")
    # more rows than drawn: the pairs with a story-matched estimate come first
    many = pd.concat([table.assign(matched_diff=np.nan)] * 30 + [table], ignore_index=True)
    many["a"] = [f"o{i:02d}" for i in range(len(many))]
    fig = plots.story_matched_differences(many, max_rows=10)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == 10 and labels[0].endswith(f"{many['a'].iloc[-2]} - y")
    assert labels[1].endswith(f"{many['a'].iloc[-1]} - y")
    assert any("2 with a story-matched estimate" in t.get_text() for t in fig.texts)


# ---------------------------------------------------------------- frames + exemplars
def test_frame_measures_and_exemplars_by_story():
    from framing import score_frames

    texts = {
        "a1": "Allies are divided over aid. The rift deepens. Talks go on.",
        "b1": "Divisions among allies grow. Leaders balance interests in talks.",
        "a2": "Weather was fine. Nothing happened.",
    }
    articles = pd.DataFrame(
        {"article_id": list(texts), "outlet": ["x", "y", "x"], "text": list(texts.values())}
    )
    scores = score_frames(articles)
    stories = pd.DataFrame(
        {
            "story_id": [1, 1, 2],
            "article_id": ["a1", "b1", "a2"],
            "outlet": ["x", "y", "x"],
            "published": pd.NaT,
            "story_label": ["allies", "allies", "weather"],
            "counted": True,
        }
    )
    measures = frame_measures(scores, ("allies_divided", "balancing_interests"))
    assert [m.name for m in measures] == ["frame score", "allies_divided - balancing_interests"]
    ex = story_exemplars(stories, scores, "allies_divided", k=2)
    assert set(ex["story_id"]) == {1} and set(ex["outlet"]) == {"x", "y"}
    assert ex.attrs["outlets"] == ["x", "y"]
    assert set(ex["article_id"]) <= {"a1", "b1"}
    fig = plots.story_exemplars(ex)
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["x", "y"]


# --------------------------------------------------------------------- real data
@pytest.mark.slow
def test_seed_articles_form_one_two_outlet_story():
    from framing import load_corpus, score_frames

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = load_corpus(CORPUS)
        stories = find_stories(articles)
    assert stories["story_id"].nunique() == 1 and stories["story_n_outlets"].iloc[0] == 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = story_matched_differences(
            stories,
            frame_measures(score_frames(articles), ("allies_divided", "balancing_interests")),
        )
    row = table[table["measure"] == "allies_divided - balancing_interests"].iloc[0]
    assert np.sign(row["matched_diff"]) == np.sign(row["raw_diff"]) != 0


@pytest.mark.slow
@pytest.mark.shared
def test_basil_events_recovered(tmp_path):
    from framing import load_corpus

    articles = load_corpus(
        shared_path("basil", "articles"),
        text="body-paragraphs",
        outlet="source",
        outlet_aliases={"New York Times": ["nyt"], "Fox News": ["fox"], "HuffPost": ["hpo"]},
    )
    stories = find_stories(articles, cache_dir=tmp_path)
    truth = articles.set_index("article_id").loc[stories["article_id"], "triplet-uuid"]
    # issue 14 targets; measured ARI 0.975, precision 0.970, recall 0.980 (lead
    # TF-IDF, local-fdr edge weights; 0.935 / 0.906 / 0.967 before either)
    assert adjusted_rand_score(truth, stories["story_id"]) >= 0.95
    precision, recall = pair_precision_recall(truth.to_numpy(), stories["story_id"].to_numpy())
    assert precision >= 0.95 and recall >= 0.95


# ------------------------------------------------------------------- story_tables
def test_story_tables_from_run_tables():
    from types import SimpleNamespace

    from framing.stories import story_measures, story_tables, topic_shares

    articles = event_corpus(n_events=14).drop(columns="event")
    rng = np.random.default_rng(1)
    ids = articles["article_id"]
    sentiment = pd.DataFrame({"article_id": ids, "sentiment_mean": rng.normal(size=len(ids))})
    actors = pd.DataFrame(
        {"article_id": ids, "actor": "nato", "sentiment_mean": rng.normal(size=len(ids))}
    )
    docs = pd.DataFrame({"article_id": ids.repeat(2), "topic": rng.integers(-1, 4, 2 * len(ids))})
    frame_articles = pd.concat(
        [
            pd.DataFrame(
                {
                    "article_id": ids,
                    "outlet": articles["outlet"],
                    "frame": f,
                    "share": rng.uniform(size=len(ids)),
                }
            )
            for f in ("f1", "f2")
        ]
    )
    measures = story_measures(
        frame_articles=frame_articles,
        contrast=("f1", "f2"),
        article_sentiment=sentiment,
        actor_sentiment=actors,
        doc_topics=docs,
        frame_value="share",
    )
    names = [m.name for m in measures]
    assert names == ["frame share", "f1 - f2", "sentiment", "actor sentiment", "topic share"]
    shares = topic_shares(docs)
    assert shares.groupby("article_id")["share"].sum().le(1 + 1e-12).all()
    assert -1 not in set(shares["topic"])
    units = pd.DataFrame(
        {
            "article_id": ids,
            "unit_id": ids + "-1",
            "position": 0,
            "outlet": articles["outlet"],
            "frame": "f1",
            "score": 1.0,
            "present": True,
            "matched_terms": "",
        }
    )
    texts = units[["unit_id", "article_id", "position", "outlet"]].assign(text=articles["text"])
    scores = SimpleNamespace(units=units, articles=frame_articles, texts=texts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = story_tables(
            articles,
            measures,
            frame_scores=scores,
            exemplar_frame="f1",
            embedding_model=HashModel(),
            n_boot=200,
            n_perm=199,
        )
    assert set(tables) == {
        "stories",
        "story_summary",
        "story_selection",
        "story_coverage_over_time",
        "story_coverage_windows",
        "story_matched_differences",
        "story_exemplars",
    }
    matched = tables["story_matched_differences"]
    assert set(matched["measure"]) == set(names)
    # every story has all three outlets, so every pair is matched in all 14 stories
    assert (matched["n_stories"] == 14).all()
    assert set(tables["story_exemplars"]["outlet"]) == {"alpha", "beta", "gamma"}
    # the outlets the comparisons keep ([compare] max_outlets = 2): stories are still
    # found on every article, the pairwise tables hold only the kept pair
    from framing.compare import select_outlets

    keep = select_outlets(articles.assign(outlet=articles["outlet"]), max_outlets=2)
    assert keep.kept == ("alpha", "beta") and keep.left_out == ("gamma",)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kept = story_tables(
            articles, measures, embedding_model=HashModel(), n_boot=200, n_perm=199,
            outlets=keep.apply,
        )  # fmt: skip
    assert len(kept["stories"]) == len(tables["stories"])
    matched_kept = kept["story_matched_differences"]
    assert set(zip(matched_kept["a"], matched_kept["b"], strict=True)) == {("alpha", "beta")}
    assert set(kept["story_coverage_windows"][["a", "b"]].itertuples(index=False)) == {
        ("alpha", "beta")
    }
    both = tables["story_matched_differences"]
    both = both[(both["a"] == "alpha") & (both["b"] == "beta")].reset_index(drop=True)
    # the same estimates; the BH family is smaller (one pair instead of three)
    adjusted = [c for c in both.columns if "adjusted" in c]
    pd.testing.assert_frame_equal(
        matched_kept.drop(columns=adjusted), both.drop(columns=adjusted), check_dtype=False
    )
    assert (matched_kept[adjusted].to_numpy() <= both[adjusted].to_numpy() + 1e-12).all()


def test_raw_keeps_duplicates_matched_counts_them_once():
    stories = pd.DataFrame(
        {
            "story_id": [1, 1, 1, 2, 2],
            "article_id": ["a", "a-copy", "b", "c", "d"],
            "outlet": ["x", "x", "y", "x", "y"],
            "published": pd.Timestamp("2024-01-01"),
            "counted": [True, False, True, True, True],
        }
    )
    values = pd.DataFrame(
        {"article_id": list(stories["article_id"]), "v": [1.0, 1.0, 0, 0.5, 0.2]}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        row = story_matched_differences(stories, [Measure("v", values, "v")], n_boot=100).iloc[0]
    assert row["n_a"] == 3 and row["raw_diff"] == pytest.approx(2.5 / 3 - 0.1)
    assert row["n_matched_a"] == 2 and row["matched_diff"] == pytest.approx((1 + 0.3) / 2)


def test_report_banner_spells_out_three_coverage_warnings_and_counts_the_rest():
    from framing.run.report_sections import _story_banner

    notes = [f"coverage windows differ: pair {i}" for i in range(7)] + [""] * 3
    windows = pd.DataFrame({"a": "x", "b": "y", "note": notes})
    banner = _story_banner({"story_coverage_windows": windows})
    assert banner.count("<p class") == 4
    assert "pair 2" in banner and "pair 3" not in banner
    assert "differ for 4 more outlet pair(s)" in banner


def test_only_pairs_sharing_a_story_get_rows_with_the_full_raw_comparison():
    from framing import compare

    day = pd.Timestamp("2024-01-01")
    stories = pd.DataFrame(
        {
            "story_id": [1, 1, 2, 2, 2, 3, 3, 4],
            "article_id": list("abcdefgh"),
            "outlet": ["x", "y", "x", "y", "y", "z", "z", "x"],
            "published": day,
            "counted": True,
        }
    )
    values = pd.DataFrame({"article_id": list("abcdefgh"), "v": [1, 0, 3, 1, 2, 5, 4, 2.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = story_matched_differences(
            stories, [Measure("v", values, "v")], n_boot=200, n_perm=199
        )
        full = compare.pairwise_tests(
            stories.merge(values), "v", n_boot=200, n_perm=199, random_state=0
        )
    assert table[["a", "b"]].values.tolist() == [["x", "y"]]
    assert table.attrs["pairs_without_shared_stories"] == 2  # (x, z) and (y, z)
    xy = full[(full["a"] == "x") & (full["b"] == "y")].iloc[0]
    row = table.iloc[0]
    assert (row["raw_diff"], row["raw_ci_low"], row["raw_ci_high"], row["raw_p"]) == (
        xy["diff"], xy["ci_low"], xy["ci_high"], xy["p_value"]
    )  # fmt: skip
    assert row["n_stories"] == 2 and row["matched_diff"] == pytest.approx(
        ((1 - 0) + (3 - 1.5)) / 2
    )
