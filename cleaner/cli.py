"""The `cleaner` command: a thin layer over the library that turns its errors into exit codes."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from . import __version__, core_build
from .dedup import Deduplicator
from .errors import CleanerError
from .pipeline import DEFAULT_HTML_ENGINE, HTML_ENGINES, clean_capture
from .reasons import DESCRIPTIONS
from .run.local import run
from .run.only import parse_types
from .run.stream import clean_json_lines, dumps
from .run.summary import Summary
from .sinks import DEFAULT_FORMATS, FORMATS, check_formats
from .siterules.rulebook import RuleBook, bundled_rules_folder
from .siterules.stats import RuleStats, describe
from .sources.files import DEFAULT_MAX_BYTES, read_capture
from .sources.records import bounded_lines
from .sources.urls import is_url

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def command_clean(args: argparse.Namespace) -> int:
    """Clean captures (files or folders, searched recursively) into article files under OUT.

    Writes OUT/<site>/<date>-<slug>.md per article, OUT/manifest.jsonl (one line per
    input capture) and OUT/summary.json (counts by status and drop reason). Exact and
    near duplicates are written once, also against earlier runs into the same OUT
    (the index is kept in OUT/.cleaner-state.sqlite, or --state PATH); a capture an
    earlier run placed is not written again, so an interrupted run can just be rerun.
    Captures may be .txt, .html, .htm (each also .gz) or WARC files (.warc, .warc.gz).
    --format jsonl or parquet writes the articles as records in OUT/jsonl/ or OUT/parquet/
    (parts of 10,000) instead of files; several formats may be given: --format markdown,jsonl.
    Every capture gets a page type (article, forum, product, collection, listing,
    documentation, service); --only article writes articles alone, the others are
    `skipped` lines in the manifest ("page type: listing").

    --engine ray runs on Ray (pip install 'cleaner[ray]'): a local Ray sized by --jobs, or
    the cluster at --address (auto, ray://HOST:10001); INPUT and OUT may then be URLs
    (s3://, gs://, file://) and OUT must be new or empty (no --state: duplicates are
    found within the run). The files written are the local engine's, byte for byte.

    Example: cleaner clean captures/ -o articles/ --jobs 2 --only article
    Example: cleaner clean s3://crawl/2024-05/ -o s3://corpus/2024-05/ --engine ray --address auto
    """
    refuse_state_without_dedup(args)
    only = parse_types(args.only)
    rules = load_rules(args.rules)
    progress = not args.quiet and sys.stderr.isatty()
    formats = check_formats(DEFAULT_FORMATS if args.format is None else args.format)
    if args.engine == "ray":
        if args.timeout is not None:
            raise CleanerError("--timeout is for the local engine (Ray has no time limit "
                               "for a task)")
        from .run.ray import run as run_on_ray

        jobs = args.jobs if args.jobs or args.address else os.cpu_count() or 1
        summary = run_on_ray(
            args.inputs, args.output, rules=rules, jobs=jobs, address=args.address,
            progress=progress, quiet=args.quiet, dedup=not args.no_dedup, state=args.state,
            formats=formats, max_bytes=args.max_bytes, html_engine=args.html_engine, only=only,
        )
    else:
        if args.address is not None:
            raise CleanerError("--address is for --engine ray")
        if is_url(args.output):
            raise CleanerError(f"-o {args.output}: an output URL needs --engine ray")
        summary = run(
            args.inputs, Path(args.output), rules=rules, jobs=args.jobs or os.cpu_count() or 1,
            progress=progress, dedup=not args.no_dedup, state=args.state, formats=formats,
            max_bytes=args.max_bytes, html_engine=args.html_engine, only=only,
            timeout=args.timeout,
        )
    if not args.quiet:
        print("\n".join(summary.lines()), file=sys.stderr)
    return EXIT_FAILED if summary.failed else EXIT_OK


def command_reasons(args: argparse.Namespace) -> int:
    """List the reasons lines are dropped for, as `explain`, the manifest and summary.json
    name them, with what each means. A site rule's reason is rule:<rule set>/<rule name>.

    Example: cleaner reasons
    """
    width = max(map(len, DESCRIPTIONS))
    for reason, meaning in DESCRIPTIONS.items():
        print(f"{reason:<{width}}  {meaning}")
    return EXIT_OK


def command_explain(args: argparse.Namespace) -> int:
    """Show each line of one capture, kept or dropped and why, then its front matter and warnings.

    Example: cleaner explain fixtures/japannews/002_04e78b92e40742d0.txt
    """
    article = clean_capture(read_capture(args.capture, args.max_bytes), load_rules(args.rules),
                            args.html_engine)
    for line in article.decisions:
        mark = "keep" if line.kept else "drop"
        reason = f"  [{line.reason}]" if line.reason else ""
        print(f"{mark} | {line.text}{reason}")
    print("---")
    for key, value in article.meta.items():
        print(f"{key}: {value}")
    for warning in article.warnings:
        print(f"warning: {warning}")
    if article.rule_report is not None:
        print("\n".join(describe(article.rule_report)))
    return EXIT_OK


def command_rules_check(args: argparse.Namespace) -> int:
    """Validate every rule file in DIR (default: the bundled rules) and run its checks.

    Both parts of a file, `text:` and `html:`, are read with one schema; a problem is
    reported as FILE:LINE with the key at fault. Each file's `checks` are cleaned by the
    whole cleaning (rules, generic heuristics, the guard), HTML samples too: a line a
    check keeps must be in the article, a line it drops must not, its `meta` must be
    found, and cleaning the article again must change nothing. Exit status 1 when
    anything fails.

    Example: cleaner rules check my-rules/
    """
    from .upkeep.checks import check_folder

    folder = args.dir or bundled_rules_folder()
    if not Path(folder).is_dir():
        raise CleanerError(f"{folder} is not a folder of rule files")
    rulesets, problems = check_folder(folder)
    for problem in problems:
        print(problem)
    checks = sum(len(ruleset.checks) for ruleset in rulesets)
    verdict = f"{len(problems)} problems" if problems else "all hold"
    print(f"{len(rulesets)} rule files, {checks} checks: {verdict}", file=sys.stderr)
    return EXIT_FAILED if problems else EXIT_OK


def command_rules_stats(args: argparse.Namespace) -> int:
    """Print what each rule set did in the run that wrote OUT (from OUT/summary.json).

    Per rule set: how many captures it claimed, on how many each of its rules fired,
    and the captures where something looked wrong (a cut marker not found or out of
    place, the rules replaced by the generic result, most words removed, no title or
    date where the rule set declares one), with a few examples of each. A rule that
    suddenly fires on few captures is the sign of a site that changed its layout.

    Example: cleaner rules stats articles/
    """
    summary = Path(args.out) / "summary.json"
    if not summary.is_file():
        raise CleanerError(f"{summary} not found: give the output folder of a `cleaner clean` run")
    lines = RuleStats.from_output(args.out).lines()
    print("\n".join(lines) if lines else "no rule set claimed a capture in this run")
    return EXIT_OK


def command_learn(args: argparse.Namespace) -> int:
    """Propose a rule file for one site from many of its captures (text captures; folders
    are searched): lines that recur across its stories (menus, sidebars, author boxes,
    popular lists, footers) with their variable parts as patterns, the date line, the
    headline's position, bylines, the markers where the article starts and ends, and
    `checks` built from the captures. Every rule is commented with how many captures
    support it. The proposal is written to FILE (or printed), never applied: review it,
    put it in your rules folder, then `cleaner rules check` and `cleaner fixtures add`.

    Example: cleaner learn crawl/japannews/ --site japannews -o my-rules/japannews.yaml
    """
    from .sources.files import find_captures
    from .upkeep.learn import learn

    captures = [read_capture(path) for path in find_captures(args.captures)]
    if args.output is not None and args.output.exists():
        raise CleanerError(f"{args.output} exists already: learn writes a new file only")
    proposal = learn(captures, args.site)
    if args.output is None:
        sys.stdout.write(proposal.yaml)
    else:
        args.output.write_text(proposal.yaml, encoding="utf-8")
    skipped = len(captures) - proposal.captures
    note = f" ({skipped} HTML captures skipped)" if skipped else ""
    where = args.output or "standard output"
    print(f"proposed rules for {args.site} from {proposal.captures} captures{note} to "
          f"{where}: review them before use", file=sys.stderr)
    return EXIT_OK


def command_fixtures_check(args: argparse.Namespace) -> int:
    """Clean every fixture (FIXTURES/<site>/NAME.txt or .html) and compare it with its
    NAME.expected.md; print a diff for each that differs. A missing expected file is
    written, to review, and counts as a failure. Exit status 1 when any fails.

    Example: cleaner fixtures check --fixtures my-fixtures --rules my-rules
    """
    return run_fixtures(args, update=False)


def command_fixtures_update(args: argparse.Namespace) -> int:
    """Rewrite the expected file of every fixture whose output changed, print the diffs,
    and still fail (exit status 1) when any was rewritten: read the diff (git diff)
    before committing, then run `cleaner fixtures check`.

    Example: cleaner fixtures update --fixtures my-fixtures --rules my-rules
    """
    return run_fixtures(args, update=True)


def command_fixtures_add(args: argparse.Namespace) -> int:
    """Copy CAPTURE (and its NAME.meta.json) into FIXTURES/SITE/ and write what it cleans
    to now as NAME.expected.md: review that file, correct the rules until it is right,
    then `cleaner fixtures update` and commit both.

    Example: cleaner fixtures add crawl/2025-06-01/page.txt --site japannews --fixtures my-fixtures
    """
    from .upkeep.fixtures import add_fixture

    result = add_fixture(args.capture, args.site, args.fixtures, load_rules(args.rules))
    print(f"wrote {result.capture} and {result.expected}: review the expected article")
    return EXIT_OK


def run_fixtures(args: argparse.Namespace, update: bool) -> int:
    from .upkeep.fixtures import OK, WRITTEN, check_fixtures

    results = check_fixtures(args.fixtures, load_rules(args.rules), update=update)
    for result in results:
        if result.status == WRITTEN:
            print(f"wrote {result.expected}: review it")
        elif result.status != OK:
            print(f"differs: {result.capture}")
        if result.diff:
            print(result.diff, end="" if result.diff.endswith("\n") else "\n")
    failed = sum(result.failed for result in results)
    print(f"{len(results)} fixtures: {len(results) - failed} hold, {failed} "
          f"{'rewritten' if update else 'fail'}", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def command_stream(args: argparse.Namespace) -> int:
    """Clean JSON lines from stdin into JSON lines on stdout: one out per line in, in order.

    Each input line is an object with "html" or "text" (the capture) and usually "url";
    its other fields pass through. Each output line holds them, then "status" (written,
    duplicate, empty, skipped or error), "reason" (and "duplicate_of") and "page_type"
    for a dropped capture, or the article's front matter and "body" for a kept one.
    --only article keeps articles alone (the others are "skipped"). Duplicates are judged within
    the stream, and against earlier runs with --state. Lines are flushed one by one,
    so cleaner can sit in a pipe behind a crawler. --timeout SECONDS cleans in a worker
    process and makes a capture over the limit an error line, so that no page stalls it.

    Example: cleaner stream --state dedup.sqlite < pages.jsonl > articles.jsonl
    """
    refuse_state_without_dedup(args)
    only = parse_types(args.only)
    rules = load_rules(args.rules)
    if sys.stdout is None or sys.stdin is None:  # started with stdout (or stdin) closed
        return EXIT_OK
    dedup = None if args.no_dedup else Deduplicator(args.state)
    summary = Summary()
    started = time.perf_counter()
    lines = bounded_lines(sys.stdin.buffer, args.max_bytes)
    try:
        for record in clean_json_lines(lines, rules=rules, dedup=dedup, max_bytes=args.max_bytes,
                                       html_engine=args.html_engine, only=only,
                                       timeout=args.timeout):
            sys.stdout.write(dumps(record) + "\n")
            sys.stdout.flush()
            summary.add_row(record["status"], record.get("page_type"), False)
    finally:
        if dedup is not None:
            dedup.close()
    summary.seconds = time.perf_counter() - started
    if not args.quiet:
        print(summary.line(), file=sys.stderr)
    return EXIT_FAILED if summary.failed else EXIT_OK


def refuse_state_without_dedup(args: argparse.Namespace) -> None:
    """Conflicting dedup flags are refused before any work."""
    if args.no_dedup and args.state is not None:
        raise CleanerError("--state keeps duplicates across runs: it cannot go with --no-dedup")


def load_rules(directory: Path | None) -> RuleBook | None:
    """The rule book of `--rules DIR`, or None for the bundled rules."""
    if directory is None:
        return None
    if not directory.is_dir():
        raise CleanerError(f"--rules: {directory} is not a folder")
    return RuleBook.load(directory)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner", description="Turn raw web captures into clean, canonical news articles."
    )
    version = f"cleaner {__version__} ({core_build()})"
    parser.add_argument("--version", action="version", version=version)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler, group=commands) -> argparse.ArgumentParser:
        doc = handler.__doc__
        sub = group.add_parser(
            name, help=doc.splitlines()[0], description=doc,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(handler=handler)
        return sub

    def add_group(name: str, summary: str):
        parent = commands.add_parser(name, help=summary, description=summary)
        return parent.add_subparsers(dest=f"{name}_command", required=True, metavar="COMMAND")

    clean = add("clean", command_clean)
    clean.add_argument("inputs", nargs="+", metavar="INPUT", help="capture files or folders")
    clean.add_argument("-o", "--output", required=True, metavar="OUT",
                       help="output folder (with --engine ray, also a URL)")
    clean.add_argument("--rules", type=Path, metavar="DIR", help="rule folder (default: bundled rules)")
    clean.add_argument("--jobs", type=positive, metavar="N", help="worker processes (default: all cores)")
    add_timeout(clean, "with --jobs 1 the cleaning then runs in one worker process")
    clean.add_argument("--state", type=Path, metavar="PATH",
                       help="dedup index kept across runs (default: OUT/.cleaner-state.sqlite)")
    clean.add_argument("--no-dedup", action="store_true", help="write every capture, duplicates too")
    clean.add_argument(
        "--format", type=comma_list, action="extend", metavar="FORMAT[,FORMAT]",
        help=f"how articles are written: {', '.join(FORMATS)}; a list, or the flag again "
        "(default: markdown)",
    )
    clean.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
    clean.add_argument("--engine", choices=("local", "ray"), default="local",
                       help="local: this machine's cores (default); ray: a Ray cluster")
    clean.add_argument("--address", metavar="ADDR",
                       help="with --engine ray: the cluster (auto, ray://HOST:10001); "
                       "default: a local Ray of --jobs CPUs")
    add_max_bytes(clean)
    add_html_engine(clean)
    add_only(clean)

    add("reasons", command_reasons)

    explain = add("explain", command_explain)
    explain.add_argument("capture", type=Path, help="one capture file")
    explain.add_argument("--rules", type=Path, metavar="DIR", help="rule folder (default: bundled rules)")
    add_max_bytes(explain)
    add_html_engine(explain)

    stream = add("stream", command_stream)
    stream.add_argument("--no-dedup", action="store_true", help="keep duplicates")
    stream.add_argument(
        "--state", type=Path, metavar="PATH", help="dedup state file kept across runs (SQLite)"
    )
    stream.add_argument("--rules", type=Path, metavar="DIR", help="rule folder (default: bundled rules)")
    stream.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    add_max_bytes(stream)
    add_html_engine(stream)
    add_only(stream)
    add_timeout(stream, "the cleaning then runs in a worker process")

    rules = add_group("rules", "Keep rule files healthy: check them, read a run's rule statistics.")
    check = add("check", command_rules_check, rules)
    check.add_argument("dir", nargs="?", type=Path, metavar="DIR",
                       help="rule folder (default: bundled rules)")
    stats = add("stats", command_rules_stats, rules)
    stats.add_argument("out", type=Path, metavar="OUT", help="output folder of a run")

    learn = add("learn", command_learn)
    learn.add_argument("captures", nargs="+", type=Path, metavar="CAPTURE",
                       help="text captures of one site, or folders of them")
    learn.add_argument("--site", required=True, help="the rule set's id (lower case, e.g. japannews)")
    learn.add_argument("-o", "--output", type=Path, metavar="FILE",
                       help="write the proposal here (default: standard output)")

    fixtures = add_group("fixtures", "Golden files for rules: add captures, check and update them.")
    for name, handler in (("check", command_fixtures_check), ("update", command_fixtures_update)):
        sub = add(name, handler, fixtures)
        sub.add_argument("--fixtures", type=Path, default=Path("fixtures"), metavar="DIR",
                         help="fixtures folder, one folder per site (default: fixtures)")
        sub.add_argument("--rules", type=Path, metavar="DIR", help="rule folder (default: bundled rules)")
    add_one = add("add", command_fixtures_add, fixtures)
    add_one.add_argument("capture", type=Path, help="the capture file to add")
    add_one.add_argument("--site", required=True, help="the rule set's id: the folder it goes in")
    add_one.add_argument("--fixtures", type=Path, default=Path("fixtures"), metavar="DIR",
                         help="fixtures folder (default: fixtures)")
    add_one.add_argument("--rules", type=Path, metavar="DIR", help="rule folder (default: bundled rules)")
    return parser


def comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return number


def add_timeout(parser: argparse.ArgumentParser, how: str) -> None:
    parser.add_argument("--timeout", type=positive_seconds, metavar="SECONDS",
                        help="stop cleaning a capture after this long: it is an error line "
                        f"and the next goes on (default: no limit; {how})")


def positive_seconds(value: str) -> float:
    """A number of seconds above 0: 30, 2.5."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value}") from None
    if not seconds > 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {value}")
    return seconds


