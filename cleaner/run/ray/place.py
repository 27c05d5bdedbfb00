"""Placing a run's stories on Ray tasks: the local placer's policy, cluster by cluster.

1. roots (per shard): each kept capture's cluster (its first doc), with what the policy
   reads of it (source, site, words, the mergeable metadata, the body's hash), routed
   to the shard of its cluster's first doc.
2. clusters (per shard): the canonical capture of each cluster (`canonical_rank`), the
   metadata its article takes from the others, its preferred path (`article_path`);
   clusters numbered in the order of their first doc, the order the local engine writes
   articles in (part files and record numbers follow from it). Routed by path.
3. names (per path partition): the clusters wanting one path, in order: the first
   takes it, the others get their hash suffix (`ArticleWriter.free_path`); each member's
   decision routed to its shard. A path that is also another cluster's suffixed name
   (a title ending in another body's hash) is reported to the driver, which settles
   those few clusters one by one as the local engine would.
4. finish (per shard): the articles of the canonicals in the shard written (with the
   local engine's sinks), the shard's manifest lines made, in input order; article
   records for JSON lines and Parquet routed to the part writers.
5. parts (per group of part files): each part written whole, from its articles in order.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import ray

from ...errors import CleanerError
from ...sinks import FORMATS
from ...sinks.markdown import ArticleWriter
from ...sinks.paths import article_path, with_hash_suffix
from ..outcome import ERROR, KEPT, ManifestRow
from ..placer import Placed, article_meta, canonical_rank, member_row, merge_metadata, mergeable
from ..work import unpack
from .clean import TALLY_STATUS
from .dedup import kept_rows, range_parts
from .output import OutFolder
from .shuffle import Frame, concat, returned, split, text_parts

MARKDOWN = "markdown"
_EMPTY_LINKS = {"child": np.empty(0, np.int64), "parent": np.empty(0, np.int64)}


@ray.remote
def roots(first: int, starts: np.ndarray, count: int, *args: Any) -> tuple:
    """What the policy reads of each kept capture of the shard (its `count` outcome
    blocks, then its docs' links), by its cluster's shard."""
    blocks, links = args[:count], args[count:]
    found = concat(links, like=_EMPTY_LINKS)
    order = np.argsort(found["child"])
    children, parents = found["child"][order], found["parent"][order]
    rows: dict[str, list[Any]] = {key: [] for key in
                                  ("doc", "root", "pos", "source", "site", "words", "fields",
                                   "sha256")}
    for table in blocks:
        kept, ids = kept_rows(table, first)
        first += len(ids)
        at = np.searchsorted(children, ids)
        linked = at < len(children)
        linked[linked] = children[at[linked]] == ids[linked]
        root = ids.copy()
        root[linked] = parents[at[linked]]
        for doc, top, row in zip(ids.tolist(), root.tolist(), kept.select(
                ["pos", "source", "site", "words", "record"]).to_pylist(), strict=True):
            meta, _ = unpack(row["record"])
            for key, value in (("doc", doc), ("root", top), ("pos", row["pos"]),
                               ("source", row["source"]), ("site", row["site"]),
                               ("words", row["words"]), ("fields", mergeable(meta)),
                               ("sha256", meta["sha256"])):
                rows[key].append(value)
    frame: Frame = {key: np.array(values, dtype=np.int64) if key in ("doc", "root", "pos", "words")
                    else values for key, values in rows.items()}
    return returned(split(frame, range_parts(frame["root"], starts), len(starts)))


@ray.remote
def clusters(shard: int, *pieces: Frame) -> tuple:
    """Each cluster whose first doc is in this shard: canonical, article metadata taken
    from the others, preferred path. (naming rows by path partition, suffixed-name rows
    by theirs, the number of clusters)."""
    parts = len(pieces)
    members = concat(pieces)
    order = np.lexsort((members["doc"], members["root"])) if members else np.empty(0, np.int64)
    rows: dict[str, list[Any]] = {key: [] for key in
                                  ("root", "base", "suffixed", "sha256", "canonical", "shard",
                                   "number", "members", "others")}
    column = {key: members.get(key) for key in members}
    ends = np.flatnonzero(np.diff(np.append(members["root"][order], -1)) != 0) + 1 \
        if len(order) else np.empty(0, np.int64)
    start = 0
    for number, end in enumerate(ends.tolist()):
        group = order[start:end].tolist()
        start = end
        best = max(group, key=lambda i: canonical_rank(column["fields"][i], column["words"][i],
                                                        column["pos"][i]))
        others = [(column["source"][i], column["fields"][i]) for i in group if i != best]
        meta = merge_metadata({**column["fields"][best], "site": column["site"][best],
                               "sha256": column["sha256"][best]},
                              [fields for _, fields in others])
        base = article_path(meta, column["source"][best])
        for key, value in (
            ("root", int(column["root"][best])), ("base", base.as_posix()),
            ("suffixed", with_hash_suffix(base, column["sha256"][best]).as_posix()),
            ("sha256", column["sha256"][best]), ("canonical", int(column["doc"][best])),
            ("shard", shard), ("number", number),
            ("members", [int(column["doc"][i]) for i in group]), ("others", others),
        ):
            rows[key].append(value)
    frame: Frame = {key: values for key, values in rows.items()}
    named = split(frame, text_parts(frame["base"], parts), parts)
    claims = {"path": frame["suffixed"], "base": frame["base"], "root": frame["root"]}
    suffixed = split(claims, text_parts(claims["path"], parts), parts)
    return (*named, *suffixed, len(ends))


def first_takes_the_path(rows: Mapping[str, Sequence[Any]]) -> list[str]:
    """The names of clusters by preferred path: in the order of their first doc, the
    first takes the path and the others their suffixed name (no other cluster in sight)."""
    order = sorted(range(len(rows["root"])), key=lambda i: (rows["base"][i], rows["root"][i]))
    names = [""] * len(order)
    previous = None
    for i in order:
        names[i] = rows["suffixed"][i] if rows["base"][i] == previous else rows["base"][i]
        previous = rows["base"][i]
    return names


def settle(rows: Sequence[Mapping[str, Any]]) -> dict[int, str]:
    """The names of clusters taken one at a time in the order of their first doc, as
    `ArticleWriter.free_path` gives them: a path another took is suffixed."""
    taken: set[str] = set()
    names = {}
    for row in sorted(rows, key=lambda r: r["root"]):
        name = row["suffixed"] if row["base"] in taken else row["base"]
        taken.add(name)
        names[row["root"]] = name
    return names


@ray.remote
def names(starts: np.ndarray, named_count: int, *pieces: Frame) -> tuple:
    """The name of each cluster whose preferred path falls here and each member's
    decision, by member shard; then the paths that are also another cluster's suffixed
    name (base, the other's base), for the driver to settle."""
    rows = concat(pieces[:named_count])
    claims = concat(pieces[named_count:])
    parts = len(starts)
    if not rows or not rows["root"]:
        empty = {key: np.empty(0, np.int64) if key == "doc" else [] for key in
                 ("doc", "root", "canonical", "name", "shard", "number", "others")}
        conflicts = _conflicts(set(), claims)
        return (*split(empty, np.empty(0, np.int64), parts), conflicts)
    chosen = first_takes_the_path(rows)
    out: dict[str, list[Any]] = {key: [] for key in
                                 ("doc", "root", "canonical", "name", "shard", "number", "others")}
    for i, name in enumerate(chosen):
        for doc in rows["members"][i]:
            canonical = rows["canonical"][i]
            for key, value in (("doc", doc), ("root", rows["root"][i]), ("canonical", canonical),
                               ("name", name), ("shard", rows["shard"][i]),
                               ("number", rows["number"][i]),
                               ("others", rows["others"][i] if doc == canonical else None)):
                out[key].append(value)
    frame: Frame = {key: np.array(values, dtype=np.int64) if key == "doc" else values
                    for key, values in out.items()}
    conflicts = _conflicts(set(rows["base"]), claims)
    return (*split(frame, range_parts(frame["doc"], starts), parts), conflicts)


def _conflicts(bases: set[str], claims: Frame) -> list[tuple[str, str]]:
    """(path, base of the cluster whose suffixed name it is) for each path here that is
    both a preferred path and another cluster's suffixed name."""
    if not claims:
        return []
    return sorted({(path, base) for path, base in zip(claims["path"], claims["base"], strict=True)
                   if path in bases})


@ray.remote
def clusters_of(bases: set[str], *pieces: Frame) -> list[dict[str, Any]]:
    """The naming rows of the clusters preferring one of `bases`."""
    rows = concat(pieces)
    if not rows:
        return []
    return [{"root": rows["root"][i], "base": rows["base"][i], "suffixed": rows["suffixed"][i]}
            for i in range(len(rows["root"])) if rows["base"][i] in bases]


def part_reference(name: str, rank: int, part_records: int) -> str:
    """A record's reference in part files, as the part sinks give it."""
    suffix = FORMATS[name].suffix
    return f"{name}/part-{rank // part_records:05d}{suffix}#{rank % part_records}"


@ray.remote
def finish(first: int, out: OutFolder, formats: tuple[str, ...], offsets: np.ndarray,
           part_records: int, parts_per_writer: int, writers: int, renamed: dict[int, str],
           count: int, *args: Any) -> tuple:
    """Write the articles of the canonicals in this shard (its `count` outcome blocks,
    then the decisions on its docs) and make its manifest lines, in input order.
    ((manifest text, (status counts, captures with warnings, page type counts)),
    references that could not be written with why, article records by part writer)."""
    blocks, pieces = args[:count], args[count:]
    decided = concat(pieces)
    by_doc = {doc: i for i, doc in enumerate(decided["doc"].tolist())} if decided else {}
    writer = ArticleWriter(out.staging(), out.temp_folder()) if MARKDOWN in formats else None
    lines: list[str] = []
    statuses: Counter = Counter()
    page_types: Counter = Counter()
    warned = 0
    failed: dict[str, str] = {}
    records: dict[str, list[Any]] = {"rank": [], "meta": [], "body": [], "source": []}
    for table in blocks:
        for row in table.select(["source", "status", "reason", "site", "record", "warnings",
                                  "page_type"]).to_pylist():
            status = row["status"]
            if status == TALLY_STATUS:
                continue
            if status != KEPT:
                manifest = _row_of(row)(status, None, row["reason"])
            else:
                i = by_doc[first]
                manifest = _member(row, first, decided, i, out, formats, offsets, part_records,
                                   renamed, writer, failed, records)
                first += 1
            statuses[manifest.status] += 1
            if manifest.page_type:
                page_types[manifest.page_type] += 1
            warned += bool(manifest.warnings)
            lines.append(manifest.to_json() + "\n")
    out.close()
    ranks = np.array(records["rank"], dtype=np.int64)
    frame: Frame = {"rank": ranks, **{k: v for k, v in records.items() if k != "rank"}}
    groups = split(frame, ranks // part_records // parts_per_writer, writers) if writers else []
    return ("".join(lines), (statuses, warned, page_types), failed, *groups)


def _member(row: dict[str, Any], doc: int, decided: Frame, i: int, out: OutFolder,
            formats: tuple[str, ...], offsets: np.ndarray, part_records: int,
            renamed: dict[int, str], writer: ArticleWriter | None, failed: dict[str, str],
            records: dict[str, list[Any]]) -> ManifestRow:
    """The manifest line of kept capture `doc`, writing its story's article if it is
    the canonical."""
    root, canonical = decided["root"][i], decided["canonical"][i]
    name = renamed.get(root, decided["name"][i])
    rank = int(offsets[decided["shard"][i]]) + decided["number"][i]
    references = {fmt: name if fmt == MARKDOWN else part_reference(fmt, rank, part_records)
                  for fmt in formats}
    reference = references[formats[0]]
    error = None
    if doc == canonical:
        meta, body = unpack(row["record"])
        meta = article_meta(meta, decided["others"][i])
        if writer is not None:
            try:
                writer.write_at(Path(name), meta, body)
                out.publish(name)
            except (OSError, CleanerError) as err:
                error = f"cannot write: {err}"
                failed[reference] = error
        if error is None and any(fmt != MARKDOWN for fmt in formats):
            for key, value in (("rank", rank), ("meta", meta), ("body", body),
                               ("source", row["source"])):
                records[key].append(value)
    placed = Placed(reference if error is None else None, canonical=canonical, error=error)
    return member_row(row["source"], _row_of(row), doc, placed)


def _row_of(row: dict[str, Any]) -> Callable[..., ManifestRow]:
    """How the manifest line of an outcome row is made (`Record.row_of`'s arguments)."""
    warnings = tuple(json.loads(row["warnings"])) if row["warnings"] else ()

    def row_of(status: str, article: str | None = None, reason: str | None = None
               ) -> ManifestRow:
        return ManifestRow(row["source"], status, article, reason, row["site"], row["page_type"],
                           warnings)

    return row_of


@ray.remote
def write_parts(out: OutFolder, formats: tuple[str, ...], part_records: int,
                *pieces: Frame) -> int:
    """Write the part files of these articles (whole parts, in rank order); returns how
    many articles were written."""
    rows = concat(pieces)
    if not rows or not len(rows["rank"]):
        return 0
    order = np.argsort(rows["rank"])
    first_part = int(rows["rank"][order[0]]) // part_records
    for name in formats:
        if name == MARKDOWN:
            continue
        sink = FORMATS[name](out.staging(), out.temp_folder(), part_records, number=first_part)
        for i in order.tolist():
            sink.write(rows["meta"][i], rows["body"][i], rows["source"][i])
        sink.close()
        if out.url is not None:
            for part in sorted((out.staging() / sink.name).glob("part-*")):
                out.publish(f"{sink.name}/{part.name}")
    out.close()
    return len(order)


def patch_failed(text: str, failed: Mapping[str, str], statuses: Counter) -> str:
    """Manifest lines of captures whose story's article could not be written turned
    into errors (their canonical's shard found out), with the counts fixed."""
    lines = []
    for line in text.splitlines(keepends=True):
        row = ManifestRow.from_dict(json.loads(line))
        if row.article in failed and row.status != ERROR:
            statuses[row.status] -= 1
            statuses[ERROR] += 1
            row = ManifestRow(row.source, ERROR, None, failed[row.article], row.site,
                              row.page_type, row.warnings)
            line = row.to_json() + "\n"
        lines.append(line)
    return "".join(lines)
