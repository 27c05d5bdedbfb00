"""Hostile and broken input: every capture ends as one manifest line with a clear reason.

The inputs are made here, at test time (nothing large is stored): empty, binary and
truncated files, gzip bombs, files over the size limit, UTF-16 without a byte-order mark,
mojibake, PDFs and images named .html, pages with no body or only scripts, huge single
lines, deep nesting, control characters, bad sidecars, front matter that tries to write
outside OUT, javascript: URLs, hostile file names, symbolic link loops, a FIFO and a WARC
file with bad records. One real `cleaner clean` process cleans them all, under a CPU-time
and memory budget; then each manifest line, each article file and the output folder are
checked. `cleaner stream` gets the same treatment with hostile JSON lines.
"""
from __future__ import annotations

import gzip
import json
import os
import random
import resource
import subprocess
import sys
import zlib
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.sources.files import source_name

from .conftest import cleaner_env

# The limit the run is given, small so that the test stays fast; the bomb inflates far past it.
MAX_BYTES = 4 * 1024 * 1024
DEEP_DIVS = 20_000
BOMB_BYTES = 2 * 1024 * 1024 * 1024
# Budgets for the whole run of every case, generous (a few times what it takes on a busy
# 2-core machine) so that they only fail when a case is read whole or loops: reading the
# bomb whole would take over 2 GB, and a loop or a hang would run to the CPU limit.
MEMORY_BUDGET_MB = 1024
CPU_BUDGET_SECONDS = 120
# Hard limits set on the child process, so that a regression fails instead of stalling CI.
ADDRESS_SPACE_LIMIT = 4 * 1024**3
CPU_LIMIT_SECONDS = 300
WALL_TIMEOUT = 600

WORDS = ("council", "bridge", "harbour", "engineers", "cables", "towers", "residents", "traffic",
         "morning", "evening", "repairs", "officials", "colour", "cost", "river", "ferry", "mayor",
         "budget", "workers", "weekend", "station", "market", "schools", "weather", "storm")


def sentences(tag: str, count: int = 4) -> list[str]:
    """Sentences of a story of its own (no two tags make duplicates), with `tag` in the first."""
    rng = random.Random(tag.encode("utf-8", "surrogatepass"))
    made = []
    for n in range(count):
        words = rng.sample(WORDS, 12)
        made.append(f"{'The ' + tag if n == 0 else 'The'} {' '.join(words)} said on Monday.")
    return made


def article(tag: str) -> str:
    return f"Story of {tag}\n\n" + "\n".join(sentences(tag)) + "\n"


def page(tag: str) -> str:
    return (f"<!doctype html><html><head><title>Story of {tag}</title></head><body><article>"
            f"<h1>Story of {tag}</h1>" + "".join(f"<p>{s}</p>" for s in sentences(tag))
            + "</article></body></html>")
CONTROL = {chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]}
# A file name made of bytes that are not UTF-8 (Python sees a lone surrogate).
BAD_BYTES_NAME = os.fsdecode(b"caf\xe9-\xff.txt")


# The child sets its own limits, then runs the command line.
LIMITED_CLEANER = (
    "import resource, sys\n"
    f"resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE_LIMIT}, {ADDRESS_SPACE_LIMIT}))\n"
    f"resource.setrlimit(resource.RLIMIT_CPU, ({CPU_LIMIT_SECONDS}, {CPU_LIMIT_SECONDS}))\n"
    "from cleaner.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def run_limited(args: list[str], cwd: Path, stdin: bytes = b"") -> tuple[int, str, str, float, float]:
    """Run `cleaner ARGS` under hard limits; (exit code, stdout, stderr, peak memory in MB,
    CPU seconds)."""
    process = subprocess.Popen(
        [sys.executable, "-c", LIMITED_CLEANER, *args], cwd=cwd, env=cleaner_env(),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out, err = process.communicate(stdin, timeout=WALL_TIMEOUT)
    # the largest child so far: this one, unless an earlier child took more (an upper bound)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    return (process.returncode, out.decode("utf-8"), err.decode("utf-8", "replace"),
            usage.ru_maxrss / 1024, cpu)


def gzip_bomb(path: Path, inflated: int) -> None:
    """A gzip file of many members, each 16 MB of zeros: `inflated` bytes from about 0.1%."""
    member = gzip.compress(bytes(16 * 1024 * 1024), compresslevel=9)
    with path.open("wb") as out:
        for _ in range(inflated // (16 * 1024 * 1024)):
            out.write(member)


def warc_record(writer, url: str, body: bytes, content_type: str) -> None:
    http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        url, "response", payload=BytesIO(body), http_headers=http,
    ))


