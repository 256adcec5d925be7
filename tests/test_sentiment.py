"""framing.sentiment: VADER per unit and per article, bad input, language flag."""

from __future__ import annotations

import math
import random
import string
import time
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path

import framing
import framing.sentiment._engine as sentiment_engine
import framing.sentiment._tables as sentiment_tables
from framing.resources import vader_analyzer
from framing.sentiment.vader import is_non_english, score_sentiment, score_units


def stock(text: str) -> dict[str, float]:
    """NLTK's own polarity_scores, the reference implementation."""
    return vader_analyzer().polarity_scores(text)


def units_table(texts, article_ids=None, outlet="x") -> pd.DataFrame:
    article_ids = article_ids or ["a"] * len(texts)
    return pd.DataFrame(
        {
            "article_id": article_ids,
            "unit_id": [f"{a}:s{i}" for i, a in enumerate(article_ids)],
            "text": texts,
            "outlet": outlet,
        }
    )


# ------------------------------------------------------------------ basics
def test_public_name_is_lazy_export():
    assert framing.score_sentiment is score_sentiment


def test_unit_scores_equal_nltk_vader(tiny_articles):
    units = framing.split_units(tiny_articles)
    scores = score_units(units)
    assert list(scores.columns) == [
        "article_id",
        "unit_id",
        "unit",
        "outlet",
        "text",
        "neg",
        "neu",
        "pos",
        "compound",
        "non_english",
    ]
    assert scores["unit_id"].tolist() == units["unit_id"].tolist()
    for row in scores.itertuples():
        ref = stock(row.text)
        assert (row.neg, row.neu, row.pos, row.compound) == (
            ref["neg"],
            ref["neu"],
            ref["pos"],
            ref["compound"],
        )
    assert set(scores["unit"]) == {"sentence"}
    # "Everyone wins!" is positive; "divided" is not in VADER's lexicon at all
    by_text = scores.set_index("text")["compound"]
    assert by_text["Everyone wins!"] > 0.05
    assert by_text["Allies are divided."] == 0


def test_articles_and_units_inputs_agree_and_inputs_are_not_mutated(tiny_articles):
    before = tiny_articles.copy()
    from_articles = score_units(tiny_articles)
    pd.testing.assert_frame_equal(tiny_articles, before)
    units = framing.split_units(tiny_articles)
    units_before = units.copy()
    from_units = score_units(units)
    pd.testing.assert_frame_equal(units, units_before)
    pd.testing.assert_frame_equal(from_articles, from_units)


def test_article_score_is_mean_of_unit_compounds_with_shares(tiny_articles):
    units = score_units(tiny_articles)
    articles = score_sentiment(tiny_articles)
    assert list(articles.columns) == [
        "article_id",
        "outlet",
        "sentiment_mean",
        "share_positive",
        "share_negative",
        "n_units",
        "unit",
        "non_english",
    ]
    assert articles["article_id"].tolist() == ["a1", "a2", "b1", "b2"]
    assert articles["outlet"].tolist() == ["alpha", "alpha", "beta", "beta"]
    for row in articles.itertuples():
        c = units.loc[units.article_id == row.article_id, "compound"].to_numpy()
        assert row.n_units == len(c)
        if len(c):
            assert row.sentiment_mean == pytest.approx(c.mean())
            assert row.share_positive == pytest.approx((c >= 0.05).mean())
            assert row.share_negative == pytest.approx((c <= -0.05).mean())
    # the empty article: NaN, never 0, and n_units = 0
    b1 = articles.set_index("article_id").loc["b1"]
    assert b1.n_units == 0 and math.isnan(b1.sentiment_mean)
    assert math.isnan(b1.share_positive) and math.isnan(b1.share_negative)


def test_thresholds_are_inclusive_at_plus_minus_005():
    scored = units_table(["p", "n", "z", "q"]).assign(compound=[0.05, -0.05, 0.0, 0.5])
    row = score_sentiment(scored).iloc[0]
    assert row.share_positive == pytest.approx(2 / 4)
    assert row.share_negative == pytest.approx(1 / 4)
    assert row.sentiment_mean == pytest.approx(0.125)


