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
# # 03 · Topics: what the coverage is about
#
# **Method.** BERTopic (Grootendorst 2022): each document is embedded with a
# sentence-transformer (all-MiniLM-L6-v2, bundled, offline), the embeddings are
# reduced with UMAP (from 300 documents on; below that, with exact PCA, since a
# 15-neighbour graph then spans the corpus: `topics.reduction`) and clustered with
# HDBSCAN, and each cluster is described by its class-based TF-IDF terms. UMAP is
# seeded (`seeds.random_state`), so the same corpus and settings give the same
# topics. Embeddings are cached on disk: re-running is fast.
#
# **Assumptions.** A document is a paragraph for small corpora and an article
# otherwise (`topics.unit = "auto"`); whole articles are truncated by the model at
# 256 word pieces (about the first 190 words). Topic sizes are scaled to the corpus.
#
# **Caveats.**
# - **Topics are not frames.** A topic groups documents that use similar words
#   ("ceasefire, talks, negotiations"); a frame is a way of defining a problem, its
#   causes, a judgement and a remedy (Entman 1993). Two outlets can share a topic and
#   frame it differently: that is what notebook 04 measures.
# - HDBSCAN leaves documents that fit no cluster in topic `-1` ("outlier"); they stay
#   in every table and in the share denominators.
# - On a small corpus (the bundled one has two articles) topics are unstable:
#   read each topic's documents before naming it.

# %% tags=["parameters"]
corpus_dir = "../corpus"
out_dir = "../results/notebooks"
config_path = None

# %%
from pathlib import Path

import pandas as pd
from IPython.display import display

from framing import export, fit_topics, load_config, load_corpus, plots

out = Path(out_dir)
cfg = load_config(config_path, overrides={"corpus.path": corpus_dir})
articles = load_corpus(cfg.corpus.path, **cfg.corpus.mapping())
result = fit_topics(
    articles,
    unit=cfg.topics.unit,
    method=cfg.topics.method,
    embedding_model=cfg.topics.embedding_model or None,
    random_state=cfg.seeds.random_state,
    min_topic_size=cfg.topics.min_topic_size or None,
    nr_topics=cfg.topics.nr_topics or None,
    period=cfg.topics.period,
    n_boot=cfg.compare.n_boot,
    ci=cfg.compare.ci,
    cache_dir=out / "cache" / "embeddings",
)
display(result.notes)

# %%
display(result.topic_info)

# %% [markdown]
# ## Read the documents behind each topic
#
# The three documents most firmly in each topic (highest HDBSCAN membership).

# %%
docs = result.doc_topics.merge(result.documents[["unit_id", "text"]], on="unit_id")
top_docs = (
    docs.sort_values(["topic", "probability"], ascending=[True, False]).groupby("topic").head(3)
)
with pd.option_context("display.max_colwidth", 250):
    display(top_docs[["topic", "outlet", "probability", "text"]])

# %%
fig = plots.topic_terms_bars(result.topic_terms, labels=result.topic_info)
export.save_figure(fig, "topic_terms", out / "figures", formats=cfg.figures.formats)
display(fig)

# %% [markdown]
# ## Topics by outlet
#
# `share` is the fraction of an outlet's documents in the topic, with a bootstrap
# interval that resamples the outlet's articles. `top_terms_outlet` are the topic's
# words in that outlet's documents only. In the figure each dot carries the
# outlet's number of articles (`n=1: no interval` for a single article); with more
# than six outlets it becomes one panel per topic with the outlets labelled
# directly, and topic labels wrap instead of being cut.

# %%
export.save_table(result.topic_info, "topic_info", out / "tables", formats=cfg.tables.formats)
export.save_table(
    result.topics_by_outlet, "topics_by_outlet", out / "tables", formats=cfg.tables.formats
)
fig = plots.topic_shares_by_outlet(result.topics_by_outlet)
export.save_figure(fig, "topic_shares_by_outlet", out / "figures", formats=cfg.figures.formats)
display(fig)
display(result.topics_by_outlet)

# %% [markdown]
# BERTopic's own interactive views are available on `result.model` (e.g.
# `result.model.visualize_barchart()`); numbers for a paper come from the tables
# above, which are seeded and exported.
