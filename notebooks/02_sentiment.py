# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · Sentiment: the tone of each outlet's coverage
#
# **Method.** VADER (Hutto & Gilbert 2014), a rule-based lexicon of about 7,500
# words rated by people, with rules for negation, intensifiers, "but" and
# capitalisation. Each sentence gets a `compound` score in [-1, 1]. An article's
# score is the **mean of its sentence compounds**: the compound of a whole article,
# `x / sqrt(x² + 15)`, saturates towards ±1 as the text grows, so long articles
# would look extreme.
#
# **Comparison.** Outlets are compared on article scores: means with percentile
# bootstrap intervals that resample *articles* (not sentences, which are not
# independent), pairwise permutation tests of the difference in means with
# Benjamini–Hochberg adjustment, and Hedges' g. `diff` is always `a − b`.
#
# **Caveats.**
# - VADER measures the tone of the wording, not an outlet's stance. News about a
#   war is negative in every outlet; differences in tone may reflect *which events*
#   an outlet covers rather than how it frames them.
# - VADER is **English-only**; sentences that look non-English are flagged
#   (`non_english`) and their scores are not meaningful.
# - The lexicon was built for social-media text; validate it on a sample of your own
#   sentences before drawing conclusions (the most positive and negative sentences
#   below are a first check).
# - Actor sentiment is *co-occurrence*: the tone of sentences naming an actor, not
#   the tone *toward* the actor.
# - With one article per outlet (the bundled corpus) there is no interval: the
#   tables say so in their `note` column.

# %% tags=["parameters"]
corpus_dir = "../corpus"
out_dir = "../results/notebooks"
config_path = None

# %%
from pathlib import Path

import pandas as pd
from IPython.display import display

from framing import compare, export, load_config, load_corpus, plots, split_units
from framing.sentiment.actors import load_actor_set, score_actor_sentiment
from framing.sentiment.vader import score_sentiment, score_units

out = Path(out_dir)
cfg = load_config(config_path, overrides={"corpus.path": corpus_dir})
seed = cfg.seeds.random_state
articles = load_corpus(cfg.corpus.path, **cfg.corpus.mapping())
units = split_units(articles, unit=cfg.units.unit, language=cfg.units.language)
unit_scores = score_units(units, unit=cfg.units.unit)
article_scores = score_sentiment(unit_scores, unit=cfg.units.unit)
display(article_scores)

# %% [markdown]
# ## Read the extremes
#
# The most negative and most positive units. If these do not read as negative and
# positive to you, VADER does not fit this corpus.

# %%
with pd.option_context("display.max_colwidth", 200):
    display(unit_scores.nsmallest(5, "compound")[["outlet", "compound", "text"]])
    display(unit_scores.nlargest(5, "compound")[["outlet", "compound", "text"]])

# %% [markdown]
# ## Outlets compared

# %%
summary = compare.outlet_summary(
    article_scores,
    "sentiment_mean",
    n_boot=cfg.compare.n_boot,
    ci=cfg.compare.ci,
    random_state=seed,
)
pairwise = compare.pairwise_tests(
    article_scores, "sentiment_mean", n_perm=cfg.compare.n_perm, random_state=seed
)
export.save_table(summary, "sentiment_by_outlet", out / "tables", formats=cfg.tables.formats)
export.save_table(pairwise, "sentiment_pairwise", out / "tables", formats=cfg.tables.formats)
display(summary)
display(pairwise)

# %% [markdown]
# The figure is a forest plot: outlets ordered by their mean, largest at the top,
# with each outlet's number of articles (`n`) at the right. An outlet with a single
# article has no interval and says so (`n=1: no interval`): read its dot as one
# article, not as the outlet's tone. With many outlets the figure grows taller
# rather than squeezing the rows.

# %%
fig = plots.by_outlet(summary, value_label="Mean VADER compound per article")
export.save_figure(fig, "sentiment_by_outlet", out / "figures", formats=cfg.figures.formats)
display(fig)

# %% [markdown]
# ## Actors
#
# Sentences naming each actor of the actor list (`sentiment.actors` in the
# configuration; aliases such as "Kremlin" and "Putin" map to Russia). Actors are
# drawn in the order of the actor list (`order=`), never in the order the table
# happens to be sorted. Each dot carries its `n` (articles naming the actor); with
# more than six outlets the figure becomes one panel per actor, outlets labelled
# directly.

# %%
actor_set = load_actor_set(cfg.sentiment.actors)
actor_scores = score_actor_sentiment(unit_scores, actor_set)
actor_summary = compare.outlet_summary(
    actor_scores,
    "sentiment_mean",
    within=["actor"],
    n_boot=cfg.compare.n_boot,
    ci=cfg.compare.ci,
    random_state=seed,
)
export.save_table(
    actor_summary, "actor_sentiment_by_outlet", out / "tables", formats=cfg.tables.formats
)
fig = plots.actor_by_outlet(
    actor_summary,
    value_label="Mean VADER compound of sentences naming the actor",
    labels=actor_set.labels,
    order=list(actor_set.actors),
)
export.save_figure(fig, "actor_sentiment_by_outlet", out / "figures", formats=cfg.figures.formats)
display(fig)
