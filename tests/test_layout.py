"""The package's rooms and the one direction imports flow in: from the CLI down to the core."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cleaner"

# Each room, and the rooms it may import from (besides itself). Anything not named here
# may import nothing of the package's.
ALLOWED = {
    "version": set(),
    "errors": set(),
    "document": set(),
    "reasons": set(),
    "text": {"document", "errors", "reasons"},
    "heuristics": {"text", "document", "errors", "reasons"},
    "frontmatter": {"text", "document"},
    "siterules": {"heuristics", "text", "document", "errors", "reasons"},
    "extract": {"siterules", "heuristics", "text", "document", "errors", "reasons"},
    "sources": {"text", "document", "errors"},
    "dedup": {"errors"},
    "pipeline": {"extract", "siterules", "heuristics", "sources", "text", "frontmatter",
                 "document", "errors", "reasons", "version"},
    "sinks": {"sources", "frontmatter", "text", "document", "errors"},
    "upkeep": {"pipeline", "siterules", "heuristics", "sources", "sinks", "frontmatter", "text",
               "document", "errors", "reasons"},
    "run": {"pipeline", "sinks", "sources", "dedup", "siterules", "frontmatter", "document",
            "errors", "reasons", "text"},
    # the Ray engine: above the local engine's parts, which never import it
    "run.ray": {"run", "pipeline", "sinks", "sources", "dedup", "siterules", "frontmatter",
                "document", "errors", "reasons", "text"},
    "integrations": {"run", "sinks", "sources", "dedup", "siterules", "document", "errors"},
    "cli": {"run", "run.ray", "upkeep", "sinks", "sources", "dedup", "siterules", "pipeline",
            "document", "errors",
            "version", "frontmatter", "reasons", "text", "extract", "__init__"},
    "__init__": {"run", "pipeline", "document", "errors", "version", "heuristics"},
    "__main__": {"cli"},
}


# Subpackages that are rooms of their own, inside a room.
INNER_ROOMS = ("run.ray",)
# Third-party libraries only some rooms may import (at any level, lazily or not).
RESTRICTED = {"ray": {"run.ray"}}


def room(module: str) -> str:
    """The room of a module named relative to the package: its subpackage or its own name."""
    for inner in INNER_ROOMS:
        if module == inner or module.startswith(inner + "."):
            return inner
    return module.split(".")[0]


def imported_rooms(path: Path) -> set[str]:
    """The rooms of the package that a module imports (at any level, lazily or not)."""
    relative = path.relative_to(PACKAGE).with_suffix("")
    package = list(relative.parts[:-1])  # a module's package; an __init__'s is its own
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = [*base, *(node.module.split(".") if node.module else [])]
                if not target:  # `from . import x` at the top: a room, or a name of __init__
                    found.update(alias.name if _is_room(alias.name) else "__init__"
                                 for alias in node.names)
                elif len(target) == 1:  # `from .run import ray`
                    found.update(room(f"{target[0]}.{alias.name}") for alias in node.names)
                else:
                    found.add(room(".".join(target)))
            elif node.module and node.module.split(".")[0] == "cleaner":
                parts = node.module.split(".")[1:]
                found.update([room(".".join(parts))] if parts else [a.name for a in node.names])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "cleaner" and len(parts) > 1:
                    found.add(room(".".join(parts[1:])))
    return found


def imported_libraries(path: Path) -> set[str]:
    """The top-level names of what a module imports from outside the package."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found - {"cleaner"}


def _is_room(name: str) -> bool:
    return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name).is_dir()


def test_imports_flow_one_way_from_the_cli_down_to_the_core():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        own = room(".".join(relative.with_suffix("").parts))
        for other in imported_rooms(path) - {own}:
            if other not in ALLOWED.get(own, set()):
                wrong.append(f"{relative} imports {other}")
    assert wrong == []


def test_only_the_ray_engine_imports_ray():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        own = room(".".join(relative.with_suffix("").parts))
        for library in imported_libraries(path) & RESTRICTED.keys():
            if own not in RESTRICTED[library]:
                wrong.append(f"{relative} imports {library}")
    assert wrong == []


def test_a_local_run_loads_neither_ray_nor_the_ray_engine(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("A headline\n\n" + "Some words of a story. " * 20)
    code = (
        "import sys\n"
        "from cleaner.cli import main\n"
        f"main(['clean', {str(tmp_path / 'in')!r}, '-o', {str(tmp_path / 'out')!r}, '--quiet'])\n"
        "print(sorted(m for m in sys.modules if m == 'ray' or m.startswith(('ray.', 'cleaner.run.ray'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=PACKAGE.parent)
    assert done.stdout.strip() == "[]"
    assert (tmp_path / "out" / "manifest.jsonl").exists()


def test_the_text_core_imports_without_the_html_and_rule_libraries():
    code = (
        "import sys\n"
        "import cleaner.heuristics, cleaner.text.lines, cleaner.text.dates, cleaner.document\n"
        "heavy = {'lxml', 'cssselect', 'trafilatura', 'yaml', 'numpy', 'selectolax'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=PACKAGE.parent)
    assert done.stdout.strip() == "[]"
