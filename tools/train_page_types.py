"""Train the page type models and write cleaner/extract/page_type_model.json.gz.

usage: python tools/train_page_types.py [--wcxb DIR] [--devset DIR] [--cache FILE]
                                        [--folds 5] [--no-write] [--out-of-fold FILE]

Needs scikit-learn at training time only (`pip install scikit-learn`); the package
evaluates the exported trees itself. Reads the labelled pages of the WCXB development
split (Foley 2026, CC-BY-4.0: ../shared/wcxb-dev), computes each page's features
(cleaner/extract/page_features.py) as an HTML page and as a text capture (its blocks'
lines, what a browser's innerText roughly gives), and:

1. cross-validates each model: 5 folds, stratified by type and grouped by site (pages
   of one host are never split between training and test), and prints accuracy per
   type and the confusion matrix, for pages with their URL and without it (each page
   is learnt both ways: a capture may come without its sidecar);
2. fits each model on all pages and checks that the exported trees give the same
   probabilities as scikit-learn;
3. with --devset, prints the share of the dev set's news pages (HTML and text) typed
   article: pages from another source than the training set;
4. writes the models (unless --no-write), and with --out-of-fold each page's
   cross-validated probabilities, with which bench/wcxb.py measures extraction as it
   goes on pages the model has not seen (the shipped model has seen these).

Every random choice has a fixed seed: the same data give the same file.

Example: python tools/train_page_types.py --devset ../shared/devset --cache /tmp/pt-features.pkl
"""
from __future__ import annotations

import argparse
import gzip
import json
import pickle
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import StratifiedGroupKFold

from cleaner.document import Line
from cleaner.extract import page_type
from cleaner.extract.blocks import parse_html, read_page
from cleaner.extract.capture_features import text_features, url_features
from cleaner.extract.page_features import html_features
from cleaner.extract.page_type import PAGE_TYPES, Trees
from cleaner.text.lines import split_lines

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WCXB = ROOT.parent / "shared" / "wcxb-dev"
MODEL_PATH = ROOT / "cleaner" / "extract" / page_type.MODEL_FILE
SEED = 0
# Chosen by cross-validation on the split (grouped by site), among 100-300 trees of
# depth 2-4: deeper or more trees gained nothing measurable and made the file larger.
PARAMS = {
    "n_estimators": 150, "max_depth": 3, "learning_rate": 0.1, "subsample": 0.8,
    "random_state": SEED,
}
# Leaf values are stored with this many significant digits (the file stays small),
# thresholds exactly. scikit-learn compares features as float32, the package as
# Python floats, so a value within float32 rounding of a threshold may branch the
# other way: the check allows small gaps, and no change of the most probable type.
DIGITS = 7
MAX_PROBABILITY_GAP = 1e-2
# The package's floors (page_type.classify_html, classify_lines).
FLOORS = {
    page_type.HTML_MODEL: page_type.MIN_OTHER_CONFIDENCE_HTML,
    page_type.HTML_MODEL + page_type.NO_URL: page_type.MIN_OTHER_CONFIDENCE_HTML,
    page_type.TEXT_MODEL: page_type.MIN_OTHER_CONFIDENCE_TEXT,
    page_type.TEXT_MODEL + page_type.NO_URL: page_type.MIN_OTHER_CONFIDENCE_TEXT_NO_URL,
}


def page_lines(page) -> list[str]:
    """A page's visible text as a text capture gives it: one line per line of a block."""
    return [line for block in page.blocks for line in block.text.split("\n") if line]


