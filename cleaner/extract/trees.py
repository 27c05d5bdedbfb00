"""Gradient-boosted trees evaluated from flat lists: the page type model's inner loop.

The model's trees are shallow (depth 3): each is stored as a complete binary tree of
the model's depth, in flat lists of (trees x nodes) split features and thresholds and
(trees x leaves) leaf values, the learning rate folded in. A leaf above the bottom level
becomes a split that always goes left (threshold +inf) over copies of its value. A page
walks each tree one level per step and adds its leaf to its class's score, in the trees'
order. Compiled by mypyc (setup.py's COMPILED), the loop over the 1,050 trees of a model
costs a fraction of what NumPy's array operations did on one page (their calls, not
their arithmetic, were the cost), with the same sums in the same order.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

# A leaf's feature index in the exported trees.
LEAF: Final = -1


class Forest:
    """The trees of one model (see the module's doc), built from the exported lists:
    per tree its root node and its class; per node its feature (LEAF for a leaf),
    threshold, left and right child (absolute node numbers) and value."""

    __slots__ = ("bottom", "classes", "depth", "feature", "init", "inner", "leaves", "threshold",
                 "tree_class", "trees", "value")

    def __init__(self, init: Sequence[float], roots: Sequence[int], tree_class: Sequence[int],
                 feature: Sequence[int], threshold: Sequence[float], left: Sequence[int],
                 right: Sequence[int], value: Sequence[float]) -> None:
        self.init: list[float] = [float(v) for v in init]
        self.classes: int = len(init)
        self.tree_class: list[int] = list(tree_class)
        self.trees: int = len(roots)
        self.depth: int = max((_depth_of(root, feature, left, right) for root in roots), default=0)
        # (shifts, not powers: a power of ints is no int to mypy, and is slow compiled)
        self.bottom: int = (1 << self.depth) - 1  # where the bottom level's positions start
        self.inner: int = max(1, self.bottom)
        self.leaves: int = 1 << self.depth
        self.feature: list[int] = [0] * (self.trees * self.inner)
        self.threshold: list[float] = [math.inf] * (self.trees * self.inner)
        self.value: list[float] = [0.0] * (self.trees * self.leaves)
        for tree, root in enumerate(roots):
            self._place(tree, root, 0, 0, feature, threshold, left, right, value)

    def _place(self, tree: int, node: int, position: int, level: int, feature: Sequence[int],
               threshold: Sequence[float], left: Sequence[int], right: Sequence[int],
               value: Sequence[float]) -> None:
        """Put exported node `node` at `position` (0 the root) of tree `tree`."""
        if level == self.depth:  # the bottom: a leaf (the exported tree is no deeper)
            self.value[tree * self.leaves + position - self.bottom] = float(value[node])
            return
        children: tuple[int, int]
        if feature[node] == LEAF:  # a leaf above the bottom: go left to a copy
            children = (node, node)
        else:
            self.feature[tree * self.inner + position] = feature[node]
            self.threshold[tree * self.inner + position] = float(threshold[node])
            children = (left[node], right[node])
        self._place(tree, children[0], 2 * position + 1, level + 1, feature, threshold, left,
                    right, value)
        self._place(tree, children[1], 2 * position + 2, level + 1, feature, threshold, left,
                    right, value)

    def raw_scores(self, x: Sequence[float]) -> list[float]:
        """Raw score per class of a row of features (in the model's feature order): the
        class's initial score plus the leaves its trees reach, added in the trees' order."""
        row = [float(v) for v in x]
        feature = self.feature
        threshold = self.threshold
        value = self.value
        tree_class = self.tree_class
        depth = self.depth
        inner = self.inner
        leaves = self.leaves
        bottom = self.bottom
        sums = [0.0] * self.classes
        for tree in range(self.trees):
            base = tree * inner
            node = 0
            for _ in range(depth):
                at = base + node
                node = 2 * node + 2 if row[feature[at]] > threshold[at] else 2 * node + 1
            sums[tree_class[tree]] += value[tree * leaves + node - bottom]
        init = self.init
        return [init[k] + sums[k] for k in range(self.classes)]

    def probabilities(self, x: Sequence[float]) -> list[float]:
        """Probability per class of a row of features: the softmax of the raw scores."""
        raw = self.raw_scores(x)
        top = max(raw)
        exps = [math.exp(r - top) for r in raw]
        total = sum(exps)
        return [e / total for e in exps]


def _depth_of(node: int, feature: Sequence[int], left: Sequence[int], right: Sequence[int]) -> int:
    """Levels below exported node `node`."""
    if feature[node] == LEAF:
        return 0
    return 1 + max(_depth_of(left[node], feature, left, right),
                   _depth_of(right[node], feature, left, right))
