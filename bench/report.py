"""The comparison's outputs: the table as printed, as Markdown, and as a bar chart of F1."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("system", "input", "P", "R", "F1", "docs/s", "peak MB")
MISSING = "—"
MARKDOWN_NAME = "comparison.md"
CHART_NAME = "comparison.png"
# The dev set's reference figures (devset/README.md), keyed by (system, input) as named
# here: (P, R, F1, docs/s or None).
REFERENCE = {
    ("no cleaning", "text"): (0.539, 0.990, 0.698, None),
    ("trafilatura, lines as <p>", "text"): (0.542, 0.991, 0.701, 137),
    ("jusText (English), lines as <p>", "text"): (0.721, 0.147, 0.244, 131),
    ("trafilatura extract()", "html"): (0.900, 0.940, 0.920, 56),
    ("trafilatura favor_precision", "html"): (0.918, 0.915, 0.917, 56),
}
# Chart layout: inches per bar and for titles and axes, so long system names stay legible.
BAR_INCHES = 0.42
PANEL_INCHES = 0.9
CHART_WIDTH = 10
OURS_COLOUR = "#d95f02"
PEER_COLOUR = "#7570b3"


@dataclass(frozen=True)
class Row:
    """One system's figures on one input kind."""

    system: str
    input: str
    precision: float
    recall: float
    f1: float
    docs_per_s: float | None = None
    peak_mb: float | None = None
    errors: int = 0

    @property
    def ours(self) -> bool:
        return self.system.startswith("cleaner")


def cells(row: Row) -> list[str]:
    """A row's values as the table shows them."""
    speed = MISSING if row.docs_per_s is None else f"{row.docs_per_s:,.0f}"
    memory = MISSING if row.peak_mb is None else f"{row.peak_mb:.1f}"
    return [row.system, row.input, f"{row.precision:.3f}", f"{row.recall:.3f}",
            f"{row.f1:.3f}", speed, memory]


def text_table(rows: Iterable[Row]) -> str:
    """The rows as an aligned plain-text table (numbers right-aligned)."""
    body = [cells(row) for row in rows]
    widths = [max(len(line[i]) for line in [list(COLUMNS), *body]) for i in range(len(COLUMNS))]

    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) if i < 2 else v.rjust(w)
                         for i, (v, w) in enumerate(zip(values, widths)))

    return "\n".join([line(list(COLUMNS)), "  ".join("-" * w for w in widths)]
                     + [line(values) for values in body])


def markdown_table(header: Iterable[str], lines: Iterable[list[str]]) -> str:
    """A Markdown table; the first two columns left-aligned, the others right."""
    header = list(header)
    align = ["---" if i < 2 else "---:" for i in range(len(header))]
    # "<p>" in a system's name would be read as markup.
    rows = [[v.replace("<", "&lt;").replace(">", "&gt;") for v in values] for values in lines]
    return "\n".join("| " + " | ".join(values) + " |" for values in [header, align, *rows])


def reference_lines(rows: Iterable[Row]) -> list[list[str]]:
    """For each row the reference table lists: its figures, the reference's and the gap."""
    out = []
    for row in rows:
        ref = REFERENCE.get((row.system, row.input))
        if ref:
            speed = MISSING if ref[3] is None else str(ref[3])
            out.append([row.system, row.input, f"{ref[0]:.3f} / {ref[1]:.3f} / {ref[2]:.3f}",
                        f"{row.precision:.3f} / {row.recall:.3f} / {row.f1:.3f}",
                        f"{row.f1 - ref[2]:+.3f}", speed, cells(row)[5]])
    return out


def markdown(rows: list[Row], context: dict[str, str], notes: list[str]) -> str:
    """The whole report: how it was run, the table, the reference check, the notes."""
    parts = ["# cleaner and its peers", ""]
    parts += [f"- **{key}**: {value}" for key, value in context.items()]
    parts += ["", "## Results", "", markdown_table(COLUMNS, [cells(row) for row in rows]), ""]
    check = reference_lines(rows)
    if check:
        parts += ["## Against the dev set's reference table (`devset/README.md`)", "",
                  markdown_table(("system", "input", "reference P / R / F1", "this run P / R / F1",
                                  "F1 gap", "reference docs/s", "this run docs/s"), check), ""]
    if notes:
        parts += ["## Notes", ""] + [f"- {note}" for note in notes] + [""]
    return "\n".join(parts)


def write_chart(rows: list[Row], path: Path, title: str) -> None:
    """A PNG of F1 per system, one panel per input kind, horizontal bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = list(dict.fromkeys(row.input for row in rows))
    groups = [[row for row in rows if row.input == kind] for kind in kinds]
    heights = [len(group) * BAR_INCHES + PANEL_INCHES for group in groups]
    fig, axes = plt.subplots(len(kinds), 1, figsize=(CHART_WIDTH, sum(heights)), squeeze=False,
                             gridspec_kw={"height_ratios": heights}, sharex=True)
    for ax, kind, group in zip(axes[:, 0], kinds, groups):
        names = [row.system for row in group][::-1]
        scores = [row.f1 for row in group][::-1]
        colours = [OURS_COLOUR if row.ours else PEER_COLOUR for row in group][::-1]
        bars = ax.barh(names, scores, color=colours)
        ax.bar_label(bars, labels=[f"{s:.3f}" for s in scores], padding=3, fontsize=10)
        ax.set_title(f"input: {kind}", loc="left", fontsize=11, fontweight="bold")
        ax.set_xlim(0, 1.08)
        ax.tick_params(axis="y", labelsize=10)
        ax.grid(axis="x", alpha=0.3)
    axes[-1, 0].set_xlabel("F1 (snippets; dedup: planted near-duplicates)")
    fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_results(rows: list[Row], out: Path, context: dict[str, str], notes: list[str],
                  title: str) -> list[Path]:
    """Write the Markdown report and, when matplotlib is there, the chart; their paths."""
    out.mkdir(parents=True, exist_ok=True)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        notes = [*notes, "matplotlib is not installed: no chart (pip install matplotlib)"]
        chart = None
    else:
        chart = out / CHART_NAME
        write_chart(rows, chart, title)
    report = out / MARKDOWN_NAME
    report.write_text(markdown(rows, context, notes), encoding="utf-8")
    return [report] + ([chart] if chart else [])