def test_unit_scores_are_aggregated_without_scoring_again(tiny_articles, monkeypatch):
    unit_scores = score_units(tiny_articles)
    expected = score_sentiment(tiny_articles).query("n_units > 0").reset_index(drop=True)

    def fail(*args, **kwargs):
        raise AssertionError("VADER ran again")

    monkeypatch.setattr(sentiment_tables, "_score_texts", fail)
    again = score_sentiment(unit_scores)
    pd.testing.assert_frame_equal(again, expected)


def test_paragraph_units(tiny_articles):
    scores = score_sentiment(tiny_articles, unit="paragraph")
    assert scores.set_index("article_id").loc["a1", "n_units"] == 2
    assert set(scores["unit"]) == {"paragraph"}
    units = framing.split_units(tiny_articles, unit="paragraph")
    with pytest.raises(ValueError, match="unit='paragraph'"):
        score_units(units)  # default unit="sentence" does not match the table


def test_saturation_of_whole_text_compound_motivates_the_mean():
    sentence = "The envoy said the meeting was useful."
    article = " ".join([sentence] * 20)
    one = stock(sentence)["compound"]
    whole = stock(article)["compound"]
    mean = score_sentiment(
        pd.DataFrame({"article_id": ["a"], "outlet": ["x"], "text": [article]})
    ).sentiment_mean.item()
    assert 0.2 < one < 0.6
    assert whole > 0.99  # the normalised sum x / sqrt(x^2 + 15) saturates
    assert mean == pytest.approx(one)


def test_text_col_and_missing_columns():
    arts = pd.DataFrame({"article_id": ["a"], "body": ["A great day. A bad day."]})
    scores = score_sentiment(arts, text_col="body")
    assert scores.n_units.item() == 2
    with pytest.raises(ValueError, match=r"\['text'\]"):
        score_sentiment(arts)
    with pytest.raises(ValueError, match="unit must be"):
        score_units(arts, unit="document", text_col="body")


# ------------------------------------------------------------------ bad input
def test_none_nan_and_non_string_text_give_nan_with_a_counting_warning():
    arts = pd.DataFrame(
        {
            "article_id": list("abcdef"),
            "outlet": "x",
            "text": ["Peace is good.", None, np.nan, 42, ["a", "list"], "   "],
        }
    )
    with pytest.warns(UserWarning, match=r"2 article\(s\) have non-string text \(int, list"):
        scores = score_sentiment(arts)
    assert scores["article_id"].tolist() == list("abcdef")
    assert scores["n_units"].tolist() == [1, 0, 0, 0, 0, 0]
    assert scores["sentiment_mean"].iloc[1:].isna().all()
    units = units_table(["Peace is good.", None, np.nan, 3.5, "", "\n"])
    with pytest.warns(UserWarning, match=r"1 unit\(s\) have non-string text \(float"):
        unit_scores = score_units(units)
    assert unit_scores["compound"].iloc[1:].isna().all()
    assert unit_scores["compound"].iloc[0] > 0
    assert unit_scores["non_english"].dtype == bool


def test_missing_text_raises_no_warning():
    units = units_table(["Fine.", None, np.nan])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        score_units(units)


def test_extremely_long_sentence_is_scored_in_linear_time():
    rng = random.Random(0)
    lexicon = ["good", "bad", "war", "peace", "hope", "crisis", "win", "loss"]
    words, length = [], 0
    while length < 100_000:
        word = (
            rng.choice(lexicon)
            if rng.random() < 0.3
            else "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9)))
        )
        words.append(word)
        length += len(word) + 1
    text = " ".join(words)[:100_000]
    assert len(text) == 100_000 and not set(text) & set(string.punctuation)
    score_units(units_table(["Warm up: build the analyzer first."]))
    start = time.perf_counter()
    row = score_units(units_table([text])).iloc[0]
    elapsed = time.perf_counter() - start
    assert -1 <= row.compound <= 1 and abs(row.compound) > 0.99  # saturated
    assert elapsed < 20  # ~0.3 s here; a quadratic scorer would take minutes


