"""Shared test set-up: the --update-fixtures switch and paths to the repo's data."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests (tests/test_properties.py): a bounded, derandomized search by default, so
# that CI takes a minute and fails the same way twice; `HYPOTHESIS_PROFILE=fuzz pytest
# tests/test_properties.py` searches longer, with new examples each run. No deadline:
# timings on a shared machine vary, and a slow example is not a wrong one.
settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz", max_examples=2000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


def cleaner_env(**overrides: str) -> dict[str, str]:
    """The environment for a child `python -m cleaner.cli`: it imports the package these
    tests import (the source tree, or the installed and maybe compiled one with
    --import-mode=importlib), whatever the child's working folder. Run the child outside
    the repository too (cwd=tmp_path): `-m` puts the working folder first on sys.path."""
    import cleaner

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(Path(cleaner.__file__).resolve().parent.parent)
    return env | overrides


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-fixtures",
        action="store_true",
        help="rewrite fixtures' expected articles from the current output (the tests still fail: review the diff)",
    )


@pytest.fixture
def update_fixtures(request: pytest.FixtureRequest) -> bool:
    return request.config.getoption("--update-fixtures")
