"""The Ray engine against the local one: the same files for the same inputs, on a real
local Ray of 2 CPUs (started once for the module, shut down after it)."""
from __future__ import annotations

import fcntl
import json
import multiprocessing
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from io import BytesIO
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")
pytest.importorskip("fsspec")

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.errors import CleanerError, OutputError
from cleaner.run.local import run as run_local
from cleaner.run.ray import run as run_ray
from cleaner.run.ray.clean import warm_up
from cleaner.run.ray.engine import RaySession, init_ray
from cleaner.sinks import records as record_sinks
from cleaner.siterules.rulebook import RuleBook, default_rulebook
from tests.conftest import FIXTURES, ROOT, cleaner_env
from tests.corpus import article, page, write_texts

DEVSET = ROOT.parent / "shared" / "devset"
# What only the local engine writes: its dedup state; and what either may leave behind.
NOT_COMPARED = (".cleaner-state.sqlite", ".cleaner.lock", ".cleaner-tmp")


@pytest.fixture(scope="module")
def s3_endpoint():
    """An S3-compatible server on this machine (moto's), when moto and s3fs are
    installed, else None. Its address and made-up keys go into the environment before
    Ray starts: Ray's worker processes get the environment Ray started with."""
    try:
        import s3fs  # noqa: F401
        from moto.server import ThreadedMotoServer
    except ImportError:
        yield None
        return
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    saved = dict(os.environ)
    os.environ.update(AWS_ENDPOINT_URL_S3=f"http://{host}:{port}", AWS_ACCESS_KEY_ID="testing",
                      AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    yield f"http://{host}:{port}"
    os.environ.clear()
    os.environ.update(saved)
    server.stop()


@pytest.fixture(scope="module", autouse=True)
def local_ray(s3_endpoint):
    # The local engine's worker processes are spawned here, not forked: a process forked
    # from this one, which holds a Ray driver's connections, left the driver's next call
    # to Ray hanging (after a forked worker had died). A command runs one engine, so this
    # only concerns tests that run both in one process.
    # (they unpickle this module's test rules: the repository must be on their path,
    # after the installed package, which --import-mode=importlib does not put there)
    method, path = multiprocessing.get_start_method(), list(sys.path)
    multiprocessing.set_start_method("spawn", force=True)
    sys.path.append(str(ROOT))
    # As the engine starts Ray: its workers import the package these tests import. Some
    # tests send the workers objects of their own (a Work that stalls): the repository
    # is on the workers' path too, after that package (Ray puts it first).
    init_ray(num_cpus=2, include_dashboard=False, log_to_driver=False,
             configure_logging=True, logging_level="WARNING",
             runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})
    yield
    ray.shutdown()
    multiprocessing.set_start_method(method, force=True)
    sys.path[:] = path