def make_inputs(root: Path) -> dict[str, tuple[str, str | None]]:
    """Write every hostile case under `root`; {source: (status, reason fragment or None)}."""
    cases: dict[str, tuple[str, str | None]] = {}

    def case(name: str, data: bytes | str, status: str, reason: str | None = None) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
        cases[str(path)] = (status, reason)
        return path

    case("empty.txt", b"", "empty", "capture has no text")
    case("blank.html", b"  \n\t\n", "empty", "capture has no text")
    case("binary.txt", bytes(range(256)) * 64, "error", "not text but binary data")
    case("report.pdf.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "error",
         "not text but a PDF document")
    case("photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "error", "a PNG image")
    case("truncated.txt.gz", gzip.compress(article("truncated").encode() * 50)[:300], "error",
         "broken gzip data")
    gzip_bomb(root / "bomb.txt.gz", BOMB_BYTES)
    cases[str(root / "bomb.txt.gz")] = ("error", "too large")
    with (root / "sparse.txt").open("wb") as sparse:  # 100 MB that take no disk
        sparse.truncate(100 * 1024 * 1024)
    cases[str(root / "sparse.txt")] = ("error", "too large")
    case("utf16le.txt", article("utf16le").encode("utf-16-le"), "written")
    case("utf16be.txt", article("utf16be").encode("utf-16-be"), "written")
    mojibake = article("mojibake").replace("Monday.", "Monday — in Française blue.").encode().decode("cp1252")
    case("mojibake.txt", mojibake, "written")
    mixed = ("Café ümlaut\n\n".encode() + article("mixed").encode()
             + "Latin-1 café naïve\n".encode("latin-1"))
    case("mixed.txt", mixed, "written")
    case("scripts.html", "<html><head><script>var x = 1;</script></head><body><script>"
         "document.write('hi')</script></body></html>", "empty")
    case("nobody.html", "<html><head><title>Only a title</title></head></html>", "empty")
    case("unclosed-font.html", "<html><body>" + "<font>" * 300 + page("font").split("<body>")[1],
         "written")
    # 20,000 unclosed <div>s: far past any recursion limit (Python's 1,000, lxml's 255);
    # lexbor's parse grows with the square of such nesting (README, "Limits"), and
    # 100,000 took a minute of this test's time
    case("deep-divs.html", "<html><body>" + "<div>" * DEEP_DIVS + "<p>" + " ".join(sentences("divs"))
         + "</p></body></html>", "written")
    case("huge-line.txt", " ".join(sentences("huge line", 30_000)), "written")
    case("controls.txt", "Bridge\x00 reopens\x1b[31m\n\n" + "\n".join(
        s.replace("the", "t\x00h\x07e") + "\x0b" for s in sentences("controls")), "written")
    case("surrogates.txt", article("surrogate\ud800"), "written")

    case("enc5.txt", article("enc5"), "error", "'encoding' is int")
    (root / "enc5.meta.json").write_text('{"encoding": 5}')
    case("lone.txt", article("lone"), "written")
    (root / "lone.meta.json").write_text('{"url": "https://example.com/\\ud800", "fetched_at": "x"}')
    case("jsurl.txt", article("jsurl"), "written", None)
    (root / "jsurl.meta.json").write_text('{"url": "javascript:alert(document.cookie)"}')
    case("badjson.txt", article("badjson"), "error", "bad sidecar")
    (root / "badjson.meta.json").write_text('{"url": ')
    case("deepjson.txt", article("deepjson"), "error", "nested too deeply")
    (root / "deepjson.meta.json").write_text("[" * 100_000)

    escape = "---\ntitle: Escape\npublished: \"/tmp/elsewhere/x\"\n---\n" + article("escape")
    case("escape.txt", escape, "written")
    above = ("---\ntitle: Above\npublished: \"../../..\"\nsite: ../../etc\nurl: \"file:///etc/passwd\"\n"
             "---\n" + article("above"))
    case("above.txt", above, "written")

    for i, name in enumerate(["-rf.txt", "new\nline.txt", BAD_BYTES_NAME, "x" * 240 + ".txt",
                              ".hidden.txt", "$(touch pwned).txt", "..txt", " .txt"]):
        case(f"names/{name}", article(f"name{i}"), "written")

    links = root / "links"
    links.mkdir()
    (links / "a.txt").symlink_to("b.txt")
    (links / "b.txt").symlink_to("a.txt")
    (links / "back").symlink_to("..")
    (links / "gone.txt").symlink_to("nowhere.txt")
    cases[str(links / "a.txt")] = ("skipped", "loop of symbolic links")
    cases[str(links / "b.txt")] = ("skipped", "loop of symbolic links")
    cases[str(links / "back")] = ("skipped", "folder walked already")
    cases[str(links / "gone.txt")] = ("skipped", "broken symbolic link")
    os.mkfifo(root / "fifo.txt")
    cases[str(root / "fifo.txt")] = ("error", "named pipe")

    warc = root / "crawl.warc.gz"
    with warc.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        warc_record(writer, "https://example.org/a", page("warc-a").encode(), "text/html")
        warc_record(writer, "https://example.org/nul", page("warc-nul").encode(),
                    "text/html; charset=utf-8\x00")
        warc_record(writer, "https://example.org/pdf", b"%PDF-1.4 not a page", "text/html")
        warc_record(writer, "https://example.org/big", b"<html><body><p>" + b"x " * MAX_BYTES, "text/html")
        warc_record(writer, "https://example.org/c", page("warc-c").encode(), "text/html")
    return cases


def check_output_file(path: Path, out: Path) -> None:
    """An output file: valid UTF-8, no control character, inside OUT; an article's front matter parses."""
    assert Path(os.path.realpath(path)).is_relative_to(os.path.realpath(out)), path
    text = path.read_bytes().decode("utf-8")  # raises if not valid UTF-8
    assert not CONTROL & set(text.replace("\n", "")), f"control character in {path}"
    if path.suffix == ".md":
        assert text.startswith("---\n")
        front = yaml.safe_load(text[4 : text.index("\n---\n", 3)])
        assert isinstance(front, dict) and front["sha256"]


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    inputs, out, outside = root / "in", root / "out", root / "outside"
    inputs.mkdir()
    outside.mkdir()
    cases = make_inputs(inputs)
    code, _, stderr, memory, cpu = run_limited(
        ["clean", str(inputs), "-o", str(out), "--jobs", "1", "--max-bytes", str(MAX_BYTES), "-q"],
        cwd=outside,
    )
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    return {"cases": cases, "rows": rows, "code": code, "stderr": stderr, "memory": memory,
            "cpu": cpu, "out": out, "outside": outside, "root": root}


def test_the_run_goes_on_and_exits_with_failures_noted(hostile_run):
    assert hostile_run["code"] == 1, hostile_run["stderr"]  # errors were met: exit status 1
    assert "Traceback" not in hostile_run["stderr"]


def test_the_run_keeps_to_its_budgets(hostile_run):
    assert hostile_run["memory"] < MEMORY_BUDGET_MB, f"peak {hostile_run['memory']:.0f} MB"
    assert hostile_run["cpu"] < CPU_BUDGET_SECONDS, f"{hostile_run['cpu']:.0f} s of CPU"


def test_every_input_has_one_line_with_the_expected_status_and_reason(hostile_run):
    # a name's bytes that are not UTF-8 are written \xNN (see sources.files.source_name)
    rows = {row["source"]: row for row in hostile_run["rows"]}
    assert rows[str(Path(next(iter(hostile_run["cases"]))).parent / "names" / "caf\\xe9-\\xff.txt")]
    for source, (status, reason) in hostile_run["cases"].items():
        row = rows[source_name(source)]
        assert row["status"] == status, (source, row)
        if reason:
            assert reason in row["reason"], (source, row)
    sources = [row["source"] for row in hostile_run["rows"]]
    assert len(sources) == len(set(sources))
    assert len(sources) == len(hostile_run["cases"]) + 5  # and the WARC file's 5 pages


def test_warc_records_after_a_bad_one_are_read(hostile_run):
    warc = [row for row in hostile_run["rows"] if "crawl.warc.gz#" in row["source"]]
    assert [row["status"] for row in warc] == ["written", "written", "error", "error", "written"]
    assert "not text but a PDF document" in warc[2]["reason"]
    assert "too large" in warc[3]["reason"]


def test_what_a_capture_states_never_leads_outside_out(hostile_run):
    out, root = hostile_run["out"], hostile_run["root"]
    written = [p for p in root.rglob("*") if p.is_file() and not p.is_relative_to(root / "in")]
    assert all(p.is_relative_to(out) for p in written), [p for p in written if not p.is_relative_to(out)]
    assert not list(hostile_run["outside"].iterdir())  # the working folder: no `pwned`, nothing
    assert not Path("/tmp/elsewh-x.md").exists()
    rows = {Path(row["source"]).name: row for row in hostile_run["rows"]}
    assert rows["escape.txt"]["article"].startswith("unknown-site/undated-")
    assert rows["escape.txt"]["warnings"] == ["published not kept: '/tmp/elsewhere/x' is not a date"]
    assert set(rows["above.txt"]["warnings"]) == {
        "published not kept: '../../..' is not a date", "site not kept: '../../etc' is not a site name",
        "url not kept: 'file:///etc/passwd' is not an http(s) URL",
    }
    assert rows["jsurl.txt"]["warnings"] == [
        "url not kept: 'javascript:alert(document.cookie)' is not an http(s) URL"]


def test_every_output_file_is_safe_utf8_inside_out(hostile_run):
    out = hostile_run["out"]
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix in {".md", ".jsonl", ".json"}]
    assert len(files) > 20
    for path in files:
        check_output_file(path, out)


