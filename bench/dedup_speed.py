"""Near-duplicate detection speed: cleaner.dedup against datasketch MinHash + MinHashLSH.

Synthetic bodies of 200-600 words (Zipf-distributed words from a generated vocabulary,
paragraphs of 40-120 words), generated from a fixed seed; every 20th body is a copy of
an earlier one with 0.5-3 % of its words replaced, so the planted pairs have a Jaccard
similarity of about 0.75-0.95 on 5-word shingles. Each system sees each body once, asks
for an earlier near duplicate and registers the body if there is none (a crawler's
loop): cleaner with `Deduplicator.seen` one body at a time and with `seen_many` on
batches of 1,000; datasketch with 128 permutations and an LSH at the same threshold.

Everything runs on one core. Each measurement runs in its own forked process, after the
imports and one-time set-up, and counts CPU time (the machine is shared; the best of
two runs at the smaller size). Peak memory is that process's peak RSS above its RSS at
the start (the bodies are generated before the fork and not counted). datasketch is a
bench-only dependency: pip install datasketch.

Usage: python bench/dedup_speed.py [--docs 100000] [--datasketch-docs 10000] [--cpu 0]
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import resource
import time

import numpy as np

SEED = 20231111
VOCABULARY = 50_000
ZIPF = 1.1
DUPLICATE_EVERY = 20
THRESHOLD = 0.7
BATCH = 1000
REPEATS = 2
WORD = re.compile(r"\w+")


def vocabulary(rng: np.random.Generator) -> list[str]:
    """VOCABULARY distinct pronounceable words."""
    letters = np.array(list("etaoinshrdlucmfwypvbgkjqxz"))
    words: set[str] = set()
    while len(words) < VOCABULARY:
        for length in rng.integers(2, 11, size=VOCABULARY):
            words.add("".join(rng.choice(letters, size=length)))
    return sorted(words)[:VOCABULARY]


def bodies(count: int, seed: int = SEED) -> tuple[list[str], list[tuple[int, int]]]:
    """`count` bodies and the planted (original, copy) index pairs."""
    rng = np.random.default_rng(seed)
    vocab = np.array(vocabulary(rng))
    out: list[str] = []
    pairs = []
    for i in range(count):
        if i >= DUPLICATE_EVERY and i % DUPLICATE_EVERY == 0:
            original = int(rng.integers(0, i))
            words = out[original].split(" ")
            edits = rng.choice(len(words), size=max(1, int(len(words) * rng.uniform(0.005, 0.03))),
                               replace=False)
            for e in edits:
                words[e] = str(vocab[rng.integers(0, VOCABULARY)])
            out.append(" ".join(words))
            pairs.append((original, i))
            continue
        n = int(rng.integers(200, 601))
        ranks = np.minimum(rng.zipf(ZIPF, size=n), VOCABULARY) - 1
        words = vocab[ranks].tolist()
        cuts = np.cumsum(rng.integers(40, 121, size=n // 40 + 1))
        paragraphs = [" ".join(words[a:b]) for a, b in zip([0, *cuts], cuts) if a < n]
        out.append(".\n\n".join(paragraphs) + ".")
    return out, pairs


def run_cleaner(docs: list[str]) -> list[tuple[int, int]]:
    """Deduplicator.seen on each body, one at a time (a crawler's loop)."""
    from cleaner.dedup import Deduplicator

    dedup = Deduplicator(threshold=THRESHOLD)
    found = []
    for i, body in enumerate(docs):
        match = dedup.seen(body, str(i))
        if match is not None:
            found.append((int(match.key), i))
    return found


def run_cleaner_batch(docs: list[str]) -> list[tuple[int, int]]:
    """Deduplicator.seen_many on batches of BATCH bodies (a batch job's loop)."""
    from cleaner.dedup import Deduplicator

    dedup = Deduplicator(threshold=THRESHOLD)
    found = []
    for at in range(0, len(docs), BATCH):
        chunk = docs[at : at + BATCH]
        keys = [str(at + i) for i in range(len(chunk))]
        for i, match in enumerate(dedup.seen_many(chunk, keys)):
            if match is not None:
                found.append((int(match.key), at + i))
    return found


def run_datasketch(docs: list[str]) -> list[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=128)
    found = []
    for i, body in enumerate(docs):
        words = WORD.findall(body.lower())
        shingles = {" ".join(words[j : j + 5]).encode() for j in range(max(1, len(words) - 4))}
        mh = MinHash(num_perm=128)
        mh.update_batch(list(shingles))
        hits = lsh.query(mh)
        if hits:
            found.append((int(min(hits, key=int)), i))
        else:
            lsh.insert(str(i), mh)
    return found


def rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def measure(args: tuple) -> tuple[float, float, list]:
    """(CPU seconds, peak MB above the start, pairs found) of one system on the first n
    bodies. CPU time, not wall time: the machine is shared, and one core is what counts."""
    name, n = args
    docs = DOCS[:n]
    # Touch every body first: the fork shares the parent's pages copy-on-write, and the
    # first reference count change on each page would copy it inside the timed part.
    sum(map(len, docs))
    start_kb = rss_kb()
    began = time.process_time()
    found = RUNS[name](docs)
    elapsed = time.process_time() - began
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return elapsed, max(0, peak_kb - start_kb) / 1024, found


def in_child(name: str, n: int) -> tuple[float, float, list]:
    with multiprocessing.get_context("fork").Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(measure, ((name, n),))


def recall(found: list, planted: list, n: int) -> float:
    """Share of the planted copies within the first n bodies reported as duplicates."""
    want = {copy for _, copy in planted if copy < n}
    return len(want & {copy for _, copy in found}) / len(want) if want else 1.0


def warm_up() -> None:
    """Import both libraries and build cleaner's lookup tables before the forks, so that
    neither the imports nor one-time set-up are timed as throughput."""
    import datasketch  # noqa: F401

    from cleaner.dedup import Deduplicator

    Deduplicator().sketch("warm up " * 2000)


DOCS: list[str] = []
RUNS = {"seen": run_cleaner, "seen_many": run_cleaner_batch, "datasketch": run_datasketch}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--datasketch-docs", type=int, default=10_000)
    parser.add_argument("--cpu", type=int, default=0, help="the one core to run on")
    args = parser.parse_args()
    os.sched_setaffinity(0, {args.cpu})
    warm_up()

    began = time.perf_counter()
    docs, planted = bodies(args.docs)
    DOCS.extend(docs)
    words = sum(len(d.split()) for d in docs) / len(docs)
    print(f"{len(docs)} bodies, {words:.0f} words on average, {len(planted)} planted near "
          f"duplicates (generated in {time.perf_counter() - began:.0f} s); one core (cpu {args.cpu})")

    rows = []
    small = min(10_000, args.docs)
    plan = [("seen", small), ("seen", args.docs), ("seen_many", small), ("seen_many", args.docs),
            ("datasketch", min(small, args.datasketch_docs)), ("datasketch", args.datasketch_docs)]
    plan = list(dict.fromkeys(plan))
    for name, n in plan:
        # The best of REPEATS runs (one for the full size): the machine is shared, and
        # other work only ever slows a run down.
        runs = [in_child(name, n) for _ in range(REPEATS if n < args.docs else 1)]
        elapsed, mb, found = min(runs, key=lambda run: run[0])
        rows.append((name, n, elapsed))
        print(f"  {name:<10} {n:>7} docs: {elapsed:7.1f} CPU s  {n / elapsed:7.0f} docs/s  "
              f"peak +{mb:5.0f} MB  planted copies found {recall(found, planted, n):.3f}  "
              f"duplicates reported {len(found)}", flush=True)
    speed = {(name, n): n / t for name, n, t in rows}
    times = {(name, n): t for name, n, t in rows}
    for name in ("seen", "seen_many"):
        ratios = ", ".join(
            f"{speed[(name, n)] / speed[('datasketch', n)]:.1f}x at {n}"
            for n in sorted({small, args.docs}) if ("datasketch", n) in speed
        )
        print(f"{name}: docs/s over datasketch's at the same size: {ratios}; time {small} -> "
              f"{args.docs} docs: x{times[(name, args.docs)] / times[(name, small)]:.1f} "
              f"for x{args.docs / small:.0f} the docs")
    if ("datasketch", args.docs) in times and args.docs > small:
        growth = times[("datasketch", args.docs)] / times[("datasketch", small)]
        print(f"datasketch: time {small} -> {args.docs} docs: x{growth:.1f}")

if __name__ == "__main__":
    main()