def tree(out: Path) -> dict[str, bytes]:
    """Every file under OUT (the state and temporary files aside), by relative path."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not path.relative_to(out).parts[0].startswith(NOT_COMPARED)
    }


def assert_same(local: Path, distributed: Path) -> None:
    expected, found = tree(local), tree(distributed)
    assert sorted(found) == sorted(expected)
    different = [name for name in expected if expected[name] != found[name]]
    assert different == []


def manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def response(writer, url: str, body: bytes, status: str = "200 OK",
             content_type: str = "text/html; charset=utf-8") -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        url, "response", payload=BytesIO(body), http_headers=http,
        warc_headers_dict={"WARC-Date": "2024-03-04T05:06:07Z"},
    ))


def corpus(folder: Path) -> Path:
    """Stories with exact, near, contained and cross-format copies, WARC files (with
    records to skip, one cut short, one no WARC at all), unreadable and empty captures,
    a broken link."""
    write_texts(folder / "texts", range(12))
    copies = folder / "copies"
    copies.mkdir()
    (copies / "a-exact-3.txt").write_text(article(3), encoding="utf-8")
    (copies / "b-near-5.txt").write_text(article(5) + "\nOne more line of the story.\n",
                                         encoding="utf-8")
    teaser = "\n\n".join(article(7).split("\n\n")[:3]) + "\n"
    (copies / "c-teaser-7.txt").write_text(teaser, encoding="utf-8")
    (copies / "d-page-2.html").write_text(page(2), encoding="utf-8")
    (copies / "e-broken.txt.gz").write_bytes(b"\x1f\x8b" + b"not gzip at all")
    (copies / "f-empty.txt").write_text("", encoding="utf-8")
    (copies / "g-gone.txt").symlink_to(copies / "nowhere.txt")
    with (folder / "crawl.warc.gz").open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n in range(20, 26):
            response(writer, f"https://news.example.org/story/{n}", page(n).encode())
            if n == 22:
                response(writer, "https://news.example.org/missing", b"<html>gone</html>",
                         "404 Not Found")
                response(writer, "https://news.example.org/logo.png", b"\x89PNG", content_type="image/png")
        response(writer, "https://news.example.org/again/3", page(3).encode())
    whole = (folder / "crawl.warc.gz").read_bytes()
    (folder / "cut-short.warc.gz").write_bytes(whole[:-5])
    (folder / "not-a.warc.gz").write_bytes(b"no warc\n" * 10)
    return folder


@pytest.fixture(scope="module")
def captures(tmp_path_factory) -> Path:
    return corpus(tmp_path_factory.mktemp("corpus"))


def test_the_fixtures_come_out_as_the_local_engine_writes_them_in_every_format(
        tmp_path, monkeypatch):
    monkeypatch.setattr(record_sinks, "PART_RECORDS", 3)
    formats = ("markdown", "jsonl", "parquet")
    run_local([FIXTURES], tmp_path / "local", formats=formats)
    summary = run_ray([FIXTURES], tmp_path / "ray", formats=formats)
    assert_same(tmp_path / "local", tmp_path / "ray")
    assert len(list((tmp_path / "ray" / "jsonl").glob("part-*.jsonl"))) > 2
    assert summary.statuses["duplicate"] > 0


def test_duplicates_warc_records_and_failed_inputs_are_placed_as_the_local_engine_places_them(
        captures, tmp_path):
    run_local([captures], tmp_path / "local", formats=("jsonl", "markdown"))
    summary = run_ray([captures], tmp_path / "ray", formats=("jsonl", "markdown"))
    assert_same(tmp_path / "local", tmp_path / "ray")
    rows = manifest(tmp_path / "ray")
    statuses = {row["status"] for row in rows}
    assert statuses == {"written", "duplicate", "empty", "error", "skipped"}
    assert summary.skipped == {"status_404": 2, "not_html": 2}
    assert any(row["source"].startswith(str(captures / "crawl.warc.gz#")) for row in rows)


def test_without_dedup_every_story_gets_its_own_name_as_locally(captures, tmp_path):
    run_local([captures], tmp_path / "local", dedup=False)
    run_ray([captures], tmp_path / "ray", dedup=False)
    assert_same(tmp_path / "local", tmp_path / "ray")


def test_a_title_that_is_another_storys_suffixed_name_is_settled_in_input_order(tmp_path):
    # a and b share a title: b's article gets the name with its hash added; c's title
    # ends with that hash, so the name it would get is b's, and it gets its own hash too
    folder = tmp_path / "in"
    folder.mkdir()

    def story(title: str, n: int) -> str:
        return title + "\n\n" + article(n).split("\n\n", 1)[1]

    (folder / "a.txt").write_text(story("Harbour bridge reopens", 1), encoding="utf-8")
    (folder / "b.txt").write_text(story("Harbour bridge reopens", 2), encoding="utf-8")
    run_local([folder], tmp_path / "probe")
    taken = manifest(tmp_path / "probe")[1]["article"]
    suffix = Path(taken).stem.rsplit("-", 1)[1]
    (folder / "c.txt").write_text(story(f"Harbour bridge reopens {suffix}", 3), encoding="utf-8")
    run_local([folder], tmp_path / "local")
    run_ray([folder], tmp_path / "ray")
    assert_same(tmp_path / "local", tmp_path / "ray")
    _, second, third = (row["article"] for row in manifest(tmp_path / "ray"))
    assert second == taken and third.startswith(taken.removesuffix(".md") + "-")


def test_inputs_and_output_may_be_urls(captures, tmp_path):
    url = f"file://{captures / 'texts'}"
    run_local([url], tmp_path / "local")
    run_ray([url], f"file://{tmp_path / 'ray'}")
    assert_same(tmp_path / "local", tmp_path / "ray")
    assert manifest(tmp_path / "ray")[0]["source"].startswith("file:///")


def test_an_output_url_is_written_through_fsspec_as_the_local_engine_writes_a_folder(
        captures, tmp_path, monkeypatch):
    # local:// is fsspec's name for this machine's files that `file://` is not taken as a
    # path for: the workers write into staging folders and upload, as to s3:// or gs://
    monkeypatch.setattr(record_sinks, "PART_RECORDS", 3)
    formats = ("markdown", "jsonl", "parquet")
    run_local([f"local://{captures}"], tmp_path / "local", formats=formats)
    run_ray([f"local://{captures}"], f"local://{tmp_path / 'ray'}", formats=formats)
    assert_same(tmp_path / "local", tmp_path / "ray")
    assert manifest(tmp_path / "ray")[0]["source"].startswith("local:///")


def test_inputs_and_output_in_an_s3_bucket(s3_endpoint, captures, tmp_path):
    if s3_endpoint is None:
        pytest.skip("moto[server] and s3fs are not installed")
    import fsspec

    s3 = fsspec.filesystem("s3", skip_instance_cache=True)
    s3.mkdir("crawl")
    for path in sorted(captures.rglob("*")):
        if path.is_file() and not path.is_symlink():
            s3.pipe(f"crawl/in/{path.relative_to(captures).as_posix()}", path.read_bytes())
    formats = ("markdown", "jsonl", "parquet")
    run_local(["s3://crawl/in"], tmp_path / "local", formats=formats)
    summary = run_ray(["s3://crawl/in"], "s3://crawl/out", formats=formats)
    s3.invalidate_cache()
    s3.get("crawl/out/", str(tmp_path / "ray") + "/", recursive=True)
    assert_same(tmp_path / "local", tmp_path / "ray")
    rows = manifest(tmp_path / "ray")
    assert all(row["source"].startswith("s3://crawl/in/") for row in rows)
    assert summary.statuses["written"] > 10
    assert any("#" in row["source"] for row in rows)  # the WARC file's records, read from S3


def test_size_limit_html_engine_and_names_that_are_not_utf8_as_locally(captures, tmp_path):
    folder = tmp_path / "in"
    write_texts(folder, range(3))
    (folder / os.fsdecode(b"caf\xe9-\xff.txt")).write_text(article(9), encoding="utf-8")
    (folder / "long.txt").write_text(article(10) * 40, encoding="utf-8")
    inputs = [folder, captures / "crawl.warc.gz"]
    options = {"max_bytes": 6000, "html_engine": "trafilatura"}
    run_local(inputs, tmp_path / "local", **options)
    run_ray(inputs, tmp_path / "ray", **options)
    assert_same(tmp_path / "local", tmp_path / "ray")
    reasons = [row["reason"] or "" for row in manifest(tmp_path / "ray")]
    assert any("too large" in reason for reason in reasons)
    assert any("\\xe9" in row["source"] for row in manifest(tmp_path / "ray"))


def test_only_some_page_types_skips_the_others_and_counts_types_as_locally(captures, tmp_path):
    local = run_local([captures], tmp_path / "local", only="forum,product")
    summary = run_ray([captures], tmp_path / "ray", only="forum,product")
    assert_same(tmp_path / "local", tmp_path / "ray")
    assert summary.page_types == local.page_types
    assert summary.page_types["article"] > 0
    reasons = {row["reason"] for row in manifest(tmp_path / "ray") if row["status"] == "skipped"}
    assert "page type: article" in reasons


def test_the_command_line_joins_a_ray_cluster_whose_workers_clean_with_its_package(
        captures, tmp_path):
    # Ray puts the driver's working folder first on its workers' sys.path: run from a
    # folder holding another `cleaner` (a checkout of this project), the workers
    # imported that one (here one that cannot be imported)
    shadow = tmp_path / "checkout"
    (shadow / "cleaner").mkdir(parents=True)
    (shadow / "cleaner" / "__init__.py").write_text(
        "raise ImportError('the cleaner of the working folder was imported')\n")
    address = ray.get_runtime_context().gcs_address
    done = subprocess.run(
        # -P: the driver itself does not import the working folder's (the console
        # script `cleaner` does not either)
        [sys.executable, "-P", "-m", "cleaner.cli", "clean", str(captures / "texts"), "-o",
         str(tmp_path / "ray"), "--engine", "ray", "--address", address, "--quiet"],
        check=False, env=cleaner_env(), capture_output=True, text=True, timeout=300,
        cwd=shadow,
    )
    assert done.returncode == 0, done.stderr
    run_local([captures / "texts"], tmp_path / "local")
    assert_same(tmp_path / "local", tmp_path / "ray")


@ray.remote
def _package_file() -> str:
    import cleaner

    return str(Path(cleaner.__file__).resolve())


def test_ray_workers_import_the_package_the_driver_imports():
    # the installed (compiled) one when these tests run on it, not the source tree
    import cleaner

    assert ray.get(_package_file.remote()) == str(Path(cleaner.__file__).resolve())


def test_a_worker_is_made_ready_to_clean_in_a_task_of_its_own():
    # what each run submits per worker as it starts: Ray Data imported, the bundled
    # rules loaded (a worker that cannot would fail here, not only in a block)
    assert ray.get([warm_up.remote(True), warm_up.remote(False)]) == [None, None]


def on_a_terminal(command: list[str], cwd: Path) -> str:
    """What `command` prints to a terminal of 40 x 120 (a pseudo-terminal: it finds
    stdout and stderr to be one), once it has ended."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(command, stdin=child, stdout=child, stderr=child, cwd=cwd,
                               env=cleaner_env())
    os.close(child)
    shown = bytearray()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if select.select([main], [], [], 1)[0]:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal's other end closed: the command has ended
                break
            if not chunk:
                break
            shown += chunk
        elif process.poll() is not None:
            break
    os.close(main)
    assert process.wait(timeout=10) == 0, shown.decode(errors="replace")
    return shown.decode(errors="replace")


