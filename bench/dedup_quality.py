"""How well dedup groups captures of one page and keeps different pages apart.

Each devset page gives up to three captures: its text capture, its HTML capture, and a
re-capture synthesised from the text one with other boilerplate (menu lines dropped at
random, other pages' short lines added as menus and teasers). All are cleaned with
`cleaner.pipeline.clean_capture`, clustered with `cleaner.dedup.cluster`, and scored by
pairs: precision = same-page pairs / pairs put together, recall = same-page pairs put
together / same-page pairs. A threshold sweep shows where captures of one page and
different pages separate.

If the HTML path of the pipeline is not available, HTML captures are cleaned with
`trafilatura.extract` instead and the report says so.

Usage: python bench/dedup_quality.py [DEVSET] [--limit N] [--truncated]
"""
from __future__ import annotations

import argparse
import itertools
import random
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from cleaner.dedup import DEFAULT_CONTAINMENT, DEFAULT_THRESHOLD, Deduplicator, cluster
from cleaner.dedup.sketch import canonical, containment, word_hashes
from cleaner.dedup.sketch import shingle_hashes as sketch_shingles
from cleaner.document import Capture
from cleaner.pipeline import clean_capture
from cleaner.sources.files import read_capture

DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"
SEED = 4
# A line this short (in words) is taken for boilerplate when synthesising a re-capture.
MENU_WORDS = 6
# Share of the shorter body's shingles two captures of a page must share to count as
# joinable: below it, cleaning kept different text and no dedup threshold can help.
REACHABLE = 0.5
SWEEP = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


def recapture(text: str, others: list[str], rng: random.Random) -> str:
    """The same page captured another day: half its short lines gone, other lines added."""
    lines = [ln for ln in text.splitlines() if len(ln.split()) >= MENU_WORDS or rng.random() < 0.5]
    pool = [ln for other in others for ln in other.splitlines() if 1 <= len(ln.split()) <= 12]
    head = rng.sample(pool, min(len(pool), rng.randint(3, 10)))
    tail = rng.sample(pool, min(len(pool), rng.randint(3, 10)))
    return "\n".join(head + lines + tail)


def truncated(text: str, rng: random.Random) -> str:
    """A re-crawl cut off after 50 to 90 % of the text's lines."""
    lines = text.splitlines()
    return "\n".join(lines[: max(1, int(len(lines) * rng.uniform(0.5, 0.9)))])


def html_cleaner():
    """clean_capture if the HTML path works, else trafilatura.extract; with its label."""
    try:
        import cleaner.extract.html  # noqa: F401
    except ImportError:
        import trafilatura

        def extract(path: Path) -> str:
            html = read_capture(path).text
            return trafilatura.extract(html) or ""

        return extract, "trafilatura.extract (cleaner.extract.html missing)"
    return (lambda path: clean_capture(read_capture(path)).body), "clean_capture"


def build(devset: Path, limit: int | None, with_truncated: bool) -> tuple[list, str]:
    """[(page, kind, body)] for every capture that cleans to a non-empty body."""
    rng = random.Random(SEED)
    names = sorted(p.stem for p in (devset / "text").glob("*.txt"))[:limit]
    texts = {n: read_capture(devset / "text" / f"{n}.txt").text for n in names}
    html_clean, html_label = html_cleaner()
    items = []
    for name in names:
        text = texts[name]
        others = [texts[o] for o in rng.sample(names, min(3, len(names)))]
        variants = {
            "text": clean_capture(read_capture(devset / "text" / f"{name}.txt")).body,
            "recapture": clean_capture(Capture(text=recapture(text, others, rng))).body,
        }
        html = devset / "html" / f"{name}.html"
        if html.is_file():
            variants["html"] = html_clean(html)
        if with_truncated:
            variants["truncated"] = clean_capture(Capture(text=truncated(text, rng))).body
        items.extend((name, kind, body) for kind, body in variants.items() if body.strip())
    return items, html_label


