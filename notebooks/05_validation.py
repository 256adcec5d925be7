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
# # 05 · Validation: code a sample, measure agreement, learn frames from the codes
#
# Automated text measures are only as good as their agreement with careful human
# reading: "validate, validate, validate" (Grimmer & Stewart 2013). This notebook
# runs the two halves of that check for the frame scores of notebook 04, then
# (section 3) turns the coding into the measure itself: a classifier trained on the
# coded units, with an active-learning loop that proposes what to code next.
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
coding_mode = "multi"  # "single": one frame (or none) per unit
backend = "lr"  # "lr", "setfit" or "auto" (chosen by cross-validation)

# %%
from pathlib import Path

from IPython.display import display

from framing import load_config, load_corpus, score_frames, split_units
from framing.export import save_table
from framing.frames.active import CodingLoop
from framing.frames.codes import codes_from_sheet, write_codes
from framing.frames.panel import coding_panel
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

# %% [markdown]
# ## 3. Learn the frames from the coding: the coding loop
#
# The codes above can *become* the measure. A `CodingLoop` keeps the corpus, a
# codes file (one row per unit × coder, rewritten atomically after every code, so
# nothing is lost when the notebook closes) and each coder's queue of proposed
# units. The loop:
#
# 1. **proposes** units to code: first a random sample stratified by outlet, then
#    the units the current model is least sure about (margin uncertainty sampling,
#    Lewis & Gale 1994; Scheffer et al. 2001), which usually reaches a given F1
#    with fewer codes than random sampling;
# 2. takes the **codes**, from the panel below or a CSV (`framing code propose`
#    / `framing code add` on the command line), from any number of coders, and
#    reports Krippendorff's alpha between them;
# 3. **trains** a classifier on the coders' majority labels: embeddings + logistic
#    regression, or MiniLM fine-tuned with SetFit (Tunstall et al. 2022);
#    `backend="auto"` picks the one with the higher cross-validated macro-F1;
# 4. **reports** cross-validated precision, recall and F1 per frame with bootstrap
#    intervals, and a learning curve (F1 against the number coded): when the curve
#    flattens, coding more helps little;
# 5. **applies** the model to the corpus; every frame row carries its validation
#    status (cross-validated F1 and the number of coded units).
#
# **Caveats.** Here the loop starts from the illustrative sheet above (31 units,
# two pretend coders): far too few for a trustworthy classifier, so the numbers only
# show the workflow. Units chosen by uncertainty sampling are not a random sample:
# the cross-validated F1 of an actively coded set describes the hard cases and tends
# to *underestimate* accuracy on the corpus; for a reportable figure, code a random
# sample too. `framing run` with `frames.method = "supervised"` and
# `frames.coded = <codes file>` reuses the trained model until the codes change.

# %%
codes_path = out / "codes.csv"
if not codes_path.exists():  # start from the illustrative sheet (see the caveat)
    write_codes(codes_from_sheet(coded_path, cfg.frames.frame_set, units=units), codes_path)
loop = CodingLoop(
    units,
    cfg.frames.frame_set,
    codes_path,
    articles=articles,
    mode=coding_mode,
    cache_dir=out / "cache" / "embeddings",
    random_state=cfg.seeds.random_state,
)
display(loop.agreement())

# %%
clf = loop.train(backend=backend)
print(f"classifier: {clf.backend}, {clf.params['n_coded']} coded units")
save_table(
    clf.cv_report.reset_index(),
    "coding_cv_report_illustrative",
    out / "tables",
    formats=cfg.tables.formats,
)
display(clf.selection)
display(clf.cv_report.round(2))

# %%
curve = loop.learning_curve(sizes=[10, 20, len(loop.training_table())])
display(curve.round(3))
scored = loop.apply(clf)
display(scored.articles.head(8))

# %% [markdown]
# ### The coding panel
#
# One unit at a time, with its article's title and the sentences around it; a
# button per frame plus "none" and "unsure" (multi-label mode: toggle the frames,
# then "next"). Every click is saved; run this cell again later and it resumes
# with the next uncoded unit of your queue. Re-run the cells above to retrain.

# %%
coding_panel(loop, coder="you", batch=10)
