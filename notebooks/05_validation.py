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
# # 05 · Validation: code a sample, then measure agreement
#
# Automated text measures are only as good as their agreement with careful human
# reading: "validate, validate, validate" (Grimmer & Stewart 2013). This notebook
# runs the two halves of that check for the frame scores of notebook 04.
#
# 1. **A sample for coding.** Sentences are drawn at random *within strata* of
#    outlet × predicted frame (including "none", so that misses can be found), and
#    written to a **blinded** coding sheet: coders see the text and an empty column
#    each, never the scores, the predicted frame or the outlet. A codebook with every
#    frame's description goes with it.
# 2. **Agreement.** Once two or more coders have filled in the sheet (frame keys
#    separated by `;`, `none` for no frame), `agreement_report` gives per frame the
#    method's precision, recall and F1 against the coders' majority, and
#    Krippendorff's alpha (nominal; Krippendorff 2011) among the coders and between
#    the method and the coders, with bootstrap intervals over units.
#
# **Caveats.** Strata are sampled equally, so small frames are over-represented:
# the agreement describes the method across frames, not the corpus-wide error rate
# (the sample's `weight` column allows reweighting). Alpha below about 0.667 means
# the coders themselves do not agree on the concept: fix the codebook before
# judging the method (Krippendorff 2004).
#
# **The coded sheet used below is illustrative.** `data/illustrative_coded_sheet.csv`
# was filled in by a developer playing two coders, only to show the workflow (see
# `data/README.md`). Replace `coded_path` with your coders' sheet; do not report the
# numbers it gives.

# %% tags=["parameters"]
corpus_dir = "../corpus"
out_dir = "../results/notebooks"
config_path = None
coded_path = "data/illustrative_coded_sheet.csv"
n_per_stratum = 2

# %%
from pathlib import Path

from IPython.display import display

from framing import load_config, load_corpus, score_frames, split_units
from framing.export import save_table
from framing.frames.validation import (
    agreement_report,
    export_coding_sheet,
    read_coding_sheet,
    sample_for_coding,
)

out = Path(out_dir)
cfg = load_config(config_path, overrides={"corpus.path": corpus_dir})
articles = load_corpus(cfg.corpus.path, **cfg.corpus.mapping())
units = split_units(articles, unit=cfg.units.unit, language=cfg.units.language)
scores = score_frames(units, cfg.frames.frame_set, cfg.frames.method)

# %% [markdown]
# ## 1. Draw the sample and export the blinded coding sheet

# %%
sample = sample_for_coding(scores, n_per_stratum=n_per_stratum, random_state=0)
written = export_coding_sheet(sample, out / "coding_sheet.csv", frames=scores.frame_set)
print("give these to the coders:", *[str(p) for p in written], sep="\n  ")
sample.groupby(["outlet", "predicted_frame"]).size().rename("n_units")

# %% [markdown]
# ## 2. Read the coded sheet and measure agreement
#
# (Illustrative codes; see the note at the top.)

# %%
coded = read_coding_sheet(coded_path, scores.frame_set)
report = agreement_report(
    coded,
    scores,
    scores.frame_set,
    n_boot=cfg.compare.n_boot,
    ci=cfg.compare.ci,
    random_state=cfg.seeds.random_state,
)
save_table(report, "frame_agreement_illustrative", out / "tables", formats=cfg.tables.formats)
display(report)