def read_features(path: Path, url: str | None) -> tuple[dict, dict]:
    """(HTML features, text features) of one page file (.html or .html.gz)."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    html = data.decode("utf-8", "replace")
    tree = parse_html(html)
    if tree is None:
        return {}, {}
    page = read_page(tree)
    return html_features(page, url), lines_features(page_lines(page), url)


def lines_features(lines: list[str], url: str | None) -> dict:
    """A text capture's features from its lines, with their LineFacts as the line
    heuristics measure them (what the pipeline hands the model)."""
    return text_features([Line(line) for line in lines], url)


def without_url(row: dict) -> dict:
    """The features of the same page captured without its URL (no sidecar)."""
    unknown: dict[str, float] = {}
    url_features(None, unknown)
    return {**row, **unknown}


def wcxb_features(wcxb: Path, cache: Path | None) -> tuple[list[str], list[str], list[dict], list[dict]]:
    """(ids, labels, HTML features, text features) of every labelled page."""
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    labels = json.loads((wcxb / "gt.json").read_text(encoding="utf-8"))
    ids = sorted(labels)
    html_rows, text_rows = [], []
    for n, key in enumerate(ids):
        found = read_features(wcxb / "html" / f"{key}.html.gz", labels[key].get("url"))
        html_rows.append(found[0])
        text_rows.append(found[1])
        if n % 250 == 0:
            print(f"  features: {n}/{len(ids)}", file=sys.stderr)
    result = (ids, [labels[k]["page_type"] for k in ids], html_rows, text_rows)
    if cache:
        cache.write_bytes(pickle.dumps(result))
    return result


def site(url: str | None) -> str:
    return (urlsplit(url or "").hostname or "").removeprefix("www.")


def matrix(rows: list[dict]) -> tuple[list[str], np.ndarray]:
    names = sorted({name for row in rows for name in row})
    return names, np.array([[row.get(n, 0.0) for n in names] for row in rows], dtype=float)


def cross_validate(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int
) -> tuple[np.ndarray, list[dict[str, float]]]:
    """Out-of-fold types and probabilities, folds grouped by site and stratified by type;
    types decided from the probabilities as the package decides (page_type.decide)."""
    predicted = np.empty(len(y), dtype=object)
    probabilities: list[dict[str, float]] = [{} for _ in y]
    splitter = StratifiedGroupKFold(folds, shuffle=True, random_state=SEED)
    for train, test in splitter.split(x, y, groups):
        model = GradientBoostingClassifier(**PARAMS).fit(x[train], y[train])
        for index, row in zip(test, model.predict_proba(x[test])):
            probabilities[index] = {str(t): float(p) for t, p in zip(model.classes_, row)}
            predicted[index] = page_type.decide(probabilities[index]).name
    return predicted, probabilities


def report(name: str, y: np.ndarray, predicted: np.ndarray) -> None:
    print(f"\n{name} model, cross-validated ({len(y)} pages): accuracy {np.mean(predicted == y):.3f}")
    print("| page type | pages | recall | precision |")
    print("|---|---:|---:|---:|")
    for t in PAGE_TYPES:
        mine = y == t
        said = predicted == t
        precision = np.mean(y[said] == t) if said.any() else 0.0
        print(f"| {t} | {mine.sum()} | {np.mean(predicted[mine] == t):.3f} | {precision:.3f} |")
    print("confusion (rows: label, columns: predicted, in PAGE_TYPES order):")
    for t in PAGE_TYPES:
        counts = Counter(predicted[y == t])
        print(f"  {t:<14}" + " ".join(f"{counts.get(p, 0):>4}" for p in PAGE_TYPES))


def export(model: GradientBoostingClassifier, names: list[str], x: np.ndarray) -> dict:
    """The model as plain data, checked against scikit-learn's own probabilities."""
    init = model._raw_predict_init(x[:1])[0]  # the prior's raw scores (same for every page)
    stages = []
    for stage in model.estimators_:
        trees = []
        for estimator in stage:
            tree = estimator.tree_
            leaf = tree.children_left < 0
            trees.append({
                "feature": [-1 if is_leaf else int(f) for f, is_leaf in zip(tree.feature, leaf)],
                "threshold": [0.0 if is_leaf else float(t)
                              for t, is_leaf in zip(tree.threshold, leaf)],
                "left": [int(n) for n in tree.children_left],
                "right": [int(n) for n in tree.children_right],
                "value": [float(f"{v:.{DIGITS}g}") for v in tree.value[:, 0, 0]],
            })
        stages.append(trees)
    data = {
        "types": [str(t) for t in model.classes_], "features": names,
        "init": [float(v) for v in init], "learning_rate": model.learning_rate, "trees": stages,
    }
    trees = Trees.from_json(data)
    theirs = model.predict_proba(x)
    worst = 0.0
    changed = 0
    for row, probabilities in zip(x, theirs):
        ours = trees.probabilities(dict(zip(names, row)))
        worst = max(worst, max(abs(ours[t] - p) for t, p in zip(model.classes_, probabilities)))
        changed += max(ours, key=ours.__getitem__) != model.classes_[np.argmax(probabilities)]
    print(f"exported trees vs scikit-learn: largest probability gap {worst:.2e}, "
          f"{changed} pages typed otherwise")
    if worst > MAX_PROBABILITY_GAP or changed:
        raise SystemExit("the exported model does not reproduce scikit-learn's: not written")
    return data


