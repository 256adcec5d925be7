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
# # 04 · Framing: how each outlet frames the story
#
# A frame selects "some aspects of a perceived reality and make[s] them more salient
# in a communicating text" (Entman 1993). This notebook measures how often each
# outlet's sentences carry each frame of a **frame set** (`frames.frame_set`; the
# default `ukraine-diplomacy` contrasts, among others, *allies divided* with
# *balancing interests*), and shows the sentences behind every number.
#
# **Method.** `score_frames` with `frames.method`:
# - `lexicon` (default): a sentence carries a frame when it matches one of the
#   frame's terms (whole words, case-insensitive, `*` suffix wildcard, exclusions);
# - `semantic`: similarity of the sentence embedding to the frame's prototypes
#   (description, examples, terms) minus similarity to its near misses;
# - `supervised`: a classifier trained on your own coded sentences.
#
# Outlets are compared on one number per article and frame, the **headline score**
# (`scores.articles["score"]`, `framing.frames.headline`): for `lexicon` the
# article's term matches beyond those expected for its length at the corpus's rate,
# for `semantic` the mean of its 3 best-scoring sentences averaged with that lexicon
# evidence, each **standardised within this corpus** (a z-score: 0 = the corpus's
# average article, +1 = one standard deviation more of the frame).
# It needs no threshold carried over from another corpus. `frames.measure = "share"`
# compares the share of sentences carrying the frame instead (cut-off set per
# corpus: any term match; semantic: the corpus mean + 2 SD).
# Bootstrap intervals resample articles; permutation tests with Benjamini–Hochberg
# adjustment, Hedges' g (`diff = a − b`).
# The **contrast** of two frames is, per article, score(a) − score(b): positive means
# more of the first frame. **Keyness** (Monroe, Colaresi & Quinn 2008; log-odds with
# an informative Dirichlet prior) lists the words most typical of each outlet.
#
# **Caveats.**
# - **Dictionaries need validation on your own corpus.** A term list encodes its
#   authors' reading of the concept; it misses paraphrases and catches unrelated
#   uses. Read the exemplars below, then code a sample (notebook 05) and report
#   agreement before using the numbers.
# - A z-score compares outlets within this corpus, not frames across corpora; a
#   share's semantic cut-off is model-specific: calibrate it on coded sentences.
# - Prevalence differences can reflect the events an outlet covers, not only how:
#   the story-matched comparison below separates the two.
# - With one article per outlet (the bundled corpus) there are no intervals and no
#   test has power: the tables say so in their `note` column.

# %% tags=["parameters"]
corpus_dir = "../corpus"
out_dir = "../results/notebooks"
config_path = None

# %%
from pathlib import Path

import pandas as pd
from IPython.display import display

from framing import compare, export, load_config, load_corpus, plots, score_frames, split_units
from framing.frames.exemplars import exemplars
from framing.frames.headline import measure_label

out = Path(out_dir)
cfg = load_config(config_path, overrides={"corpus.path": corpus_dir})
seed = cfg.seeds.random_state
articles = load_corpus(cfg.corpus.path, **cfg.corpus.mapping())
units = split_units(articles, unit=cfg.units.unit, language=cfg.units.language)
scores = score_frames(units, cfg.frames.frame_set, cfg.frames.method)
measure = cfg.frames.measure  # "score" (the headline score) unless set to "share"
label = measure_label(measure, scores.method)
print(f"frame set {scores.frame_set} v{scores.frame_set_version}, method {scores.method}")
print(f"outlets compared on: {label}")
pd.Series(scores.labels, name="label")

# %% [markdown]
# ## Prevalence by outlet
#
# Each dot carries its outlet's number of articles (`n`); `n=1: no interval` marks
# a single article. A frame that never occurs in the corpus is labelled "(absent in
# this corpus)" rather than drawn as a bare zero; with more than six outlets the
# figure becomes one panel per frame.

# %%
prevalence = compare.outlet_summary(
    scores.articles,
    measure,
    within=["frame"],
    n_boot=cfg.compare.n_boot,
    ci=cfg.compare.ci,
    random_state=seed,
)
pairwise = compare.pairwise_tests(
    scores.articles, measure, within=["frame"], n_perm=cfg.compare.n_perm, random_state=seed
)
prevalence, pairwise = prevalence.assign(measure=label), pairwise.assign(measure=label)
export.save_table(prevalence, "frame_prevalence", out / "tables", formats=cfg.tables.formats)
export.save_table(pairwise, "frame_pairwise", out / "tables", formats=cfg.tables.formats)
fig = plots.frame_prevalence(prevalence, labels=scores.labels, xlabel=label)
export.save_figure(fig, "frame_prevalence_by_outlet", out / "figures", formats=cfg.figures.formats)
display(fig)

