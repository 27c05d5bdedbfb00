"""Parts of a page sent late by streaming server rendering, put where a browser shows them.

React's streaming server rendering (Next.js and the other frameworks on it) sends what
is ready first and the rest later in the same response: each late part is a
`<div hidden id="S:n">` near the end of the body, and an inline script moves it into its
place: `$RC("B:n","S:m")` (and `$RR`, the same with stylesheets) in place of a Suspense
boundary's `<template id="B:n">` and the fallback after it (a spinner, a skeleton), up to
the boundary's closing `<!--/$-->` comment; `$RS("S:m","P:n")` in place of a
`<template id="P:n">` placeholder. A reader's browser runs those scripts, so the story
is on the screen; a crawler's capture holds it in a hidden element, which the blocks
would drop with everything else hidden. Here the moves are done as the scripts say,
and a part no script places is shown where it stands.
"""
from __future__ import annotations

import re
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

# React writes the ids in hexadecimal.
MOVE: Final = re.compile(r'\$R[CRS]\("([BPS]:[0-9a-f]+)","([BPS]:[0-9a-f]+)"')
SEGMENT_PREFIX: Final = "S:"
# The comments around a Suspense boundary: opened ($, $? pending, $! client-rendered)
# and closed.
BOUNDARY_OPEN: Final = ("$", "$?", "$!")
BOUNDARY_CLOSE: Final = "/$"


def is_segment(node: LexborNode) -> bool:
    """Whether a hidden element is a late part of the page (see above)."""
    return node.tag == "div" and (node.id or "").startswith(SEGMENT_PREFIX)


def show_segments(tree: LexborHTMLParser, segments: list[LexborNode]) -> None:
    """Move each of `segments` (hidden late parts of `tree`'s page) where its script puts
    it, in the scripts' order; unhide the ones no script places."""
    waiting = {node.id: node for node in segments}
    for script in tree.css("script"):
        text = script.text()
        if "$R" not in text:
            continue
        for first, second in MOVE.findall(text):
            segment_id, target_id = (second, first) if first.startswith("B:") else (first, second)
            segment = waiting.get(segment_id)
            target = tree.css_first(f'template[id="{target_id}"]')
            if segment is None or target is None or lies_within(target, segment):
                continue  # (a placeholder inside its own part: that part stays where it is)
            del waiting[segment_id]
            if target_id.startswith("B:"):
                drop_fallback(target)
            child = segment.first_child
            while child is not None:
                following = child.next
                target.insert_before(child)
                child = following
            target.decompose()
            segment.decompose()
    for segment in waiting.values():
        del segment.attrs["hidden"]


def lies_within(node: LexborNode, ancestor: LexborNode) -> bool:
    """Whether `node` stands inside `ancestor`."""
    parent = node.parent
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


def drop_fallback(boundary: LexborNode) -> None:
    """Remove what stands after a boundary's template up to the boundary's closing comment
    (boundaries nest); nothing when there is no such comment."""
    fallback = []
    depth = 0
    node = boundary.next
    while node is not None:
        if node.is_comment_node:
            content = (node.comment_content or "").strip()
            if content in BOUNDARY_OPEN:
                depth += 1
            elif content == BOUNDARY_CLOSE:
                if depth == 0:
                    for item in fallback:
                        item.decompose()
                    return
                depth -= 1
        fallback.append(node)
        node = node.next