def test_text_that_is_there_is_found(hostile_run):
    out = hostile_run["out"]
    rows = {Path(row["source"]).name: row for row in hostile_run["rows"]}

    def body(name: str) -> str:
        return (out / rows[name]["article"]).read_text(encoding="utf-8").split("\n---\n", 1)[1]

    for name, tag in (("utf16le.txt", "utf16le"), ("utf16be.txt", "utf16be"),
                      ("unclosed-font.html", "font"), ("deep-divs.html", "divs")):
        assert sentences(tag)[1] in body(name), name
    assert "Monday — in Française blue." in body("mojibake.txt")
    assert sentences("controls")[1].replace("the", "the") in body("controls.txt")
    assert sentences("surrogate\ud800")[1] in body("surrogates.txt")  # its bytes are no UTF-8
    lone = (out / rows["lone.txt"]["article"]).read_text(encoding="utf-8")
    assert "url: https://example.com/\ufffd" in lone


STREAM_LINES = [
    b"[" * 100_000,
    json.dumps({"text": article("stream one"), "id": "\ud800", "n": 1}).encode(),
    b'{"text": "' + b"x" * (MAX_BYTES + 10) + b'"}',
    b"not json",
    b"",
    b"\xff\xfe not utf-8",
    json.dumps({"html": page("stream two"), "url": "javascript:alert(1)"}).encode(),
    json.dumps({"text": None}).encode(),
    json.dumps({"text": article("stream three").replace("the", "t\x00he"), "x": "\x1b[2J"}).encode(),
    b'{"text": "ok", "n": NaN}',
]


