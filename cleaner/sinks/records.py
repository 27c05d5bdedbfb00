"""Articles as records, for corpora: JSON lines or Parquet files, written in parts.

One record per article: the front matter fields and `body`. A part holds up to
PART_RECORDS articles; it is written under a temporary name and renamed into place when
it is complete, so a part is whole or absent. Until then its articles are not durable:
the run keeps their manifest lines and index entries back (see `durable`). Each format
has a folder of its own: OUT/jsonl/part-00000.jsonl, OUT/parquet/part-00000.parquet.
References: `<format>/<part file>#<record number>`, counted from 0.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

# Articles per part: large enough for the file counts of a big corpus to stay small
# (100 million articles make 10,000 parts), small enough that a stopped run loses
# little and a part's Parquet row group fits easily in memory (~60 MB of text).
PART_RECORDS = 10_000
# Front matter fields with a column of their own in Parquet, in order; the others (a
# sidecar's fields) go into `extra`, as one JSON object.
PARQUET_FIELDS = (
    "title", "published", "authors", "site", "url", "language", "source", "fetched_at",
    "sha256", "word_count", "rules", "cleaner", "page_type",
)


class _Parts:
    """Numbered part files under OUT/articles, each written whole."""

    suffix = ""
    name = ""

    def __init__(self, out: Path, temp_folder: Path, part_records: int | None = None,
                 number: int | None = None) -> None:
        self.folder = out / self.name
        self.temp_folder = temp_folder
        self.part_records = part_records or PART_RECORDS
        # the first part's number: given, or the first that earlier runs left free
        self.number = self._first_free() if number is None else number
        self.count = 0
        self.open = False

    def _first_free(self) -> int:
        """The next part number: parts of earlier runs into this OUT are kept."""
        if not self.folder.is_dir():
            return 0
        taken = [
            int(p.name[5:10]) for p in self.folder.glob(f"part-*{self.suffix}")
            if p.name[5:10].isdigit()
        ]
        return max(taken, default=-1) + 1

    @property
    def durable(self) -> bool:
        """True when every article written so far is in a complete part."""
        return not self.open

    def part_name(self) -> str:
        return f"part-{self.number:05d}{self.suffix}"

    def flush(self) -> dict[str, str]:
        """Nothing written in the background: no failure to report."""
        return {}

    def write(self, meta: Mapping[str, Any], body: str, source: str) -> str:
        if not self.open:
            self._start()
            self.open = True
        self._add(meta, body)
        reference = f"{self.name}/{self.part_name()}#{self.count}"
        self.count += 1
        if self.count >= self.part_records:
            self.close()
        return reference

    def close(self) -> None:
        """Complete the open part (if any): it is renamed into place."""
        if not self.open:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self._finish()
        os.replace(self._temp_path(), self.folder / self.part_name())
        self.number += 1
        self.count = 0
        self.open = False

    @staticmethod
    def owns(reference: str) -> bool:
        """A written part is never edited: no earlier article's duplicate list is updated."""
        return False

    def add_duplicates(self, reference: str, duplicates: Sequence[Mapping[str, Any]]) -> None:
        raise NotImplementedError  # owns() is False: never called

    def _temp_path(self) -> Path:
        return self.temp_folder / f"{self.part_name()}.{os.getpid()}.tmp"

    def _start(self) -> None:
        raise NotImplementedError

    def _add(self, meta: Mapping[str, Any], body: str) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        raise NotImplementedError


class JsonLinesWriter(_Parts):
    """Articles as JSON lines: {front matter fields..., "body": ...} per line."""

    suffix = ".jsonl"
    name = "jsonl"

    def _start(self) -> None:
        self.file = open(self._temp_path(), "w", encoding="utf-8")  # noqa: SIM115

    def _add(self, meta: Mapping[str, Any], body: str) -> None:
        self.file.write(json.dumps({**meta, "body": body}, ensure_ascii=False, default=str))
        self.file.write("\n")

    def _finish(self) -> None:
        self.file.close()


class ParquetWriter(_Parts):
    """Articles as Parquet rows: a column per common front matter field, `duplicates`
    (a list of {source, url}), `extra` (the other fields as a JSON object) and `body`.
    Needs pyarrow (`pip install 'cleaner[parquet]'`)."""

    suffix = ".parquet"
    name = "parquet"

    def _start(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def _add(self, meta: Mapping[str, Any], body: str) -> None:
        row: dict[str, Any] = {key: meta.get(key) for key in PARQUET_FIELDS}
        row["published"] = None if row["published"] is None else str(row["published"])
        row["duplicates"] = [
            {"source": d.get("source"), "url": d.get("url")} for d in meta.get("duplicates") or []
        ]
        extra = {k: v for k, v in meta.items() if k not in PARQUET_FIELDS and k != "duplicates"}
        row["extra"] = json.dumps(extra, ensure_ascii=False, default=str) if extra else None
        row["body"] = body
        self.rows.append(row)

    def _finish(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(self.rows, schema=parquet_schema())
        pq.write_table(table, self._temp_path(), compression="zstd")
        self.rows = []


def parquet_schema() -> Any:
    """The Parquet columns of an article record."""
    import pyarrow as pa

    text = pa.string()
    fields = [pa.field(key, text) for key in PARQUET_FIELDS]
    fields[PARQUET_FIELDS.index("authors")] = pa.field("authors", pa.list_(text))
    fields[PARQUET_FIELDS.index("word_count")] = pa.field("word_count", pa.int64())
    duplicates = pa.list_(pa.struct([("source", text), ("url", text)]))
    return pa.schema([*fields, pa.field("duplicates", duplicates), pa.field("extra", text),
                      pa.field("body", text)])
