"""The command line: every command documents itself; bad flags are refused before work."""
from __future__ import annotations

import argparse

import pytest

from cleaner import __version__
from cleaner.cli import build_parser, main
from cleaner.heuristics import noise
from tests.corpus import article


def commands(parser=None, prefix=""):
    """Every command, as "name" or "group name", and its parser (groups walked into)."""
    parser = parser or build_parser()
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = commands(sub, f"{prefix}{name} ")
                found.update(nested or {f"{prefix}{name}": sub})
    return found


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_has_help_with_an_example(name):
    description = commands()[name].description
    assert description and "Example: cleaner " + name in description


def test_the_upkeep_commands_are_there():
    assert {"rules check", "rules stats", "learn", "fixtures add", "fixtures check",
            "fixtures update"} <= set(commands())


def test_version_says_whether_the_core_runs_compiled(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    # a module compiled by mypyc is an extension module, not a .py file
    build = "plain Python" if noise.__file__.endswith(".py") else "compiled"
    assert capsys.readouterr().out == f"cleaner {__version__} ({build})\n"


def test_jobs_must_be_positive(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["clean", str(tmp_path), "-o", str(tmp_path / "out"), "--jobs", "0"])
    assert exit_info.value.code == 2
    assert "--jobs" in capsys.readouterr().err


def test_missing_rules_folder_is_a_one_line_error(capsys, tmp_path):
    code = main(["clean", str(tmp_path), "-o", str(tmp_path / "out"), "--rules", str(tmp_path / "none")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("cleaner: error:") and "\n" not in err
    assert not (tmp_path / "out").exists()


def test_state_with_no_dedup_is_refused_before_any_work(capsys, tmp_path):
    out = tmp_path / "out"
    code = main(["clean", str(tmp_path), "-o", str(out), "--no-dedup", "--state", str(tmp_path / "s")])
    assert code == 2 and "--no-dedup" in capsys.readouterr().err
    assert not out.exists()


def test_an_address_or_an_output_url_without_the_ray_engine_is_refused_before_work(
        tmp_path, capsys):
    captures = tmp_path / "in"
    captures.mkdir()
    (captures / "a.txt").write_text("A title\n\nSome text of a story.\n", encoding="utf-8")
    assert main(["clean", str(captures), "-o", str(tmp_path / "out"), "--address", "auto"]) == 2
    assert "--address is for --engine ray" in capsys.readouterr().err
    assert main(["clean", str(captures), "-o", f"file://{tmp_path / 'out'}"]) == 2
    assert "needs --engine ray" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["0", "-1", "soon", "inf", "nan"])
def test_a_time_limit_must_be_some_seconds(value, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["clean", str(tmp_path), "-o", str(tmp_path / "out"), "--timeout", value])
    assert exit_.value.code == 2 and "--timeout" in capsys.readouterr().err


def test_a_time_limit_with_the_ray_engine_is_refused_before_work(tmp_path, capsys):
    code = main(["clean", str(tmp_path), "-o", str(tmp_path / "out"), "--engine", "ray",
                 "--timeout", "30"])
    assert code == 2 and "--timeout is for the local engine" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_formats_given_twice_are_both_written(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text(article(1), encoding="utf-8")
    out = tmp_path / "out"
    code = main(["clean", str(tmp_path / "in"), "-o", str(out), "--format", "jsonl",
                 "--format", "markdown", "--jobs", "1", "--quiet"])
    assert code == 0
    assert len(list(out.glob("jsonl/*.jsonl"))) == 1 and len(list(out.rglob("*.md"))) == 1


def test_an_empty_format_list_is_refused_before_any_work(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    code = main(["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--format", ""])
    assert code == 2
    assert "no output format given" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
