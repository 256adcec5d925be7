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
# # 01 · The corpus: load it, audit the cleaning, describe it
#
# Every number in the later notebooks is computed from the `articles` table made
# here, so this notebook answers three questions before any analysis:
#
# 1. **Did everything load?** `load_corpus` reads a folder or file (`.txt`, `.html`,
#    `.json`, `.jsonl`, `.csv`/`.tsv`, `.parquet`), maps each record onto the
#    `articles` schema (`framing.schema`) and reports every item it skipped, and why.
# 2. **Did the cleaner keep the article and only the article?** Scraped pages carry
#    site chrome: menus, "related stories" lists, newsletter and comment prompts,
#    cookie and ad-block notices. `framing.corpus.clean` removes lines by their features
#    (runs of short title-case lines without sentence punctuation, prompt phrases,
#    position on the page). Rules are general, so they can fail on a new site:
#    **read the removed lines** below before trusting the text.
# 3. **What is in the corpus?** Articles, words and dates per outlet, and duplicates
#    (syndicated wire copy, pages scraped twice), which would count one text twice.
#
# Assumptions: outlet and date come from the corpus metadata (the manifest, a
# column, the file or folder name); the bundled corpus names its two outlets
# `outlet_000` and `outlet_004` because the pages do not say which outlet published
# them (see `corpus/README.md`). Undated articles are kept and counted.

# %% tags=["parameters"]
corpus_dir = "../corpus"
out_dir = "../results/notebooks"
config_path = None

# %%
from pathlib import Path

import pandas as pd
from IPython.display import display

from framing import export, load_config, load_corpus
from framing.corpus import format_summary, get_load_report, removed_lines, summarize_corpus
from framing.corpus.summary import corpus_by_outlet

out = Path(out_dir)
cfg = load_config(config_path, overrides={"corpus.path": corpus_dir})
articles = load_corpus(cfg.corpus.path, **cfg.corpus.mapping())
print(format_summary(summarize_corpus(articles)))

# %% [markdown]
# ## The load report
#
# Items seen = articles loaded + items skipped; each skip has a reason.

# %%
report = get_load_report(articles)
report.to_frame()

# %% [markdown]
# ## Audit the cleaning
#
# One row per removed line, with the rule that removed it. Scan the `text` column:
# a sentence of the article body here is a cleaning error (report it with the page).

# %%
audit = removed_lines(articles)
audit.groupby("reason").size().rename("n_lines").sort_values(ascending=False)

# %%
with pd.option_context("display.max_colwidth", 120, "display.max_rows", 100):
    display(removed_lines(articles, article_id=articles["article_id"].iloc[0]))

# %% [markdown]
# What was kept: the metadata the cleaner found, and the first words of each body.

# %%
columns = ["article_id", "outlet", "published", "title", "author", "n_words", "n_removed_lines"]
articles[[c for c in columns if c in articles.columns]]

# %%
with pd.option_context("display.max_colwidth", 300):
    display(articles.set_index("article_id")["text"].str[:300])

# %% [markdown]
# ## Describe the corpus
#
# Articles, words and dates per outlet (plus `all`); `n_duplicates` counts articles
# flagged as copies of an earlier one (`duplicate_of`).

# %%
by_outlet = corpus_by_outlet(articles)
export.save_table(by_outlet, "corpus_by_outlet", out / "tables", formats=cfg.tables.formats)
export.save_table(audit, "cleaning_audit", out / "tables", formats=("csv",))
display(by_outlet)

# %% [markdown]
# Caveats: word counts are whitespace tokens of the *cleaned* text. Duplicate
# detection is near-duplicate MinHash (word 5-shingles, Jaccard >= 0.8): a lightly
# edited rewrite of a wire story counts as a duplicate, a paraphrase does not.