# %%
display(pairwise)

# %% [markdown]
# ## The two-frame contrast
#
# A forest plot ordered by the contrast, largest at the top; the direction is
# spelled out under the axis. When one of the two frames never occurs, the figure
# says so: the contrast then only restates the other frame's prevalence.

# %%
a, b = cfg.frames.contrast
contrast = compare.frame_contrast(
    scores.articles,
    a,
    b,
    value=measure,
    n_boot=cfg.compare.n_boot,
    n_perm=cfg.compare.n_perm,
    ci=cfg.compare.ci,
    random_state=seed,
)
export.save_table(contrast, "frame_contrast", out / "tables", formats=cfg.tables.formats)
fig = plots.frame_contrast(
    contrast, label_a=scores.labels[a], label_b=scores.labels[b], measure=label
)
export.save_figure(fig, "frame_contrast_by_outlet", out / "figures", formats=cfg.figures.formats)
display(fig)
display(contrast)

# %% [markdown]
# ## Exemplars: what each number measures
#
# The sentences with the highest score for each frame in each outlet, with the
# terms that matched. If they do not carry the frame, the frame's terms need work.

# %%
examples = exemplars(scores, k=cfg.frames.exemplars)
export.save_table(examples, "frame_exemplars", out / "tables", formats=("csv",))
with pd.option_context("display.max_colwidth", 220, "display.max_rows", 200):
    display(examples[examples["frame"].isin([a, b])])

# %% [markdown]
# ## Selection and presentation: the same story in each outlet
#
# A raw difference between outlets mixes **selection** (which stories an outlet
# covers) with **presentation** (how it tells them). `framing.stories` groups
# articles about the same event across outlets (TF-IDF and embeddings within a date
# window, Leiden communities; Nicholls & Bright 2019), then compares outlets only
# within the stories both cover: a paired comparison per story, with a bootstrap
# over stories and a permutation of the two outlets within each story, next to the
# raw difference. A gap that shrinks from raw to story-matched came from selection.
# When the outlets cover different date windows, the tables and the figure say so:
# the raw difference then also confounds outlet with period.

# %%
from framing import stories

found = stories.find_stories(
    articles,
    window=cfg.stories.window,
    threshold=cfg.stories.threshold or "auto",
    resolution=cfg.stories.resolution,
    chance_links=cfg.stories.chance_links,
    max_links=cfg.stories.max_links,
    embedding_model=cfg.topics.embedding_model or None,
    cache_dir=out / "cache" / "embeddings",
    random_state=seed,
)
selection = stories.story_selection(found)
export.save_table(selection, "story_selection", out / "tables", formats=cfg.tables.formats)
display(stories.story_summary(found).head(10))
display(selection)

# %%
matched = stories.story_matched_differences(
    found,
    stories.frame_measures(scores, cfg.frames.contrast, value=measure),
    n_boot=cfg.compare.n_boot,
    n_perm=cfg.compare.n_perm,
    ci=cfg.compare.ci,
    random_state=seed,
)
export.save_table(matched, "story_matched_differences", out / "tables", formats=cfg.tables.formats)
fig = plots.story_matched_differences(matched)
export.save_figure(fig, "story_matched_differences", out / "figures", formats=cfg.figures.formats)
display(fig)
matched[["measure", "group", "a", "b", "raw_diff", "matched_diff", "n_stories", "note"]]

# %% [markdown]
# ### One story, told by each outlet
#
# The story covered by the most outlets in which even the outlet using the frame
# least still uses it most; each outlet's highest-scoring sentences for the first
# frame of the contrast, side by side. (Without a story covered by two outlets,
# `story_exemplars` says so; pass `story_id=` to show any story.)

# %%
told = stories.story_exemplars(found, scores, a, k=max(cfg.stories.exemplars, 1))
fig = plots.story_exemplars(told)
export.save_figure(fig, "story_exemplars", out / "figures", formats=cfg.figures.formats)
display(fig)

# %% [markdown]
# ## Words typical of each outlet
#
# Pale bars have |z| < 1.96 (not significant at 5%, unadjusted); when no term
# reaches it, the figure says so: the words are then the most typical of a
# difference the data cannot tell from noise.

# %%
outlets = sorted(units["outlet"].unique())
key_terms = compare.keyness(units["text"], units["outlet"], target=outlets[0])
fig = plots.keyness(
    key_terms,
    n=10,
    target_label=outlets[0],
    reference_label=outlets[1] if len(outlets) == 2 else "other outlets",
)
export.save_figure(fig, f"keyness_{outlets[0]}", out / "figures", formats=cfg.figures.formats)
display(fig)
key_terms.sort_values("z", ascending=False).head(10)
