"""How much of the generic heuristics runs after a site's rules (a rule file's `heuristics:`)."""
from __future__ import annotations

from typing import Final

# All of them (the default), only the line-local noise rules, or none (the rules say it all).
ALL: Final = "all"
NOISE: Final = "noise"
NONE: Final = "none"
LEVELS: Final = (ALL, NOISE, NONE)
