"""The partitioned engine of ``framing run``: corpora larger than memory, on Dask.

Selected by ``[run]`` (``--engine``, ``--scheduler``): with ``store =
"partitioned"``, with ``store = "auto"`` above
:data:`framing.corpus.store.AUTO_STORE_BYTES` of corpus files, or with ``engine =
"dask"``, the steps ``corpus``, ``units``, ``sentiment``, ``frames`` and ``compare``
run here instead of in their step modules:

corpus
    :func:`framing.corpus.store.build_store` under ``cache/store/``: one Parquet
    partition per group of files, loaded as tasks; new files go to new partitions.
topics
    BERTopic fitted on a sample stratified by outlet and month, then ``transform``
    of every partition (:mod:`framing.run.topics_parts`); two disjoint samples give
    a stability table. Topic assignments differ from the in-memory fit on every
    document by design; the topic shares are computed by ``compare`` as in memory.
units, sentiment, frames
    one task per partition (:mod:`framing.run.partitions`), outputs under
    ``cache/parts/<step>/<settings>/<partition>``. The settings part is a hash of the
    step's settings, its code and the settings of the steps it reads, so a finished
    partition is never computed twice: re-runs, interrupted runs and runs after new
    files were added compute only the partitions that lack a receipt. Semantic frames
    take three passes over the partitions (embed, score, finish), as their unit
    scores, cut-off and headline score depend on the whole corpus
    (:mod:`framing.run.semantic_parts`); the embeddings go through the content-hash
    cache under ``cache/embeddings/``, shared by the workers.
compare
    the tables of :mod:`framing.run.steps.compare` from per-partition aggregates
    (:mod:`framing.run.compare_parts`): each partition is reduced on a worker to
    sufficient statistics and a bottom-k sample per outlet, cached like the other
    partition outputs, and combined on the driver, which never reads the article
    tables for comparing. Outlets of at most
    :data:`~framing.compare._aggregates.RESERVOIR` articles get exactly the
    in-memory statistics; larger ones normal/Welch approximations, noted in the
    row (:mod:`framing.compare._aggregates`). Keyness from term counts summed over
    partitions (the same counts, so the same z-scores).

The step tables hold only summaries whose size does not grow with the number of
articles (``corpus_by_outlet``, ``frame_summary``, ``frame_exemplars``, the
comparisons...). The article-level tables (``articles`` without text,
``article_sentiment``, ``actor_sentiment``, ``frame_articles``) and the unit-level
ones (``units``, ``unit_sentiment``, ``frame_units``) stay partitioned on disk, their
folders in the manifest; the article-level ones are exported to ``tables/`` one
partition at a time and read back with :func:`framing.run.article_parts.read_table`
(:mod:`framing.run.article_parts`). So the driver's memory does not grow with the
corpus: it holds one partition's columns at a time, plus summaries. Exception, not
yet bounded: with semantic frames the driver concatenates ``frame_articles`` (one
row per article and frame) to standardise the headline score, and returns it as a
step table.

Results equal ``engine = "local"``: integer columns exactly, float columns to 1e-9
relative (sums may be added in another order). Differences by design:
near-duplicates are flagged within a partition only, and the frame headline score
(a z-score) is computed over all partitions, as locally. Semantic frames: the same
to about 1e-6 when the two runs embed separately (MiniLM's float32 vectors depend on
the batch a text is encoded in), to rounding on the same cached vectors. Topics are
fitted on a stratified sample and assigned by ``transform``
(:mod:`framing.run.topics_parts`), so they differ from an in-memory fit on every
document by design. Not yet partitioned: stories (``stories.enabled = false``),
supervised frames.

The steps are in ``_load`` (corpus, units), ``_measures`` (sentiment, lexicon frames),
``_semantic`` (semantic frames), ``_compare`` (topics, compare, keyness); what they
share (executor, settings keys, the partition map, exports) in ``_common``.
"""

from __future__ import annotations

from framing.run.context import StepContext, StepResult
from framing.run.engine._common import check, close, executor, partitioned
from framing.run.engine._compare import _compare, _topics, keyness_from_counts
from framing.run.engine._load import _corpus, _units
from framing.run.engine._measures import _frames, _sentiment

__all__ = [
    "PARTITIONED_STEPS",
    "check",
    "close",
    "executor",
    "keyness_from_counts",
    "partitioned",
    "run_step",
]

PARTITIONED_STEPS = ("corpus", "units", "sentiment", "topics", "frames", "compare")


def run_step(name: str, ctx: StepContext) -> StepResult:
    """Run step ``name`` partition by partition."""
    return {
        "corpus": _corpus,
        "units": _units,
        "sentiment": _sentiment,
        "topics": _topics,
        "frames": _frames,
        "compare": _compare,
    }[name](ctx)
