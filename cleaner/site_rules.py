"""Applying a site's text rules to a Document (placeholder until filled in)."""
from __future__ import annotations

from .document import Document


def apply_site_rules(doc: Document) -> None:
    """Apply doc.ruleset's text rules: cuts, dropped lines and blocks, metadata lines."""
