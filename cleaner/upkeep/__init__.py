"""Keeping site rules healthy: propose a rule file from captures (`learn`), run each file's
checks through the whole cleaning (`checks`), and the golden loop of fixtures (`fixtures`).

These run the pipeline, so they live above it; the rules themselves (`cleaner.siterules`)
know nothing of them.
"""