# ---------------------------------------------------------------------- emoji
def test_emoji_are_translated_to_their_descriptions():
    plain = "Talks resumed today"
    assert stock(plain)["compound"] == 0
    happy = score_units(units_table([f"{plain} 😀"])).compound.item()
    sad = score_units(units_table([f"{plain} 😢"])).compound.item()
    assert happy == stock(f"{plain} grinning face")["compound"] > 0.05
    assert sad == stock(f"{plain} crying face")["compound"] < -0.05
    ignored = score_units(units_table([f"{plain} 😀"]), translate_emoji=False)
    assert ignored.compound.item() == 0
    # emoji glued to a word, with a variation selector, and the text column unchanged
    glued = score_units(units_table(["Great☺️news"]))
    assert glued.text.item() == "Great☺️news"
    assert glued.compound.item() == stock("Great smiling face news")["compound"]


def test_non_ascii_text_without_emoji_is_unchanged():
    text = "“Kyiv’s allies are divided,” she said — naïvely."
    assert score_units(units_table([text])).compound.item() == stock(text)["compound"]


# ------------------------------------------------------------- language flag
NON_ENGLISH = {
    "german": "Die Verhandlungen zwischen Russland und der Ukraine sind ins Stocken geraten.",
    "german_short": "Die Lage ist nach wie vor ernst.",
    "french": "Les négociations entre la Russie et l'Ukraine sont au point mort.",
    "spanish": "Las negociaciones entre Rusia y Ucrania están estancadas desde marzo.",
    "italian": "Il presidente ha detto che la pace è possibile per il paese.",
    "dutch": "De onderhandelingen zijn vastgelopen en het is niet duidelijk wat er gebeurt.",
    "russian": "Переговоры между Россией и Украиной зашли в тупик.",
    "ukrainian": "Переговори з Росією зайшли в глухий кут.",
    "chinese": "俄罗斯和乌克兰的谈判陷入僵局。",
    "arabic": "توقفت المفاوضات بين روسيا وأوكرانيا.",
}
ENGLISH = [
    "Diverging Perspectives Among Kyiv's Allies Complicate Peacekeeping Plans",
    "Vladimir Putin, Emmanuel Macron, Olaf Scholz.",
    "Der Spiegel reported that the die was cast in Berlin.",
    "Le Pen and Van der Leyen met in Brussels on Tuesday.",
    "Ursula von der Leyen spoke.",
    "Inflation rose 9 per cent, up from 8 per cent.",
    "Soldiers die in attacks on Kyiv as talks falter.",
    "KENT GORDIS New York, Nov. 5, 1989",
    "Wallets, earrings, picture frames, T-shirts, beer.",
    "Zelenskyy’s café meeting in Kraków was “naïve”, critics said.",
]


@pytest.mark.parametrize("language", sorted(NON_ENGLISH))
def test_non_english_snippets_are_flagged(language):
    text = NON_ENGLISH[language]
    assert is_non_english(text)
    units = score_units(units_table([text, "The talks stalled in Geneva."]))
    assert units["non_english"].tolist() == [True, False]


@pytest.mark.parametrize("text", ENGLISH)
def test_english_is_not_flagged(text):
    assert not is_non_english(text)