def test_ray_datas_progress_bars_show_on_a_terminal_and_not_when_quiet(captures, tmp_path):
    address = ray.get_runtime_context().gcs_address
    command = [sys.executable, "-m", "cleaner.cli", "clean", str(captures / "texts"),
               "--engine", "ray", "--address", address]
    shown = on_a_terminal([*command, "-o", str(tmp_path / "shown")], tmp_path)
    assert "MapBatches(clean_items)" in shown  # Ray Data's bar of the cleaning map
    assert "placing" in shown  # the engine's own, over the steps after it
    assert "12 captures: 12 written" in shown
    quiet = on_a_terminal([*command, "-o", str(tmp_path / "quiet"), "--quiet"], tmp_path)
    assert "MapBatches" not in quiet and "placing" not in quiet


class FakeContext:
    def __init__(self, dashboard_url: str | None) -> None:
        self.dashboard_url = dashboard_url


@pytest.mark.parametrize(("url", "quiet", "printed"), [
    ("127.0.0.1:8265", False, "Ray dashboard: http://127.0.0.1:8265\n"),
    ("127.0.0.1:8265", True, ""),
    (None, False, ""),  # Ray without its dashboard (ray[data] alone reports none)
])
def test_the_dashboards_address_is_printed_when_ray_reports_one(
        monkeypatch, capsys, url, quiet, printed):
    # Ray as the session finds it when it starts one: not running yet, then reporting
    # the dashboard's address or none (this module's Ray is left alone)
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", lambda **options: FakeContext(url))
    monkeypatch.setattr(ray, "shutdown", lambda: None)
    with RaySession(None, 2, quiet):
        pass
    assert capsys.readouterr().err == printed


