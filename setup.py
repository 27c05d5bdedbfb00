"""Build hook: compile the text-cleaning core with mypyc, or ship it as plain Python.

Everything else about the package is in pyproject.toml. The modules in COMPILED run for
every line of every capture; mypyc turns them into C extensions (as black and
charset-normalizer ship theirs), which cleans text captures about 1.3x faster. The
same .py files stay in the package and are what runs wherever compiling is not done:

- `CLEANER_PURE_PYTHON=1 pip install .` asks for plain Python;
- editable installs (`pip install -e .`) are never compiled, so that edits take effect;
- with no C compiler, or when mypyc rejects the code, the build warns and goes on
  in plain Python rather than failing the install.

`cleaner --version` says which of the two an installation runs. The compiled modules
mark their constants `Final`, which mypyc reads from C variables instead of looking them
up in the module's dict on every use (8% fewer instructions per capture, measured).
"""
from __future__ import annotations

import os
import shutil
import sys
import warnings
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

# The per-line hot path (measured: line facts, dates, main run, metadata, language guess).
COMPILED = [
    "cleaner/document.py",
    "cleaner/reasons.py",
    "cleaner/text/build.py",
    "cleaner/text/lines.py",
    "cleaner/text/dates.py",
    "cleaner/text/language.py",
    "cleaner/heuristics/levels.py",
    "cleaner/heuristics/features.py",
    "cleaner/heuristics/noise.py",
    "cleaner/heuristics/main_run.py",
    "cleaner/heuristics/metadata.py",
    # The fast HTML engine's walk over every node of a page and its choice of content.
    "cleaner/extract/blocks.py",
    "cleaner/extract/container.py",
    "cleaner/extract/prune.py",
    "cleaner/extract/fast.py",
    # Page typing: the features read from the blocks and lines (its trees run in NumPy).
    "cleaner/extract/capture_features.py",
    "cleaner/extract/page_features.py",
]


def fall_back(reason: str) -> None:
    """Say why the package installs as plain Python."""
    warnings.warn(f"cleaner: not compiled ({reason}); installing plain Python", stacklevel=2)


class FreshBuildPy(build_py):
    """build_py into an empty build folder. pip builds in the source tree, and a file an
    earlier build left in build/ (a module since moved or deleted, a compiled module of
    older code) would be installed with this one."""

    def run(self) -> None:
        shutil.rmtree(self.build_lib, ignore_errors=True)
        super().run()


class BuildOrFallBack(build_ext):
    """build_ext that, when any extension fails to build, removes those built and lets
    the package install as plain Python: a half-compiled package would not import."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # noqa: BLE001 - any compiler failure means plain Python
            for extension in self.extensions:
                Path(self.get_ext_fullpath(extension.name)).unlink(missing_ok=True)
            fall_back(str(error))


def compiled_extensions() -> list:
    """mypyc's extensions for COMPILED, or none when plain Python is asked for or needed."""
    if os.environ.get("CLEANER_PURE_PYTHON") or "editable_wheel" in sys.argv:
        return []
    try:
        from mypyc.build import mypycify

        # only the compiled modules must type-check; the rest of the package is read, not judged
        options = ["--ignore-missing-imports", "--follow-imports=silent"]
        return mypycify([*options, *COMPILED], opt_level="3")
    except SystemExit:  # mypyc prints the type errors it found, then exits
        fall_back("mypyc found type errors: `pip install -v .` shows them")
    except Exception as error:  # noqa: BLE001 - no mypyc, or it failed otherwise
        fall_back(str(error))
    return []


setup(ext_modules=compiled_extensions(),
      cmdclass={"build_py": FreshBuildPy, "build_ext": BuildOrFallBack})
