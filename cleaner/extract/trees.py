"""Gradient-boosted trees evaluated all at once with NumPy: the page type model's inner loop.

The model's trees are shallow (depth 3): each is stored as a complete binary tree of
the model's depth, in arrays of (trees x nodes) split features and thresholds and
(trees x leaves) leaf values, the learning rate folded in. A leaf above the bottom level
becomes a split that always goes left (threshold +inf) over copies of its value. A page
then walks every tree one level per step, all trees together: a few array operations per
level instead of a Python loop over a thousand trees (0.06 ms a page against 0.4 ms,
with the same scores).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

# A leaf's feature index in the exported trees.
LEAF = -1
# Trees of at most this many splits (depth 3 has 7) are read through a table of their
# leaves (`Forest.leaf_of`), in fewer and cheaper array operations than walking them
# level by level; deeper trees are walked.
TABLE_SPLITS = 8
# Gathers the lowest bit of each byte of a 64-bit number into its top byte (bit 7 - i
# from byte i), which SHIFT brings down.
PACK = np.uint64(0x0102040810204080)
SHIFT = np.uint64(56)


class Forest:
    """The trees of one model (see the module's doc), built from the exported lists:
    per tree its root node and its class; per node its feature (LEAF for a leaf),
    threshold, left and right child (absolute node numbers) and value."""

    __slots__ = ("base", "classes", "depth", "feature", "init", "leaf_base",
                 "leaf_of", "leaf_start", "split_feature", "split_threshold", "threshold",
                 "tree_class", "value")

    def __init__(self, init: Sequence[float], roots: Sequence[int], tree_class: Sequence[int],
                 feature: Sequence[int], threshold: Sequence[float], left: Sequence[int],
                 right: Sequence[int], value: Sequence[float]) -> None:
        self.init = np.asarray(init, dtype=float)
        self.classes = len(init)
        self.tree_class = np.asarray(tree_class, dtype=np.intp)

        def depth_of(node: int) -> int:
            if feature[node] == LEAF:
                return 0
            return 1 + max(depth_of(left[node]), depth_of(right[node]))

        depth = self.depth = max((depth_of(root) for root in roots), default=0)
        inner, leaves = 2 ** depth - 1, 2 ** depth
        trees = len(roots)
        split = np.zeros((trees, max(1, inner)), dtype=np.intp)
        limit = np.full((trees, max(1, inner)), np.inf)
        values = np.zeros((trees, leaves))

        def place(tree: int, node: int, position: int, level: int) -> None:
            if level == depth:  # the bottom: a leaf (the exported tree is no deeper)
                values[tree, position - inner] = value[node]
            elif feature[node] == LEAF:  # a leaf above the bottom: go left to a copy
                place(tree, node, 2 * position + 1, level + 1)
                place(tree, node, 2 * position + 2, level + 1)
            else:
                split[tree, position] = feature[node]
                limit[tree, position] = threshold[node]
                place(tree, left[node], 2 * position + 1, level + 1)
                place(tree, right[node], 2 * position + 2, level + 1)

        for tree, root in enumerate(roots):
            place(tree, root, 0, 0)
        self.feature = split.ravel()
        self.threshold = limit.ravel()
        self.value = values.ravel()
        self.base = np.arange(trees, dtype=np.intp) * max(1, inner)
        self.leaf_base = np.arange(trees, dtype=np.intp) * leaves - inner
        # Shallow trees are read in one step: every split of every tree is answered at
        # once (their answers, one byte each, TABLE_SPLITS a tree, padded with splits
        # that go left), the eight bytes of a tree are read as one 64-bit number and
        # their bits gathered into its top byte by one multiplication (PACK), and that
        # byte says which leaf the tree's path ends in (`leaf_of`, a table of 256).
        self.leaf_of: Any = None
        if inner <= TABLE_SPLITS:
            padded_feature = np.zeros((trees, TABLE_SPLITS), dtype=np.intp)
            padded_threshold = np.full((trees, TABLE_SPLITS), np.inf)
            padded_feature[:, :inner] = split[:, :inner]
            padded_threshold[:, :inner] = limit[:, :inner]
            self.split_feature = padded_feature.ravel()
            self.split_threshold = padded_threshold.ravel()
            self.leaf_start = np.arange(trees, dtype=np.intp) * leaves
            self.leaf_of = np.zeros(1 << TABLE_SPLITS, dtype=np.intp)
            for code in range(1 << inner):
                answers = np.array([(code >> p) & 1 for p in range(TABLE_SPLITS)], dtype=bool)
                self.leaf_of[_packed(answers)[0]] = _leaf(code, depth)

    def raw_scores(self, x: Sequence[float]) -> Any:
        """Raw score per class of a row of features (in the model's feature order)."""
        row = np.asarray(x, dtype=float)
        if self.leaf_of is not None:
            # (mode="wrap": every index is in range, built with the model, and wrapping
            # costs take() fewer instructions than checking each against the bounds: a
            # quarter of the 8,400 reads of the text model's splits, measured)
            right = row.take(self.split_feature, mode="wrap") > self.split_threshold
            leaf = self.leaf_of.take(_packed(right), mode="wrap")
            leaves = self.value.take(self.leaf_start + leaf, mode="wrap")
            return self.init + np.bincount(self.tree_class, weights=leaves, minlength=self.classes)
        node = np.zeros(len(self.base), dtype=np.intp)
        for _ in range(self.depth):
            at = self.base + node
            node = 2 * node + 1 + (row[self.feature[at]] > self.threshold[at])
        leaves = self.value[self.leaf_base + node]
        return self.init + np.bincount(self.tree_class, weights=leaves, minlength=self.classes)

    def probabilities(self, x: Sequence[float]) -> list[float]:
        """Probability per class of a row of features: the softmax of the raw scores."""
        raw = self.raw_scores(x).tolist()
        top = max(raw)
        exps = [math.exp(r - top) for r in raw]
        total = sum(exps)
        return [e / total for e in exps]


def _leaf(code: int, depth: int) -> int:
    """The leaf (0 the leftmost) a complete tree of `depth` levels reaches when the split at
    position p goes right exactly when bit p of `code` is set."""
    node = 0
    for _ in range(depth):
        node = 2 * node + 1 + ((code >> node) & 1)
    return node - (2 ** depth - 1)


def _packed(answers: Any) -> Any:
    """Per tree, the TABLE_SPLITS answers (bools, one byte each, a tree's in a row) as the
    bits of one number, 0 to 255."""
    return (answers.view(np.uint64) * PACK) >> SHIFT