def test_article_flag_pools_units_and_reads_language_metadata():
    german = " ".join(NON_ENGLISH[k] for k in ("german", "german_short"))
    arts = pd.DataFrame(
        {
            "article_id": ["de", "en", "mixed", "meta"],
            "outlet": "x",
            "text": [
                german,
                "The talks stalled. Nobody was happy.",
                f"{NON_ENGLISH['french']} The talks stalled after the envoy left the "
                "room. Nobody was happy with the outcome of the meeting in Paris.",
                "Peace talks resumed. Hopes rose.",
            ],
            "language": ["", "en", "", "de"],
        }
    )
    scores = score_sentiment(arts).set_index("article_id")
    assert scores["non_english"].to_dict() == {
        "de": True,
        "en": False,
        "mixed": False,
        "meta": True,
    }
    units = score_units(arts)
    assert units.loc[units.article_id == "meta", "non_english"].all()
    assert units.loc[units.article_id == "mixed", "non_english"].tolist() == [
        True,
        False,
        False,
    ]


# ------------------------------------------------------------- progress bar
def test_progress_bar_on_demand(capsys, tiny_articles, terminal):
    score_units(tiny_articles, show_progress=True)
    assert "VADER sentiment" in capsys.readouterr().err
    score_sentiment(tiny_articles, show_progress=True)
    assert "VADER sentiment" in capsys.readouterr().err
    score_units(tiny_articles, show_progress=False)
    score_units(tiny_articles)  # auto: small job, no bar
    assert capsys.readouterr().err == ""


# ------------------------------------------------- NLTK equivalence of speed-up
TRICKY = [
    "The talks were a GREAT success!!! :)",
    "Not good, but not terrible either... (kind of okay?)",
    "'Yeah right,' he said -- the U.S. envoy wasn't happy :-( at least not today.",
    "!!! ?? ,bad, good. 'quoted' \"double\" ;-) <3 --- LOL",
    ":( :) :D :-P xD <3 </3 ^_^ -_- o_O",
    "a I ! ? .",
    "",
    "     ",
    "Hello,world!How are you?I am fine.Very,very GOOD!!",
    "(good) [bad] {ugly} 'nice' \"mean\" ...great... ,,awful,,",
]


def _fuzz(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    pieces = ["good", "bad", "not", "very", "kind", "of", "but", ":)", ":(", ":-)", "<3", "'"]
    pieces += ['"', "!!", "?!?", "U.S.", "don't", "LOL", "GREAT", "--", "...", "(", ")", "a"]
    pieces += ["I", "yeah", "right", "least", "at", "never", "so", "sort", "kinda", "wasn't"]
    ends = ["!", "?", ".", ",", "!!", "?!?", "''", ";", ":", "-", "'"]
    texts = []
    for _ in range(n):
        words = []
        for _ in range(rng.randint(1, 14)):
            w = rng.choice(pieces)
            if rng.random() < 0.3:
                w = rng.choice(string.punctuation) + w
            if rng.random() < 0.3:
                w += rng.choice(ends)
            words.append(w + rng.choice([" ", "", " ", "  "]))
        texts.append("".join(words))
    return texts


def test_fast_scorer_is_identical_to_nltk_on_tricky_and_random_text():
    fast = sentiment_engine._polarity_scores()
    assert fast.__func__ is not type(vader_analyzer()).polarity_scores  # speed-up active
    for text in TRICKY + _fuzz(3000, seed=1):
        assert fast(text) == stock(text), text


@pytest.mark.slow
@pytest.mark.shared
def test_fast_scorer_is_identical_to_nltk_on_all_vader_ground_truth():
    folder = shared_path("vader-groundtruth")
    fast = sentiment_engine._polarity_scores()
    n = 0
    for path in sorted(folder.glob("*_GroundTruth.txt")):
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            parts = line.split("\t")
            if len(parts) >= 3:
                assert fast(parts[2]) == stock(parts[2]), (path.name, parts[0])
                n += 1
    assert n > 23_000


# ------------------------------------------------------------ bundled corpus
def test_bundled_corpus_is_scored_in_english():
    from conftest import CORPUS

    articles = framing.load_corpus(CORPUS)
    scores = score_sentiment(articles)
    assert len(scores) == 2
    assert (scores["n_units"] > 20).all()
    assert not scores["non_english"].any()
    assert scores["sentiment_mean"].between(-1, 1).all()
