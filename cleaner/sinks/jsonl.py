"""Writing JSON lines (the manifest, `cleaner stream`'s output): one safe line per record."""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..text.safety import safe_value


def json_line(record: Mapping[str, Any]) -> str:
    """`record` as one line of JSON (no newline), whatever its strings hold: lone
    surrogates, control characters and values JSON cannot hold are made safe first
    (see `text.safety.safe_value`), so the line is valid UTF-8 any reader accepts."""
    return json.dumps(safe_value(record), ensure_ascii=False, allow_nan=False)
