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
# Parts are numbered in 16 bits (2 bytes per sample while the parts are taken).
MAX_PARTS: Final = (1 << 16) - 1


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
            self.sample_values = _grown(self.sample_values, 2 * len(self.sample_values))
        self.sample_values[start:end] = sketch.samples
        self.sample_ends[doc] = end
        self.count += 1
        return doc

    def _grow(self) -> None:
        size = 2 * len(self.shingles)
        self.signatures = _grown(self.signatures, size)
        self.bands = _grown(self.bands, size)
        self.shingles = _grown(self.shingles, size)
        self.exact = _grown(self.exact, size)
        self.sample_ends = _grown(self.sample_ends, size)

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


def _grown(array: np.ndarray, rows: int) -> np.ndarray:
    """`array` with room for `rows` rows, the new ones left untouched: pages of memory
    nothing has written to take none (np.resize filled them with copies of the data)."""
    bigger = np.empty((rows, *array.shape[1:]), dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger


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
    pairs, shared, samples = _candidate_pairs(run, live, reps)
    if len(pairs):
        _link_best(run, pairs, shared, samples, threshold, contained, parent, kind)
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


def _sample_parts(run: RunSketches, live: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(samples, owners) of the live bodies' samples that no more than MAX_SAMPLE_DOCS live
    bodies hold, and the body of each, one part of the sample values at a time (each
    about SAMPLES_PER_PART samples). A value lies in one part only, so a part tells which
    of its samples are common, and memory holds one part, never a copy of every sample
    (a run of 100,000 bodies copied and sorted all of them at once: several KB per body)."""
    count = run.count
    total = int(run.sample_ends[count - 1]) if count else 0
    values = run.sample_values[:total]
    ends = run.sample_ends[:count]
    is_live = np.zeros(count, dtype=bool)
    is_live[live] = True
    parts = min(max(1, total // SAMPLES_PER_PART), MAX_PARTS)
    part_of = np.empty(total if parts > 1 else 0, dtype=np.uint16)
    for lo in range(0, len(part_of), SAMPLES_PER_PART):
        part_of[lo : lo + SAMPLES_PER_PART] = values[lo : lo + SAMPLES_PER_PART] % parts
    for part in range(parts):
        at = np.flatnonzero(part_of == part) if parts > 1 else np.arange(total)
        # the body whose samples end after position `at` (bodies without samples skipped)
        owners = np.searchsorted(ends, at, side="right")
        keep = is_live[owners]
        mine, owners = values[at[keep]], owners[keep]
        del at, keep
        if len(mine) > MAX_SAMPLE_DOCS:
            # A body's samples are distinct, so a sample more than MAX_SAMPLE_DOCS bodies
            # hold is one that, in sorted order, equals the value MAX_SAMPLE_DOCS places on
            ordered = np.sort(mine)
            common = np.unique(ordered[MAX_SAMPLE_DOCS:][ordered[MAX_SAMPLE_DOCS:] == ordered[:-MAX_SAMPLE_DOCS]])
            del ordered
            if len(common):
                found = np.minimum(np.searchsorted(common, mine), len(common) - 1)
                keep = common[found] != mine
                mine, owners = mine[keep], owners[keep]
        yield mine, owners


def _candidate_pairs(
    run: RunSketches, live: np.ndarray, reps: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pairs as earlier * n + later, shared non-common samples of each, non-common samples
    per body) of the bodies in `reps` that share a band, or at least MIN_SHARED_SAMPLES
    samples; the samples' commonness is counted over the `live` bodies."""
    n = np.int64(run.count)
    banded = _Merged()
    for band in range(run.layout.bands):
        for pairs in pairs_of_equal_keys(run.bands[reps, band], reps, n):
            banded.add(pairs)
    by_samples = _Merged()
    per_body = np.zeros(run.count, dtype=np.int64)
    is_rep = np.zeros(run.count, dtype=bool)
    is_rep[reps] = True
    for values, holders in _sample_parts(run, live):
        per_body += np.bincount(holders, minlength=run.count)
        of_reps = is_rep[holders]
        # most runs hold few exact copies: then no copy of the samples is needed
        keys, owners = (values, holders) if of_reps.all() else (values[of_reps], holders[of_reps])
        for pairs in pairs_of_equal_keys(keys, owners, n):
            by_samples.add(pairs)
    banded_pairs, _ = banded.result()
    sampled, counts = by_samples.result()
    enough = counts >= MIN_SHARED_SAMPLES
    pairs = np.union1d(banded_pairs, sampled[enough])
    shared = np.zeros(len(pairs), dtype=np.int64)
    known = np.isin(sampled, pairs)  # one shared sample only counts for a banded pair
    shared[np.searchsorted(pairs, sampled[known])] = counts[known]
    return pairs, shared, per_body


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
    samples: np.ndarray,
    threshold: float,
    contained: float,
    parent: np.ndarray,
    kind: np.ndarray,
) -> None:
    """Judge every candidate pair as `match_kind` does and link each later body to its
    best earlier match (`samples`: each body's count of non-common samples)."""
    n = run.count
    earlier, later = pairs // n, pairs % n
    sims = np.empty(len(pairs))
    for lo in range(0, len(pairs), PAIR_CHUNK):
        a, b = earlier[lo : lo + PAIR_CHUNK], later[lo : lo + PAIR_CHUNK]
        sims[lo : lo + PAIR_CHUNK] = similarity(run.signatures[a], run.signatures[b])
    judged = judge_pairs(sims, run.shingles[later], run.shingles[earlier], samples[later],
                         samples[earlier], shared, threshold, contained)
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