def test_stream_answers_every_hostile_line_with_a_safe_line(tmp_path):
    data = b"\n".join(STREAM_LINES) + b"\n"
    code, stdout, stderr, _, _ = run_limited(
        ["stream", "--no-dedup", "-q", "--max-bytes", str(MAX_BYTES)], cwd=tmp_path, stdin=data)
    assert code == 1 and "Traceback" not in stderr, stderr
    lines = stdout.splitlines()
    assert len(lines) == len(STREAM_LINES)
    records = [json.loads(line) for line in lines]  # strict JSON: no NaN
    assert not CONTROL & set(stdout.replace("\n", ""))
    assert [r["status"] for r in records] == [
        "error", "written", "error", "error", "error", "error", "written", "error", "written", "empty",
    ]
    assert "nested too deeply" in records[0]["reason"]
    assert records[1]["id"] == "\ufffd"
    assert "too large" in records[2]["reason"]
    assert records[6]["warnings"] == ["url not kept: 'javascript:alert(1)' is not an http(s) URL"]
    assert records[8]["x"] == "" and "bridge" in records[8]["body"]
    assert records[9]["n"] == "nan"


def test_cleaner_in_a_pipe_closed_early_stops_quietly(tmp_path):
    capture = tmp_path / "long.txt"
    capture.write_text("\n".join(f"Line {i} of a capture long enough to fill a pipe buffer." for i in range(20_000)))
    lines = tmp_path / "lines.jsonl"
    lines.write_text((json.dumps({"text": article("pipe")}) + "\n") * 300)
    for args in (["explain", str(capture)], ["stream", "--no-dedup"]):
        with lines.open("rb") as stdin:
            process = subprocess.Popen(
                [sys.executable, "-m", "cleaner.cli", *args], cwd=tmp_path, env=cleaner_env(),
                stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )
            process.stdout.readline()
            process.stdout.close()  # as `| head -1` does
            stderr = process.stderr.read().decode()
            assert process.wait(timeout=WALL_TIMEOUT) == 0, stderr
        assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_stream_with_stdout_closed_from_the_start_exits_quietly(tmp_path):
    # `cleaner stream >&-`: Python starts with no sys.stdout at all
    done = subprocess.run(
        ["sh", "-c", 'exec "$0" "$@" >&-', sys.executable, "-m", "cleaner.cli", "stream", "--no-dedup"],
        cwd=tmp_path, env=cleaner_env(), input=b'{"text": "x"}\n', stderr=subprocess.PIPE,
        timeout=WALL_TIMEOUT, check=False,
    )
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr


def test_a_gzip_member_count_bomb_is_stopped_at_the_limit(tmp_path):
    # the library on its own: a 2 GB bomb, refused having inflated little more than the limit
    from cleaner.errors import CaptureError
    from cleaner.sources.files import read_capture

    gzip_bomb(tmp_path / "bomb.html.gz", BOMB_BYTES)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(CaptureError, match="too large: more than 1,048,576 bytes once inflated"):
        read_capture(tmp_path / "bomb.html.gz", max_bytes=1024 * 1024)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 64 * 1024  # KB


def test_zlib_bomb_single_member(tmp_path):
    # one member of 256 MB of zeros (a quarter of a MB on disk)
    from cleaner.errors import CaptureError
    from cleaner.sources.files import read_capture

    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    with (tmp_path / "bomb.txt.gz").open("wb") as out:
        chunk = bytes(1024 * 1024)
        for _ in range(256):
            out.write(compressor.compress(chunk))
        out.write(compressor.flush())
    with pytest.raises(CaptureError, match="too large"):
        read_capture(tmp_path / "bomb.txt.gz", max_bytes=1024 * 1024)