def size(value: str) -> int:
    """A size in bytes, with an optional K, M or G (powers of 1024): 32M, 1G, 500000."""
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    text = value.strip().lower().removesuffix("b").removesuffix("i")
    factor = units.get(text[-1:], 1)
    try:
        number = int(text[:-1] if factor > 1 else text) * factor
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {value} (e.g. 64M)") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 byte or more, not {value}")
    return number


def add_max_bytes(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--max-bytes", type=size, default=DEFAULT_MAX_BYTES, metavar="SIZE",
        help="largest capture read, once inflated (a larger one is an error line); "
        f"K, M, G suffixes (default: {DEFAULT_MAX_BYTES >> 20}M)",
    )


def add_html_engine(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--html-engine", choices=HTML_ENGINES, default=DEFAULT_HTML_ENGINE,
        help="how HTML captures are read: our own block extractor (fast) or trafilatura's "
        f"extract() with our heuristics (default: {DEFAULT_HTML_ENGINE})",
    )


def add_only(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--only", type=comma_list, action="extend", metavar="TYPE[,TYPE]",
        help="write only these page types (article, forum, product, collection, listing, "
        "documentation, service), a list or the flag again; the others are skipped lines "
        "(default: all)",
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except CleanerError as err:
        print(f"cleaner: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as Unix tools do, and keep
        # Python's exit-time flush of stdout from failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("cleaner: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
