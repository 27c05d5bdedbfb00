"""Near-duplicate clusters of a run, computed by Ray tasks exactly as the local engine's
`best_earlier` and `cluster_roots` compute them on one machine.

Kept captures are numbered in input order (doc ids), as the local engine numbers them.
The run is cut into shards of consecutive outcome blocks; the docs of shard i are a
range of ids, and rows keyed by a doc go to the shard of its range, so that a doc's
signature is read where it lies and never moves. One round of tasks per step:

1. prepare (per shard): every live body's 32 LSH band keys and its sampled shingles
   become candidate rows (tag, key, doc, exact hash), hashed by (tag, key).
2. candidates (per key partition): all rows of a key meet. Exact copies are linked to
   the first body with their hash (seen in band 0's rows, which every copy shares);
   among the first bodies, the pairs sharing a band key, and the pairs sharing a sampled
   shingle that at most MAX_SAMPLE_DOCS bodies hold (each counted once per shingle);
   the count of such shingles per body. Routed by the earlier doc of each pair.
3. earlier (per shard): a pair's occurrences summed (banded, shared samples); kept when
   banded or sharing MIN_SHARED_SAMPLES; the earlier doc's signature, size and sample
   count attached. Routed by the later doc.
4. later (per shard): the later doc's attached too, every pair judged (`judge_pairs`)
   and the best earlier match of each doc chosen (`best_matches`): the parent links.
5. components: pointer jumping over the links (a doc's parent always comes before it),
   a round per halving of the longest chain, until no link changes: each doc then
   points at the first doc of its cluster, as `cluster_roots` gives.

The driver only holds object refs and, per round, the number of links that changed.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import ray

from ...dedup.clusters import (
    PAIR_CHUNK,
    best_matches,
    judge_pairs,
    pairs_of_equal_keys,
    similarity,
)
from ...dedup.sketch import Layout
from ...dedup.store import MAX_SAMPLE_DOCS, MIN_SHARED_SAMPLES
from ..outcome import KEPT
from .shuffle import Frame, concat, int_parts, split

# Pairs waiting at most before they are merged (16 bytes each while merged).
MERGE_PAIRS = 1 << 22
_EMPTY_LINKS = {"child": np.empty(0, np.int64), "parent": np.empty(0, np.int64)}
_TAG_MIX = np.uint64(0xC2B2AE3D27D4EB4F)


def range_parts(docs: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The shard of each doc id, shard i holding ids from starts[i] on."""
    return np.searchsorted(starts, docs, side="right") - 1


def kept_rows(table: Any, first: int) -> tuple[Any, np.ndarray]:
    """(the kept captures' rows of an outcome block, their doc ids from `first` on)."""
    import pyarrow.compute as pc

    kept = table.filter(pc.equal(table["status"], KEPT))
    return kept, np.arange(first, first + kept.num_rows, dtype=np.int64)


def _binary(column: Any, dtype: str) -> np.ndarray:
    return np.frombuffer(b"".join(column.to_pylist()), dtype=dtype)