def pair_scores(clusters: list[list[int]], pages: list[str]) -> tuple[float, float, list]:
    """Pairwise precision, recall, and the pairs of distinct pages put together."""
    together = {(a, b) for c in clusters for a, b in itertools.combinations(sorted(c), 2)}
    by_page = defaultdict(list)
    for i, page in enumerate(pages):
        by_page[page].append(i)
    truth = {p for ids in by_page.values() for p in itertools.combinations(sorted(ids), 2)}
    hits = len(together & truth)
    wrong = sorted({tuple(sorted((pages[a], pages[b]))) for a, b in together - truth})
    precision = hits / len(together) if together else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("devset", nargs="?", type=Path, default=DEVSET)
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--truncated", action="store_true", help="add truncated re-crawls")
    args = parser.parse_args()

    start = time.perf_counter()
    items, html_label = build(args.devset, args.limit, args.truncated)
    pages = [page for page, _, _ in items]
    kinds = defaultdict(int)
    for _, kind, _ in items:
        kinds[kind] += 1
    print(f"captures: {dict(kinds)} from {len(set(pages))} pages "
          f"(cleaned in {time.perf_counter() - start:.0f} s); HTML cleaned by {html_label}")

    dedup = Deduplicator()
    sketches = [dedup.sketch(body) for _, _, body in items]
    sigs = np.stack([s.signature for s in sketches])
    sizes = np.array([s.shingles for s in sketches])
    by_page = defaultdict(list)
    for i, page in enumerate(pages):
        by_page[page].append(i)
    same = defaultdict(list)
    best_other = np.zeros(len(items))
    for i in range(len(items)):
        sim = (sigs == sigs[i]).mean(axis=1)
        for j in by_page[pages[i]]:
            if j != i:
                same[(items[i][1], items[j][1])].append(sim[j])
        others = [j for j in np.argsort(-sim)[:20] if pages[j] != pages[i]]
        best_other[i] = sim[others[0]] if others else 0.0
    print("\nestimated Jaccard of captures of one page (5-word shingles):")
    for (a, b), values in sorted(same.items()):
        if a < b:
            v = np.array(values)
            print(f"  {a:>9} vs {b:<9} n={len(v):4d}  min={v.min():.2f}  p1={np.quantile(v, .01):.2f}"
                  f"  p5={np.quantile(v, .05):.2f}  median={np.median(v):.2f}")
    print(f"  most similar capture of another page: max={best_other.max():.2f}  "
          f"p99={np.quantile(best_other, .99):.2f}  p99.9={np.quantile(best_other, .999):.2f}")

    reachable = reachable_pairs(items, by_page)
    print(f"\nsame-page pairs whose cleaned bodies share >= {REACHABLE:.0%} of the shorter one's "
          f"shingles (exact count): {sum(reachable.values())} of {len(reachable)}; the others "
          "differ because cleaning kept different text, beyond any dedup threshold")

    print(f"\nclustering, containment {DEFAULT_CONTAINMENT}: threshold -> pairwise precision, "
          "recall (all pairs / reachable pairs), distinct pages merged")
    for threshold in sorted({*SWEEP, DEFAULT_THRESHOLD}):
        report(items, pages, reachable, threshold, DEFAULT_CONTAINMENT)
    print(f"\nclustering, threshold {DEFAULT_THRESHOLD}: containment -> same")
    for share in (0.7, 0.8, 0.9, 1.0):
        report(items, pages, reachable, DEFAULT_THRESHOLD, share)

    clusters = cluster_ids(items, DEFAULT_THRESHOLD, DEFAULT_CONTAINMENT)
    home = {i: n for n, c in enumerate(clusters) for i in c}
    print(f"\nrecall by kind of pair at the defaults ({DEFAULT_THRESHOLD}, {DEFAULT_CONTAINMENT}):")
    kinds = defaultdict(lambda: [0, 0])
    for ids in by_page.values():
        for a, b in itertools.combinations(ids, 2):
            pair = " vs ".join(sorted((items[a][1], items[b][1])))
            kinds[pair][0] += home[a] == home[b]
            kinds[pair][1] += 1
    for pair, (hit, total) in sorted(kinds.items()):
        print(f"  {pair:<22} {hit / total:.4f} ({hit}/{total})")
    _, _, wrong = pair_scores(clusters, pages)
    for a, b in wrong:
        ia, ib = by_page[a], by_page[b]
        sim, i, j = max(((sigs[i] == sigs[j]).mean(), i, j) for i in ia for j in ib)
        share = containment(sim, sizes[i], sizes[j])
        same = " (identical cleaned bodies)" if sketches[i].exact == sketches[j].exact else ""
        print(f"  distinct pages merged: {a} ({items[i][1]}) ~ {b} ({items[j][1]}): "
              f"J={sim:.2f} C={share:.2f}{same}")


def reachable_pairs(items: list, by_page: dict) -> dict:
    """{(i, j): whether captures i and j of one page share enough shingles to be joined}."""
    dedup = Deduplicator()
    out = {}
    for ids in by_page.values():
        sets = {i: set(shingle_hashes(items[i][2], dedup.layout.shingle)) for i in ids}
        for a, b in itertools.combinations(ids, 2):
            shorter = min(len(sets[a]), len(sets[b])) or 1
            out[(a, b)] = len(sets[a] & sets[b]) / shorter >= REACHABLE
    return out


def report(items: list, pages: list, reachable: dict, threshold: float, share: float) -> None:
    clusters = cluster_ids(items, threshold, share)
    precision, recall, wrong = pair_scores(clusters, pages)
    home = {i: n for n, c in enumerate(clusters) for i in c}
    ok = [pair for pair, fine in reachable.items() if fine]
    within = sum(home[a] == home[b] for a, b in ok) / len(ok) if ok else 1.0
    mark = "  <- default" if (threshold, share) == (DEFAULT_THRESHOLD, DEFAULT_CONTAINMENT) else ""
    print(f"  {threshold if share == DEFAULT_CONTAINMENT else share:.2f}: P={precision:.4f} "
          f"R={recall:.4f} / {within:.4f}  merged={len(wrong)}{mark}")


def cluster_ids(items: list, threshold: float, share: float) -> list[list[int]]:
    """Clusters of item indexes."""
    dedup = Deduplicator(threshold=threshold, containment=share)
    keyed = ((str(i), body) for i, (_, _, body) in enumerate(items))
    return [[int(k) for k in c] for c in cluster(keyed, dedup)]


def shingle_hashes(body: str, size: int) -> list[int]:
    """The exact shingle hashes of a body, as the index computes them."""
    words, _ = word_hashes(canonical(body))
    return sketch_shingles(words, min(size, len(words)) or 1).tolist()


if __name__ == "__main__":
    main()