def test_an_output_folder_holding_files_and_a_state_are_refused(captures, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="not empty"):
        run_ray([captures / "texts"], out)
    with pytest.raises(CleanerError, match="--state"):
        run_ray([captures / "texts"], tmp_path / "other", state=tmp_path / "state.sqlite")
    assert not (tmp_path / "other").exists()


class DyingRules(RuleBook):
    """Bundled rules whose lookup kills its process when it sees story 4: always, or
    only the first time (when `flag`, a file it then makes, does not exist yet)."""

    def __init__(self, flag: str | None = None) -> None:
        super().__init__()
        self.__dict__.update(default_rulebook().__dict__)
        self.flag = flag

    def select(self, url, text, *more, **options):
        if text.startswith(article(4).split("\n", 1)[0]):
            if self.flag is None:
                os._exit(1)
            if not os.path.exists(self.flag):
                Path(self.flag).touch()
                os._exit(1)
        return super().select(url, text, *more, **options)


def test_a_worker_that_dies_is_retried_and_every_input_is_accounted_once(captures, tmp_path):
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    flag = tmp_path / "died"
    summary = run_ray([captures / "texts"], tmp_path / "ray", rules=DyingRules(str(flag)))
    assert flag.exists()
    run_local([captures / "texts"], tmp_path / "local")
    assert_same(tmp_path / "local", tmp_path / "ray")
    assert summary.statuses == {"written": 12}