@ray.remote
def prepare(first: int, layout: Layout, parts: int, *blocks: Any) -> tuple:
    """(candidate rows split by key, then the shard's live docs: id, signature, size)
    of a shard's outcome blocks."""
    tags, keys, docs, exact = [], [], [], []
    info: list[Frame] = []
    for table in blocks:
        kept, ids = kept_rows(table, first)
        first += len(ids)
        shingles = kept["shingles"].to_numpy(zero_copy_only=False)
        live = np.flatnonzero(shingles > 0)
        if not len(live):
            continue
        kept, ids, shingles = kept.take(live), ids[live], shingles[live]
        signatures = _binary(kept["signature"], "<u4").reshape(len(ids), layout.num_perm)
        bands = _binary(kept["bands"], "<i8").reshape(len(ids), layout.bands)
        hashes = _binary(kept["exact"], "V32")
        samples = kept["samples"].to_pylist()
        counts = np.array([len(s) // 8 for s in samples], dtype=np.int64)
        info.append({"doc": ids, "signature": signatures, "shingles": shingles})
        tags.append(np.tile(np.arange(layout.bands, dtype=np.int64), len(ids)))
        keys.append(bands.ravel())
        docs.append(np.repeat(ids, layout.bands))
        exact.append(np.repeat(hashes, layout.bands))
        tags.append(np.full(int(counts.sum()), layout.bands, dtype=np.int64))
        keys.append(np.frombuffer(b"".join(samples), dtype="<i8"))
        docs.append(np.repeat(ids, counts))
        exact.append(np.repeat(hashes, counts))
    rows = {
        "tag": np.concatenate(tags) if tags else np.empty(0, np.int64),
        "key": np.concatenate(keys) if keys else np.empty(0, np.int64),
        "doc": np.concatenate(docs) if docs else np.empty(0, np.int64),
        "exact": np.concatenate(exact) if exact else np.empty(0, "V32"),
    }
    mixed = rows["key"].astype(np.uint64) ^ (rows["tag"].astype(np.uint64) * _TAG_MIX)
    pieces = split(rows, int_parts(mixed.view(np.int64), parts), parts)
    docs_info = concat(info, like={"doc": np.empty(0, np.int64),
                                   "signature": np.empty((0, layout.num_perm), np.uint32),
                                   "shingles": np.empty(0, np.int64)})
    return (*pieces, docs_info)


def _changes(*columns: np.ndarray) -> np.ndarray:
    """Mask of the rows (sorted by the columns) where a new group of equal values starts."""
    new = np.ones(len(columns[0]), dtype=bool)
    if len(new):
        new[1:] = False
        for column in columns:
            new[1:] |= column[1:] != column[:-1]
    return new


@ray.remote
def candidates(n: int, bands: int, starts: np.ndarray, *pieces: Frame) -> tuple:
    """(candidate pair occurrences by the earlier doc's shard, sample counts by doc
    shard, exact links by child shard, the same by parent shard)."""
    parts = len(starts)
    rows = concat(pieces)
    _, exact = np.unique(rows["exact"], return_inverse=True)
    exact = exact.astype(np.int64).reshape(-1)
    order = np.lexsort((rows["doc"], exact, rows["key"], rows["tag"]))
    tag, key, doc, exact = rows["tag"][order], rows["key"][order], rows["doc"][order], exact[order]
    # Every copy of a body has all of its keys: in the rows of a key, the first doc of
    # each exact hash is the first body with that hash in the whole run.
    first = _changes(tag, key, exact)
    # exact links, from band 0's rows (one per live doc)
    band0 = tag == 0
    heads = _changes(exact[band0])
    docs0 = doc[band0]
    head = docs0[np.maximum.accumulate(np.where(heads, np.arange(len(docs0)), 0))]
    links = {"child": docs0[~heads], "parent": head[~heads]}
    # pairs of first bodies sharing a band key
    reps = first & (tag < bands)
    groups = np.cumsum(_changes(tag[reps], key[reps])) - 1
    banded, _ = _merged(pairs_of_equal_keys(groups, doc[reps], np.int64(n)))
    # sampled shingles: held by how many live docs (copies too); pairs of first bodies
    # sharing one that is not common, and how many such each first body has
    sampled_rows = tag == bands
    values, holders = np.unique(key[sampled_rows], return_counts=True)
    keep = sampled_rows & first
    keep[keep] = ~np.isin(key[keep], values[holders > MAX_SAMPLE_DOCS])
    sample_docs, sample_counts = np.unique(doc[keep], return_counts=True)
    sampled, shared = _merged(pairs_of_equal_keys(key[keep], doc[keep], np.int64(n)))
    pairs = {
        "pair": np.concatenate([banded, sampled]),
        "banded": np.concatenate([np.ones(len(banded), bool), np.zeros(len(sampled), bool)]),
        "shared": np.concatenate([np.zeros(len(banded), np.int64), shared.astype(np.int64)]),
    }
    counts = {"doc": sample_docs, "samples": sample_counts.astype(np.int64)}
    return (
        *split(pairs, range_parts(pairs["pair"] // n, starts), parts),
        *split(counts, range_parts(counts["doc"], starts), parts),
        *route_links(links, starts),
    )


def _merged(chunks: Iterator[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(distinct pairs, how many times each came) of chunks of pairs, merged whenever
    MERGE_PAIRS are waiting: redundant pairs (one per band a pair shares) never pile up,
    and each is sorted a few times at most."""
    pairs, counts = np.empty(0, np.int64), np.empty(0, np.int64)
    waiting: list[np.ndarray] = []
    held = 0
    for chunk in chunks:
        waiting.append(chunk)
        held += len(chunk)
        if held >= MERGE_PAIRS:
            pairs, counts = _summed(np.concatenate([pairs, *waiting]), np.concatenate(
                [counts, np.ones(held, np.int64)]))
            waiting, held = [], 0
    if waiting:
        pairs, counts = _summed(np.concatenate([pairs, *waiting]), np.concatenate(
            [counts, np.ones(held, np.int64)]))
    return pairs, counts


def _summed(keys: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`keys` made distinct, with the counts of equal ones added up."""
    distinct, inverse = np.unique(keys, return_inverse=True)
    return distinct, np.bincount(inverse.reshape(-1), weights=counts,
                                 minlength=len(distinct)).astype(np.int64)


def route_links(links: Frame, starts: np.ndarray) -> list[Frame]:
    """Links split by their child's shard, then by their parent's."""
    parts = len(starts)
    return [*split(links, range_parts(links["child"], starts), parts),
            *split(links, range_parts(links["parent"], starts), parts)]


def _attach(docs: np.ndarray, info: Frame, counts: Frame, signatures: bool = True
            ) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """(signatures, sizes, non-common sample counts) of `docs`, all in this shard."""
    at = np.searchsorted(info["doc"], docs)
    where = np.searchsorted(counts["doc"], docs)
    found = where < len(counts["doc"])
    found[found] = counts["doc"][where[found]] == docs[found]
    samples = np.zeros(len(docs), dtype=np.int64)
    samples[found] = counts["samples"][where[found]]
    return info["signature"][at] if signatures else None, info["shingles"][at], samples


def _sample_counts(pieces: list[Frame]) -> Frame:
    """Non-common sample counts per doc, summed over the key partitions."""
    counts = concat(pieces, like={"doc": np.empty(0, np.int64), "samples": np.empty(0, np.int64)})
    docs, inverse = np.unique(counts["doc"], return_inverse=True)
    return {"doc": docs, "samples": np.bincount(inverse.reshape(-1), weights=counts["samples"],
                                                minlength=len(docs)).astype(np.int64)}


@ray.remote
def earlier(n: int, starts: np.ndarray, info: Frame, pairs_count: int, *pieces: Frame) -> tuple:
    """Candidate pairs whose earlier doc is in this shard, summed and filtered as
    `_candidate_pairs` does, with that doc's size and sample count; by the later doc's
    shard: (pairs for shard j, then the signatures of their earlier docs, each once)."""
    parts = len(starts)
    codes, banded, shared = np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64)
    for piece in pieces[:pairs_count]:  # merged piece by piece: a pair comes once per band
        if piece and len(piece["pair"]):
            codes, sums = _summed(np.concatenate([codes, piece["pair"]]), np.concatenate(
                [banded * (1 << 32) + shared,
                 piece["banded"].astype(np.int64) * (1 << 32) + piece["shared"]]))
            banded, shared = sums >> 32, sums & 0xFFFFFFFF
    counts = _sample_counts(list(pieces[pairs_count:]))
    keep = (banded > 0) | (shared >= MIN_SHARED_SAMPLES)
    codes, shared = codes[keep], shared[keep]
    first = codes // n
    _, sizes, samples = _attach(first, info, counts, signatures=False)
    out = {"pair": codes, "shared": shared, "size": sizes, "samples": samples}
    where = range_parts(codes % n, starts)
    signed = []
    for j, piece in enumerate(split(out, where, parts)):
        docs = np.unique(piece["pair"] // n)
        signed.append({"doc": docs, "signature": info["signature"][np.searchsorted(info["doc"],
                                                                                   docs)]})
    return (*split(out, where, parts), *signed)


@ray.remote
def later(n: int, starts: np.ndarray, info: Frame, threshold: float, contained: float,
          pairs_count: int, signed_count: int, *pieces: Frame) -> tuple:
    """The best earlier match of each doc of this shard: parent links, by child shard
    then by parent shard."""
    pairs = concat(pieces[:pairs_count])
    signed = concat(pieces[pairs_count : pairs_count + signed_count])
    counts = _sample_counts(list(pieces[pairs_count + signed_count :]))
    if not pairs or not len(pairs["pair"]):
        return tuple(route_links(dict(_EMPTY_LINKS), starts))
    order = np.argsort(signed["doc"])
    known, signatures = signed["doc"][order], signed["signature"][order]
    codes = pairs["pair"]
    first, then = codes // n, codes % n
    _, sizes, samples = _attach(then, info, counts, signatures=False)
    sims = np.empty(len(codes))
    for lo in range(0, len(codes), PAIR_CHUNK):  # a step's signatures take ~20 MB at most
        part = slice(lo, lo + PAIR_CHUNK)
        theirs = signatures[np.searchsorted(known, first[part])]
        mine = info["signature"][np.searchsorted(info["doc"], then[part])]
        sims[part] = similarity(theirs, mine)
    judged = judge_pairs(sims, sizes, pairs["size"], samples, pairs["samples"],
                         pairs["shared"], threshold, contained)
    child, parent, _ = best_matches(first, then, *judged)
    return tuple(route_links({"child": child, "parent": parent}, starts))


@ray.remote
def jump(starts: np.ndarray, own_count: int, *pieces: Frame) -> tuple:
    """One round of pointer jumping: each link whose parent is in this shard moves to
    the parent's parent. (links by child shard, by parent shard, changed count)."""
    own = concat(pieces[:own_count], like=_EMPTY_LINKS)
    asks = concat(pieces[own_count:], like=_EMPTY_LINKS)
    order = np.argsort(own["child"])
    children, parents = own["child"][order], own["parent"][order]
    at = np.searchsorted(children, asks["parent"])
    found = at < len(children)
    found[found] = children[at[found]] == asks["parent"][found]
    moved = asks["parent"].copy()
    moved[found] = parents[at[found]]
    changed = int(np.count_nonzero(moved != asks["parent"]))
    return (*route_links({"child": asks["child"], "parent": moved}, starts), changed)
