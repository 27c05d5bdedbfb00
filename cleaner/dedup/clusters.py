"""Clustering a whole run at once: which earlier body of the run each body duplicates.

A batch run decides duplicates once every body is fingerprinted, so that each story's
canonical capture can be chosen among all its captures (see cleaner/run/placer.py).
The rule is the incremental index's (`Deduplicator`, `match_kind`), applied to every
pair of bodies that are candidates: the same exact hash, a shared LSH band, or at least
MIN_SHARED_SAMPLES shared sampled shingles. Each body joins the cluster of its best
match among the bodies before it (exact first, then the highest similarity, then the
highest containment, then the earliest), so one borderline body never chains two
clusters together. Everything here is a function of the fingerprints and their order
alone, computed with NumPy over arrays: a distributed engine grouping band keys and
samples by key gets the very same candidates, hence the same clusters.

A sampled shingle held by more than MAX_SAMPLE_DOCS bodies of the run is a stock phrase,
not evidence, and is ignored (the incremental index drops it once that many hold it).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import numpy as np

from .index import (
    CONTAINED,
    CONTAINS,
    EXACT,
    MIN_CONTAINED_SHINGLES,
    MIN_SAMPLES,
    NEAR,
)
from .sketch import Layout, Sketch
from .store import MAX_SAMPLE_DOCS, MIN_SHARED_SAMPLES

# Kinds of match by strength, as the incremental index ranks them; NO_MATCH for a pair
# whose estimates make no match.
KIND_RANK: Final = {EXACT: 0, NEAR: 1, CONTAINED: 2, CONTAINS: 2}
KINDS: Final = (EXACT, NEAR, CONTAINED, CONTAINS)
NO_MATCH: Final = -1
# Candidate pairs are judged this many at a time: with 128 signature bins each, a step
# takes about 20 MB (both signatures and their comparison), whatever the run's size.
PAIR_CHUNK: Final = 1 << 14
# Shared samples are looked for in parts of about this many (sample, body) entries:
# sorting them takes a few times their 16 bytes each, whatever the run's size.
SAMPLES_PER_PART: Final = 1 << 18


class RunSketches:
    """The fingerprints of a run's kept bodies, in input order, in compact arrays
    (about 1 KB per body with the default layout: what the run's index costs)."""

    def __init__(self, layout: Layout, capacity: int = 1024) -> None:
        self.layout = layout
        self.count = 0
        self.signatures = np.empty((capacity, layout.num_perm), dtype=np.uint32)
        self.bands = np.empty((capacity, layout.bands), dtype=np.int64)
        self.shingles = np.empty(capacity, dtype=np.int64)
        self.exact = np.empty(capacity, dtype="V32")
        # every body's sampled shingles one after the other; body i's end at sample_ends[i]
        self.sample_values = np.empty(capacity * 32, dtype=np.int64)
        self.sample_ends = np.empty(capacity, dtype=np.int64)

    def add(self, sketch: Sketch) -> int:
        """Append one body's fingerprint; returns its number in the run."""
        doc = self.count
        if doc == len(self.shingles):
            self._grow()
        self.signatures[doc] = sketch.signature
        self.bands[doc] = sketch.bands
        self.shingles[doc] = sketch.shingles
        self.exact[doc] = np.void(bytes.fromhex(sketch.exact))
        start = self.sample_ends[doc - 1] if doc else 0
        end = start + len(sketch.samples)
        while end > len(self.sample_values):
            self.sample_values = np.resize(self.sample_values, 2 * len(self.sample_values))
        self.sample_values[start:end] = sketch.samples
        self.sample_ends[doc] = end
        self.count += 1
        return doc

    def _grow(self) -> None:
        size = 2 * len(self.shingles)
        self.signatures = np.resize(self.signatures, (size, self.layout.num_perm))
        self.bands = np.resize(self.bands, (size, self.layout.bands))
        self.shingles = np.resize(self.shingles, size)
        self.exact = np.resize(self.exact, size)
        self.sample_ends = np.resize(self.sample_ends, size)

    def samples(self, doc: int) -> np.ndarray:
        """The sampled shingles of body `doc`."""
        return self.sample_values[self.sample_ends[doc - 1] if doc else 0 : self.sample_ends[doc]]

    def sketch(self, doc: int) -> Sketch:
        """The Sketch of body `doc` again (to look it up in another index)."""
        return Sketch(
            bytes(self.exact[doc]).hex(), self.signatures[doc], int(self.shingles[doc]),
            self.bands[doc].tolist(), self.samples(doc).tolist(),
        )

    @property
    def nbytes(self) -> int:
        """Bytes the fingerprints of the bodies take (the arrays' spare room aside)."""
        per_body = (self.signatures[0].nbytes + self.bands[0].nbytes + 8 + 32 + 8)
        return self.count * per_body + int(self.sample_ends[self.count - 1] if self.count else 0) * 8


def best_earlier(
    run: RunSketches, threshold: float, contained: float
) -> tuple[np.ndarray, np.ndarray]:
    """(parent, kind) per body: the body before it in the run that it duplicates best
    (-1 for none) and the kind of match (index into KINDS, -1 for none)."""
    n = run.count
    parent = np.full(n, -1, dtype=np.int64)
    kind = np.full(n, NO_MATCH, dtype=np.int64)
    if n < 2:
        return parent, kind
    live = np.flatnonzero(run.shingles[:n] > 0)  # a body with no words never matches
    first = first_of_exact_groups(run.exact[live])
    is_copy = first != np.arange(len(live))
    parent[live[is_copy]] = live[first[is_copy]]
    kind[live[is_copy]] = KINDS.index(EXACT)
    reps = live[~is_copy]
    common_free = _non_common_samples(run, live)
    pairs, shared = _candidate_pairs(run, reps, common_free)
    if len(pairs):
        _link_best(run, pairs, shared, common_free, threshold, contained, parent, kind)
    return parent, kind


def cluster_roots(parent: np.ndarray) -> np.ndarray:
    """The first body of each body's cluster (parents always stand before their child)."""
    roots = np.arange(len(parent))
    for doc in np.flatnonzero(parent >= 0).tolist():
        roots[doc] = roots[parent[doc]]
    return roots


def first_of_exact_groups(exact: np.ndarray) -> np.ndarray:
    """For each body (by position in `exact`), the position of the first body with its hash."""
    _, inverse = np.unique(exact, return_inverse=True)
    firsts = np.full(inverse.max() + 1 if len(inverse) else 0, len(exact), dtype=np.int64)
    np.minimum.at(firsts, inverse, np.arange(len(exact)))
    return firsts[inverse]


def _non_common_samples(run: RunSketches, live: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(samples, owners): the live bodies' samples that no more than MAX_SAMPLE_DOCS live
    bodies hold, body after body in the run's order, and the body of each. Flat arrays:
    a run of 100,000 bodies made a dict of as many arrays and tested each against the
    common samples alone (70 s, and several KB per body)."""
    ends = run.sample_ends[: run.count]
    lengths = np.diff(ends, prepend=0)
    is_live = np.zeros(run.count, dtype=bool)
    is_live[live] = True
    # every body's samples lie one after the other in run.sample_values: those of the live
    # bodies are picked by a mask, without copying a slice per body
    picked = np.repeat(is_live, lengths)
    values = run.sample_values[: len(picked)][picked]
    owners = np.repeat(np.arange(run.count, dtype=np.int64), lengths)[picked]
    if not len(values):
        return values, owners
    # A body's samples are distinct, so a sample more than MAX_SAMPLE_DOCS bodies hold is
    # one that, in sorted order, equals the value MAX_SAMPLE_DOCS places on: found with
    # a comparison, where counting every sample (np.unique) and testing every sample
    # against them (np.isin) took several times the samples' memory.
    ordered = np.sort(values)
    common = np.unique(ordered[MAX_SAMPLE_DOCS:][ordered[MAX_SAMPLE_DOCS:] == ordered[:-MAX_SAMPLE_DOCS]])
    del ordered
    if len(common):
        at = np.searchsorted(common, values)
        np.minimum(at, len(common) - 1, out=at)
        keep = common[at] != values
        del at
        values, owners = values[keep], owners[keep]
    return values, owners


def _candidate_pairs(
    run: RunSketches, reps: np.ndarray, samples: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """(pairs as earlier * n + later, shared non-common samples of each) of the bodies
    in `reps` that share a band, or at least MIN_SHARED_SAMPLES samples."""
    n = np.int64(run.count)
    banded = _Merged()
    for band in range(run.layout.bands):
        for pairs in pairs_of_equal_keys(run.bands[reps, band], reps, n):
            banded.add(pairs)
    by_samples = _Merged()
    if len(reps):
        values, holders = samples
        is_rep = np.zeros(run.count, dtype=bool)
        is_rep[reps] = True
        of_reps = is_rep[holders]
        # most runs hold few exact copies: then no copy of the samples is needed
        keys, owners = (values, holders) if of_reps.all() else (values[of_reps], holders[of_reps])
        del of_reps
        parts = max(1, len(keys) // SAMPLES_PER_PART)
        for part in range(parts):  # by sample value: equal samples fall in one part
            mine = keys % parts == part if parts > 1 else slice(None)
            for pairs in pairs_of_equal_keys(keys[mine], owners[mine], n):
                by_samples.add(pairs)
    banded_pairs, _ = banded.result()
    sampled, counts = by_samples.result()
    enough = counts >= MIN_SHARED_SAMPLES
    pairs = np.union1d(banded_pairs, sampled[enough])
    shared = np.zeros(len(pairs), dtype=np.int64)
    known = np.isin(sampled, pairs)  # one shared sample only counts for a banded pair
    shared[np.searchsorted(pairs, sampled[known])] = counts[known]
    return pairs, shared


class _Merged:
    """Pairs as they come, made distinct with how often each came. Slices wait in a list
    and are merged once they outweigh what is merged already: each pair is sorted a few
    times in all (merging at every slice sorted the whole set again each time, quadratic
    in a run with many candidate pairs), and memory stays within about twice the distinct
    pairs and the slices waiting."""

    def __init__(self) -> None:
        self.pairs = np.empty(0, dtype=np.int64)
        self.counts = np.empty(0, dtype=np.int64)
        self.waiting: list[np.ndarray] = []
        self.waiting_size = 0

    def add(self, pairs: np.ndarray) -> None:
        self.waiting.append(pairs)
        self.waiting_size += len(pairs)
        if self.waiting_size > max(len(self.pairs), PAIR_CHUNK):
            self._merge()

    def _merge(self) -> None:
        if self.waiting:
            self.pairs, self.counts = _count(
                np.concatenate([self.pairs, *self.waiting]),
                np.concatenate([self.counts, np.ones(self.waiting_size, np.int64)]),
            )
            self.waiting, self.waiting_size = [], 0

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        """(distinct pairs in order, how many times each came)."""
        self._merge()
        return self.pairs, self.counts


def _count(pairs: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`pairs` made distinct, with the counts of equal ones added up."""
    distinct, inverse = np.unique(pairs, return_inverse=True)
    return distinct, np.bincount(inverse, weights=counts, minlength=len(distinct)).astype(np.int64)


def pairs_of_equal_keys(keys: np.ndarray, docs: np.ndarray, n: np.int64) -> Iterator[np.ndarray]:
    """Every pair (earlier * n + later) of `docs` whose `keys` are equal, a slice at a
    time (pairs at distance 1, 2, ... within each run of equal keys: one NumPy step per
    distance), so that a run's redundant pairs never pile up in memory."""
    order = np.lexsort((docs, keys))
    keys, docs = keys[order], docs[order]
    same = keys[1:] == keys[:-1]
    if not same.any():
        return
    starts = np.flatnonzero(np.concatenate([[True], ~same]))
    sizes = np.diff(np.append(starts, len(keys)))
    run_of = np.repeat(np.arange(len(starts)), sizes)
    longer = np.repeat(sizes, sizes)  # the length of each row's run
    for gap in range(1, int(sizes.max())):
        # only runs longer than the distance give pairs: the others are left out, so that
        # the steps cost as much as the pairs they give, not rows x the longest run
        keep = longer > gap
        if not keep.all():
            run_of, docs, longer = run_of[keep], docs[keep], longer[keep]
        ok = run_of[gap:] == run_of[:-gap]
        if not ok.any():
            return
        yield docs[:-gap][ok] * n + docs[gap:][ok]


def _link_best(
    run: RunSketches,
    pairs: np.ndarray,
    shared: np.ndarray,
    samples: tuple[np.ndarray, np.ndarray],
    threshold: float,
    contained: float,
    parent: np.ndarray,
    kind: np.ndarray,
) -> None:
    """Judge every candidate pair as `match_kind` does and link each later body to its
    best earlier match."""
    n = run.count
    earlier, later = pairs // n, pairs % n
    sims = np.empty(len(pairs))
    for lo in range(0, len(pairs), PAIR_CHUNK):
        a, b = earlier[lo : lo + PAIR_CHUNK], later[lo : lo + PAIR_CHUNK]
        sims[lo : lo + PAIR_CHUNK] = similarity(run.signatures[a], run.signatures[b])
    counts = np.bincount(samples[1], minlength=n)  # non-common samples per body
    judged = judge_pairs(sims, run.shingles[later], run.shingles[earlier], counts[later],
                         counts[earlier], shared, threshold, contained)
    found, best_of, best = best_matches(earlier, later, *judged)
    # a body with an exact copy before it is already linked: exact is the strongest match
    free = parent[found] < 0
    parent[found[free]] = best_of[free]
    kind[found[free]] = best[free]


def similarity(signatures: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of each signature with the one on the same row of `others`."""
    return (signatures == others).mean(axis=1)


def judge_pairs(
    sims: np.ndarray,
    size: np.ndarray,
    other: np.ndarray,
    samples: np.ndarray,
    other_samples: np.ndarray,
    shared: np.ndarray,
    threshold: float,
    contained: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`match_kind` of every candidate pair at once, from the later body's shingle and
    non-common sample counts (`size`, `samples`), the earlier's (`other`, `other_samples`),
    their estimated similarity and their shared non-common samples: (matched, kind rank,
    kind as an index into KINDS, similarity, containment) per pair."""
    fewer = np.where(size <= other, samples, other_samples)
    smaller = np.minimum(size, other)
    with np.errstate(divide="ignore", invalid="ignore"):
        by_samples = np.minimum(1.0, shared / fewer)
        by_jaccard = np.where(
            smaller == 0, 0.0,
            np.minimum(1.0, sims * (size + other) / ((1.0 + sims) * smaller)),
        )
    share = np.where(fewer >= MIN_SAMPLES, by_samples, by_jaccard)
    near = sims >= threshold
    held = ~near & (share >= contained) & (smaller >= MIN_CONTAINED_SHINGLES)
    rank = np.where(near, KIND_RANK[NEAR], KIND_RANK[CONTAINED])
    found = np.where(near, KINDS.index(NEAR),
                     np.where(size <= other, KINDS.index(CONTAINED), KINDS.index(CONTAINS)))
    return near | held, rank, found, sims, share


def best_matches(
    earlier: np.ndarray,
    later: np.ndarray,
    ok: np.ndarray,
    rank: np.ndarray,
    found: np.ndarray,
    sims: np.ndarray,
    share: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(later body, its best earlier match, kind) for each later body of a matched pair:
    the strongest kind, then the highest similarity, then the highest containment, then
    the earliest. Every pair of a later body must be given for its choice to be right."""
    e, l_, r, s, c, f = earlier[ok], later[ok], rank[ok], sims[ok], share[ok], found[ok]
    if not len(l_):
        return l_, e, f
    order = np.lexsort((e, -c, -s, r, l_))
    l_sorted = l_[order]
    best = order[np.concatenate([[True], l_sorted[1:] != l_sorted[:-1]])]
    return l_[best], e[best], f[best]