class StallingRules(RuleBook):
    """Bundled rules whose lookup, the first time it sees story 4, writes its process id
    into `flag` and waits there (for the test to kill the process)."""

    def __init__(self, flag: str) -> None:
        super().__init__()
        self.__dict__.update(default_rulebook().__dict__)
        self.flag = flag

    def select(self, url, text, *more, **options):
        if text.startswith(article(4).split("\n", 1)[0]) and not os.path.exists(self.flag):
            Path(self.flag + ".tmp").write_text(str(os.getpid()))
            os.rename(self.flag + ".tmp", self.flag)
            time.sleep(120)
        return super().select(url, text, *more, **options)


def test_a_worker_killed_from_outside_mid_run_is_replaced_and_every_input_is_accounted_once(
        captures, tmp_path):
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    flag = tmp_path / "stalled"
    killed = []

    def kill_when_stalled() -> None:
        deadline = time.monotonic() + 120
        while not flag.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        pid = int(flag.read_text())
        os.kill(pid, signal.SIGKILL)  # raises if there is no such process
        killed.append(pid)

    killer = threading.Thread(target=kill_when_stalled)
    killer.start()
    summary = run_ray([captures / "texts"], tmp_path / "ray", rules=StallingRules(str(flag)))
    killer.join()
    assert killed and killed[0] != os.getpid()
    run_local([captures / "texts"], tmp_path / "local")
    assert_same(tmp_path / "local", tmp_path / "ray")
    assert summary.statuses == {"written": 12}
    assert [row["source"] for row in manifest(tmp_path / "ray")] == \
        [row["source"] for row in manifest(tmp_path / "local")]


def test_a_capture_that_kills_its_worker_every_time_is_an_error_line_as_locally(
        captures, tmp_path):
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    summary = run_ray([captures / "texts"], tmp_path / "ray", rules=DyingRules())
    run_local([captures / "texts"], tmp_path / "local", rules=DyingRules(), jobs=2)
    assert_same(tmp_path / "local", tmp_path / "ray")
    assert summary.statuses == {"written": 11, "error": 1}


def devset_inputs(folder: Path, pages: int | None) -> Path:
    """The dev set's text and HTML captures of the first `pages` pages (all: None), as
    one input folder of links (both engines read the same paths)."""
    names = sorted(p.stem for p in (DEVSET / "text").glob("*.txt"))[:pages]
    for kind, suffix in (("text", ".txt"), ("html", ".html")):
        (folder / kind).mkdir(parents=True)
        for name in names:
            (folder / kind / (name + suffix)).symlink_to(DEVSET / kind / (name + suffix))
    return folder


@pytest.mark.skipif(not DEVSET.is_dir(), reason="the dev set is not beside the repository")
def test_the_dev_set_as_text_and_html_together_comes_out_as_locally(tmp_path):
    # CLEANER_TEST_DEVSET=all for the whole set (1,898 captures, a few minutes on 2 CPUs)
    pages = None if os.environ.get("CLEANER_TEST_DEVSET") == "all" else 120
    folder = devset_inputs(tmp_path / "devset", pages)
    formats = ("markdown", "jsonl", "parquet")
    run_local([folder], tmp_path / "local", jobs=2, formats=formats)
    summary = run_ray([folder], tmp_path / "ray", formats=formats)
    assert_same(tmp_path / "local", tmp_path / "ray")
    assert summary.statuses["duplicate"] > 0.4 * summary.total

