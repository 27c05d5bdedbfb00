"""Whether the text-cleaning core runs compiled (built by mypyc at install, see setup.py)
or as plain Python: the core is compiled whole or not at all, this module with it.

A few of the core's hottest tests are loops over a line's code points, which compiled
code runs several times faster than a regex search or a method call, and plain Python
several times slower: those functions take the loop only when COMPILED. Their indexes
and code points are native 64-bit integers (mypy_extensions.i64, a plain int to plain
Python): compiled, a Python int is tagged, and every step of a loop over one pays the
tests of its tag.
"""
from __future__ import annotations

from typing import Final

COMPILED: Final = not __file__.endswith(".py")