def devset_check(devset: Path, models: dict[str, Trees]) -> None:
    """Share of the dev set's news pages typed article, as HTML and as text."""
    annotations = json.loads((devset / "annotations.json").read_text(encoding="utf-8"))
    said: dict[str, Counter] = {"html": Counter(), "text": Counter()}
    for name, note in sorted(annotations.items()):
        url = note.get("url")
        html_row, _ = read_features(devset / "html" / name, url)
        html_probabilities = models["html"].probabilities(html_row)
        said["html"][page_type.decide_html(html_probabilities).name] += 1
        text_path = devset / "text" / (Path(name).stem + ".txt")
        lines = [line.text for line in split_lines(text_path.read_text(encoding="utf-8"))]
        text_probabilities = models["text"].probabilities(lines_features(lines, url))
        said["text"][page_type.decide_text(text_probabilities, bool(url), len(lines)).name] += 1
    for kind, counts in said.items():
        total = sum(counts.values())
        print(f"devset {kind}: {counts[page_type.ARTICLE] / total:.3f} typed article "
              f"({', '.join(f'{t} {n}' for t, n in counts.most_common())})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wcxb", type=Path, default=DEFAULT_WCXB)
    parser.add_argument("--devset", type=Path)
    parser.add_argument("--cache", type=Path, help="keep the computed features in this file")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--out-of-fold", type=Path, help="write each page's cross-validated "
                        "probabilities here (for bench/wcxb.py --out-of-fold)")
    args = parser.parse_args(argv)

    ids, labels, html_rows, text_rows = wcxb_features(args.wcxb, args.cache)
    gt = json.loads((args.wcxb / "gt.json").read_text(encoding="utf-8"))
    sites = [site(gt[k].get("url")) for k in ids]
    print(f"{len(ids)} pages of {len(set(sites))} sites; {dict(Counter(labels))}")
    # A model per kind of capture, and one more for each without its URL (a capture with
    # no sidecar): the same pages, their URL features blank.
    y = np.array(labels)
    groups = np.array(sites)
    exported: dict[str, dict] = {}
    out_of_fold: dict[str, dict] = {}
    for kind, rows in (
        (page_type.HTML_MODEL, html_rows),
        (page_type.HTML_MODEL + page_type.NO_URL, [without_url(row) for row in html_rows]),
        (page_type.TEXT_MODEL, text_rows),
        (page_type.TEXT_MODEL + page_type.NO_URL, [without_url(row) for row in text_rows]),
    ):
        names, x = matrix(rows)
        predicted, probabilities = cross_validate(x, y, groups, args.folds)
        for key, found in zip(ids, probabilities):
            out_of_fold.setdefault(key, {})[kind] = found
        report(kind, y, predicted)
        if floor := FLOORS.get(kind):
            decided = np.array([
                page_type.decide_text(found, not kind.endswith(page_type.NO_URL), int(row["l_n"])).name
                if kind.startswith(page_type.TEXT_MODEL) else page_type.decide_html(found).name
                for found, row in zip(probabilities, rows)
            ])
            own = ("" if kind.startswith(page_type.TEXT_MODEL)
                   else f", {dict(page_type.HTML_TYPE_FLOORS)} for those")
            print(f"as the package decides (article unless another type has >= {floor}{own}; "
                  f"text: or under {page_type.MIN_TYPED_LINES} lines): "
                  f"accuracy {np.mean(decided == y):.3f}, articles kept "
                  f"{np.mean(decided[y == page_type.ARTICLE] == page_type.ARTICLE):.3f}")
        exported[kind] = export(GradientBoostingClassifier(**PARAMS).fit(x, y), names, x)
    if args.out_of_fold:
        args.out_of_fold.write_text(json.dumps(out_of_fold, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote out-of-fold probabilities to {args.out_of_fold}")
    models = {kind: Trees.from_json(data) for kind, data in exported.items()}
    if args.devset:
        devset_check(args.devset, models)
    if not args.no_write:
        header = {
            "about": "cleaner page type models: gradient-boosted trees (scikit-learn "
                     "GradientBoostingClassifier, exported) trained by tools/train_page_types.py "
                     "on the WCXB development split (Foley 2026, CC-BY-4.0).",
            "params": PARAMS,
        }
        MODEL_PATH.write_bytes(page_type.dump_models(header, exported))
        print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1024} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
