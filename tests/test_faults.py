"""Faults an unlucky user meets: each gives one message naming the file, exit 1, no traceback.

Every case starts from a project whose last build succeeded, breaks one thing, runs the
command line, and checks the message, the exit status, the absence of a traceback, and
that the outputs of the last good build are unchanged. The fuzz tests at the end throw
random YAML, random bytes and pathological Markdown at the same promise.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, reported
from tests.conftest import generate as run

MINI = Path("content") / "mini"


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("good")
    shutil.copytree(FIXTURES / "content" / "mini", project / MINI)
    done = run(project, "build", "--jobs", "1", "--format", "web,email")
    assert done.returncode == 0, done.stderr
    return project


def outputs(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes()
            for p in sorted((project / "build").rglob("*")) if p.is_file()}


@pytest.fixture
def broken(good_build: Path, tmp_path: Path) -> Path:
    """A copy of the good project, to break."""
    shutil.copytree(good_build, tmp_path / "p")
    return tmp_path / "p"


def assert_clean_failure(project: Path, before: dict[str, bytes], names: str,
                         *commands: list[str]) -> None:
    for command in commands or (["build", "--format", "web,email"], ["check", "mini"]):
        done = run(project, *command)
        assert done.returncode == 1, (command, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr + done.stdout
        assert reported(names, done), (command, done.stdout, done.stderr)
        assert outputs(project) == before


# --- 15. YAML that PyYAML's constructors refuse ----------------------------------------

@pytest.mark.parametrize(("line", "says"), [
    ("date: 2025-02-30", "a date that exists"),
    ("date: 2025-13-01", "a date that exists"),
    ("date: 2025-01-01T10:00:00+25:00", "a date that exists"),
    ("subtitle: " + "9" * 4400, "a valid int"),
    ("subtitle: !!float abc", "a valid float"),
    ("subtitle: !!timestamp hello", "a date that exists"),
    ("subtitle: " + "[" * 3000, "nested too deeply"),
    ("true: 1", "the key 'true' is not a name"),
    ("title: Second title", "'title' is given twice (also on line 1)"),
    ('logo: "\\ud800.png"', "lone surrogate"),
], ids=lambda value: value[:24])
def test_yaml_that_cannot_be_read_is_an_error_with_a_line(
    broken: Path, line: str, says: str,
) -> None:
    before = outputs(broken)
    config = broken / MINI / "edition.yaml"
    text = config.read_text()
    key = line.split(":", 1)[0] + ":"
    kept = [row for row in text.splitlines() if not row.startswith(key) or key == "title:"]
    config.write_text("\n".join([*kept, line]) + "\n")
    assert_clean_failure(broken, before, f"edition.yaml, line {len(kept) + 1}: ")
    assert says in run(broken, "build").stderr


def test_duplicate_keys_in_front_matter_are_an_error(broken: Path) -> None:
    before = outputs(broken)
    section = broken / MINI / "01-introduction.md"
    section.write_text(section.read_text().replace("summary:", "title: Again\nsummary:", 1))
    assert_clean_failure(broken, before, "01-introduction.md, line 3: 'title' is given twice")


# --- 17. a damaged picture in a section's text ----------------------------------------

@pytest.mark.parametrize("damage", ["cut", "text", "renamed jpeg"])
def test_a_damaged_picture_in_the_text_is_one_error_everywhere(broken: Path,
                                                               damage: str) -> None:
    before = outputs(broken)
    picture = broken / MINI / "images" / "pic.png"
    good = picture.read_bytes()
    target = broken / MINI / "images" / "broken.png"
    target.write_bytes({"cut": good[: len(good) // 2], "text": b"not a picture",
                        "renamed jpeg": b"\xff\xd8\xff\xe0" + good[4:]}[damage])
    section = broken / MINI / "01-introduction.md"
    section.write_text(section.read_text() + "\n![A chart](images/broken.png)\n")
    assert_clean_failure(broken, before, "01-introduction.md, line ",
                         ["build", "--format", "web"], ["build", "--format", "email"],
                         ["build", "--format", "pdf"], ["check", "mini"])
    assert "images/broken.png" in run(broken, "build", "--format", "pdf").stderr


# --- 10. pathological Markdown is refused quickly, naming the section -------------------

@pytest.mark.parametrize("body", ["[" * 16_000 + "]" * 16_000, "[a](" * 8_000,
                                  "".join(f"x[^{i}]\n\n[^{i}]: n\n\n" for i in range(8_000)),
                                  "\n\n".join(["[a](" * 400] * 20)], ids=lambda v: v[:8])
def test_pathological_markdown_is_refused_in_seconds(broken: Path, body: str) -> None:
    before = outputs(broken)
    section = broken / MINI / "01-introduction.md"
    section.write_text("---\ntitle: Slow\n---\n" + body)
    started = time.monotonic()
    assert_clean_failure(broken, before, "01-introduction.md, line ",
                         ["build", "--format", "web"])
    assert time.monotonic() - started < 20


# --- fuzz: random YAML, random bytes, random Markdown, through the command line ---------

EDITION_KEYS = ["title", "subtitle", "organisation", "date", "language", "kind", "theme",
                "description", "keywords", "sections", "logo", "cover_image", "website",
                "address", "email", "pdf", "checks", "words"]
TAGS = ["", "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp ", "!!binary ",
        "!!set ", "!!omap ", "!!python/object ", "!custom "]
yaml_scalar = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12).map(lambda t: repr(t)),
    st.integers().map(str), st.floats().map(str), st.sampled_from([
        "true", "null", "~", "2025-02-30", "2025-13-01", "2025-01-01T00:00:00+25:00", "9" * 4400,
        "[", "{", "[1, [2]]", "{a: 1}", "'\\ud800'", '"\\ud800"', '"\\x1b[2J"', "*ref", "&a x",
        "|", ">", "- 1", "? x", "%YAML 1.1", "@", "`", "!", "\t"]))


def report_is_clean(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "\x1b" not in done.stderr + done.stdout
    if done.returncode == 1:  # build names the file on stderr, check as a finding on stdout
        assert "mini/" in done.stderr + done.stdout, done.stderr


FUZZ = settings(max_examples=12, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@FUZZ
@given(key=st.sampled_from(EDITION_KEYS), tag=st.sampled_from(TAGS), value=yaml_scalar)
def test_fuzz_random_yaml_types_and_tags(broken: Path, key: str, tag: str, value: str) -> None:
    before = outputs(broken)
    config = broken / MINI / "edition.yaml"
    original = config.read_text()
    kept = [row for row in original.splitlines() if not row.startswith(f"{key}:")]
    config.write_text("\n".join([*kept, f"{key}: {tag}{value}"]) + "\n")
    try:
        done = run(broken, "build", "--format", "web")
        report_is_clean(done)
        if done.returncode == 1:
            assert outputs(broken) == before
    finally:
        config.write_text(original)


@FUZZ
@given(data=st.binary(max_size=300), escapes=st.lists(st.sampled_from(
    ["\x1b[2J", "\x1b]0;t\x07", "\u202e", "\x00", "\r", "\ufeff", "\x9b", "\udcff"]),
    max_size=3))
def test_fuzz_random_bytes_and_escapes_in_a_section(broken: Path, data: bytes,
                                                    escapes: list[str]) -> None:
    section = broken / MINI / "03-voice.md"
    original = section.read_bytes()
    section.write_bytes(original + data + "".join(escapes).encode("utf-8", "surrogateescape"))
    try:
        report_is_clean(run(broken, "check", "mini"))
    finally:
        section.write_bytes(original)


@FUZZ
@given(pieces=st.lists(st.sampled_from(["[", "]", "(", ")", "[a](", "[^1]", "*", "_", "`", "<",
                                        ">", "![", "\n", "\n\n", "    ", "|", "#", "&", "\\"]),
                       min_size=1, max_size=20),
       repeat=st.integers(1, 600))
def test_fuzz_pathological_markdown_in_bounded_time(broken: Path, pieces: list[str],
                                                    repeat: int) -> None:
    section = broken / MINI / "03-voice.md"
    original = section.read_text()
    section.write_text("---\ntitle: Fuzz\n---\n" + "".join(pieces) * repeat)
    started = time.monotonic()
    try:
        report_is_clean(run(broken, "build", "--format", "web"))
        assert time.monotonic() - started < 30
    finally:
        section.write_text(original)


# --- 11. check's rules take time in proportion to the text ----------------------------

@pytest.mark.parametrize("body", ["{{" * 20_000, "a" * 900_000, "a-" * 20_000, "“a" * 20_000,
                                  "‘a" * 20_000, "{#" * 20_000, "[^" * 20_000, "mailto:" * 20_000],
                         ids=lambda v: v[:4])
def test_check_is_linear_on_pathological_text(project: Path, body: str) -> None:
    from folio.check import check_edition

    (project / MINI / "03-voice.md").write_text("---\ntitle: Voice\n---\n" + body + "\n")
    check_edition(project / MINI)  # the word lists load once, outside the timing
    started = time.process_time()  # CPU seconds: a loaded machine does not stretch them
    check_edition(project / MINI)
    assert time.process_time() - started < 8


# --- 12, 18. drafts: zip bombs, odd encodings, binaries, sections over the limit --------

def zip_bomb(path: Path, part_mb: int) -> None:
    """Write a .docx whose document.xml unpacks to `part_mb` MB of nothing."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://'
                         'schemas.openxmlformats.org/package/2006/content-types"/>')
        with package.open("word/document.xml", "w") as part:
            chunk = b" " * 1_000_000
            for _ in range(part_mb):
                part.write(chunk)


def test_a_zip_bomb_docx_is_refused_before_unpacking(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    zip_bomb(bomb, 400)
    assert bomb.stat().st_size < 1_000_000
    started = time.monotonic()
    done = run(tmp_path, "import", str(bomb), "--name", "bomb", timeout=60)
    assert time.monotonic() - started < 15
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "bomb.docx: this Word file is far larger inside" in done.stderr
    assert "word/document.xml unpacks to 400 MB" in done.stderr
    assert not (tmp_path / "content" / "bomb").exists()


@pytest.mark.parametrize(("name", "data", "says"), [
    ("odd.txt", b"\xff\xfe" + "Title\n\nText".encode("utf-16-le") + b"x", None),
    ("lone.txt", b"\xff\xfe" + "Title\n\nText ".encode("utf-16-le") + b"\x00\xd8", None),
    ("report.txt", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", "this file is a PDF, not a text draft"),
    ("doc.md", b"PK\x03\x04" + bytes(100), "this file is a Word or zip file"),
    ("bin.txt", b"\x7fELF\x02\x01\x01" + bytes(100), "this file is not text"),
])
def test_odd_drafts_import_or_fail_cleanly(tmp_path: Path, name: str, data: bytes,
                                           says: str | None) -> None:
    (tmp_path / name).write_bytes(data)
    done = run(tmp_path, "import", name, "--name", "draft", timeout=60)
    assert "Traceback" not in done.stderr
    if says is None:
        assert done.returncode == 0, done.stderr
    else:
        assert done.returncode == 1 and f"{name}: {says}" in done.stderr


def test_a_draft_section_over_the_limit_is_named(tmp_path: Path) -> None:
    (tmp_path / "long.md").write_text("# Long\n\n## Everything\n\n" + "word " * 260_000)
    done = run(tmp_path, "import", "long.md", "--name", "long", timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "long.md: the part 'Everything' is 1.3 MB of text" in done.stderr
    assert "bug" not in done.stderr


# --- 18. email settings, proofs and slow mail servers ----------------------------------

@pytest.mark.parametrize(("key", "value", "says"), [
    ("subject", '"Line\\nbreak"', "'email.subject' is the email's subject, which must be one"),
    ("subject", '"Tab\\there"', "'email.subject' is the email's subject"),
    ("from", '"Zoë <news@exämple.org>"', "'email.from' must be an address in plain ASCII"),
    ("from", '"Zoë <news@example.org>\\r\\nBcc: x@example.org"',
     "'email.from' must be on one line"),
])
def test_email_headers_from_settings_are_checked(broken: Path, key: str, value: str,
                                                 says: str) -> None:
    before = outputs(broken)
    config = broken / MINI / "edition.yaml"
    lines = config.read_text().splitlines()
    number = next(i for i, row in enumerate(lines) if row.startswith(f"  {key}:"))
    lines[number] = f"  {key}: {value}"
    config.write_text("\n".join(lines) + "\n")
    assert_clean_failure(broken, before, f"edition.yaml, line {number + 1}: {says}",
                         ["build", "--format", "email"], ["check", "mini"])


def test_proof_to_a_non_ascii_address_is_refused(broken: Path) -> None:
    done = run(broken, "send", "mini", "--to", "zoë@example.org", "--smtp", "127.0.0.1:9")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "'zoë@example.org' has letters outside plain ASCII" in done.stderr


def test_a_mail_server_that_never_answers_is_reported_as_such(
    project: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    from folio import send
    from folio.delivery import smtp
    from folio.errors import SendError

    monkeypatch.setattr(smtp, "TIMEOUT", 1)  # the proof's connection is delivery's
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        with pytest.raises(SendError, match="did not answer within 1 seconds"):
            send.send_proof("mini", content=project / "content", out=project / "build",
                            to=["editor@example.org"], smtp=f"127.0.0.1:{port}")


# --- 13, 16. the output folder: full, in the way, damaged --------------------------------

def test_a_full_disk_leaves_each_format_old_or_new_and_other_editions_go_on(
    broken: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The disk fills while the email's second file is written: nothing of it changes."""
    import errno

    from folio import build

    shutil.copytree(broken / MINI, broken / "content" / "other")
    before = outputs(broken)
    config = broken / MINI / "edition.yaml"
    config.write_text(config.read_text().replace("title: Mini Review", "title: Mini Review 2"))
    real_fdopen = os.fdopen
    written: list[str] = []

    def fdopen(fd: int, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        name = os.readlink(f"/proc/self/fd/{fd}")
        if "/build/mini/" in name:
            written.append(name)
            if len(written) == 2:
                raise OSError(errno.ENOSPC, "No space left on device", name)
        return real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(build.os, "fdopen", fdopen)
    results = {r.edition: r for r in build.build(content=broken / "content",
                                                 out=broken / "build", formats=["email"])}
    messages = [str(p) for p in results["mini"].problems]
    assert len(messages) == 1 and "no space left on the disk" in messages[0], messages
    assert results["other"].ok and (broken / "build" / "other" / "email.eml").is_file()
    after = outputs(broken)
    for name, data in before.items():
        if name.startswith("build/mini/"):
            assert after[name] == data, name
    assert len(written) == 2
    assert not [p for p in (broken / "build" / "mini").rglob("*.tmp")]


@pytest.mark.parametrize("damage", ["out is a file", "edition output is a file",
                                    "lock is a folder", "manifest is a folder"])
def test_output_folder_problems_are_named(broken: Path, damage: str) -> None:
    build = broken / "build"
    if damage == "out is a file":
        (broken / "elsewhere").write_text("a file")
        args, named = ["build", "--out", "elsewhere"], "elsewhere"
    elif damage == "edition output is a file":
        shutil.rmtree(build / "mini")
        (build / "mini").write_text("a file")
        args, named = ["build"], "build/mini"
    elif damage == "lock is a folder":
        lock = build / ".folio-locks" / "mini.lock"
        lock.unlink()
        lock.mkdir()
        args, named = ["build", "--force"], str(lock.relative_to(broken))
    else:
        (build / ".folio-manifest.json").unlink()
        (build / ".folio-manifest.json").mkdir()
        args, named = ["build", "--force", "--format", "web"], "build/.folio-manifest.json"
    done = run(broken, *args)
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    assert f"error: {named}: " in done.stderr, done.stderr


def test_markdown_that_passes_the_screen_but_runs_long_is_stopped(
    project: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The time limit is the second line of defence, for slow shapes nobody listed."""
    from folio import markup
    from folio.content import load_edition
    from folio.errors import ContentError

    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 0.2)
    (project / MINI / "03-voice.md").write_text(
        "---\ntitle: Slow\n---\n" + "\n\n".join(["[a](" * 399] * 10))
    started = time.monotonic()
    with pytest.raises(ContentError, match=r"takes more than 0\.2 seconds to read as Markdown"):
        markup.render_sections(load_edition(project / MINI))
    assert time.monotonic() - started < 5
    markup.render_sections(load_edition(FIXTURES / "content" / "mini"))  # reads well after it


# --- issue 33: denial of service -----------------------------------------------------------

SPANS = ['<td colspan="1000000000">a</td>', '<td colspan="10000000">a</td>',
         "<td rowspan=1001>a</td>", '<th colspan=" +0099999">a</th>']


@pytest.mark.parametrize("cell", SPANS, ids=["1e9", "1e7", "rowspan", "padded"])
def test_a_cell_spanning_over_a_thousand_columns_is_an_error_at_its_line(
    broken: Path, cell: str,
) -> None:
    """colspan="10000000" stalled the PDF for minutes; a billion ran out of memory."""
    before = outputs(broken)
    section = broken / MINI / "03-voice.md"
    section.write_text(section.read_text() + f"\n<table>\n<tr>{cell}<td>b</td></tr>\n</table>\n")
    line = section.read_text().splitlines().index(f"<tr>{cell}<td>b</td></tr>") + 1
    started = time.monotonic()
    assert_clean_failure(broken, before, f"03-voice.md, line {line}: a table cell has ",
                         ["build", "--format", "web,pdf,email"], ["check", "mini"])
    assert time.monotonic() - started < 60
    done = run(broken, "build", "--format", "pdf")
    assert "may span at most 1,000" in done.stderr and "bug in Folio" not in done.stderr


def test_a_thousand_columns_still_build(broken: Path) -> None:
    section = broken / MINI / "03-voice.md"
    section.write_text(section.read_text() + '\n<table>\n<tr><td colspan="1000">a</td></tr>\n'
                       "<tr><td>b</td></tr>\n</table>\n")
    done = run(broken, "build", "--format", "web,email")
    assert done.returncode == 0, done.stderr


def word_table_spanning(path: Path, span: str) -> Path:
    """Write a Word draft whose table has a cell merged across `span` columns (w:gridSpan)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_heading("Money", level=1)
    document.add_paragraph("The money raised.")
    table = document.add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            table.cell(r, c).text = f"cell {r} {c}"
    grid_span = OxmlElement("w:gridSpan")
    grid_span.set(qn("w:val"), span)
    table.cell(1, 0)._tc.get_or_add_tcPr().append(grid_span)
    document.save(str(path))
    return path


def test_a_word_cell_merged_across_a_billion_columns_is_refused_at_import(
    tmp_path: Path,
) -> None:
    word_table_spanning(tmp_path / "wide.docx", "1000000000")
    done = run(tmp_path, "import", "wide.docx", "--name", "wide", timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "wide.docx: a merged table cell spans 1000000000 columns" in done.stderr
    assert not (tmp_path / "content" / "wide").exists()
    word_table_spanning(tmp_path / "merged.docx", "2")
    assert run(tmp_path, "import", "merged.docx", "--name", "merged").returncode == 0


@pytest.mark.parametrize("unit", ["a", "a.", "a@", "_", "[", "[]", "[a](", "![a](", "&a", "www.",
                                  "a-b.c+d "])
@pytest.mark.parametrize("kind", [".txt", ".md"])
def test_a_300_kb_line_imports_in_linear_time(tmp_path: Path, unit: str, kind: str) -> None:
    """The e-mail address pattern took 24 to 29 s on a 100 KB line, over 200 s on 300 KB.

    Measured as growth, not wall-clock: a line four times longer may take at most about
    four times as long (twelve, to leave room for a busy machine), where the quadratic
    pattern took sixteen; and the 300 KB import runs under a watchdog that would dump the
    stack and fail it after two minutes.
    """
    import faulthandler

    from folio.errors import FolioError
    from folio.importers import import_draft

    def seconds(length: int, name: str) -> float:
        draft = tmp_path / f"{name}{kind}"
        draft.write_text("# Title\n\n## Part\n\n" + unit * (length // len(unit)) + "\n")
        started = time.perf_counter()
        with contextlib.suppress(FolioError):  # 300 KB of `<` is refused as too long
            import_draft(draft, tmp_path / "content", name, force=True)
        return time.perf_counter() - started

    faulthandler.dump_traceback_later(120, exit=True)
    try:
        seconds(2_000, "warm")
        short, long = seconds(75_000, "short"), seconds(300_000, "long")
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert long < 12 * short + 0.5, (short, long)


@pytest.fixture
def preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A real preview server on a free port, with small limits so that tests run quickly."""
    from folio import watch

    monkeypatch.setattr(watch, "IDLE_TIMEOUT", 0.5)
    monkeypatch.setattr(watch, "REQUEST_SECONDS", 1.0)
    monkeypatch.setattr(watch, "MAX_CONNECTIONS", 6)
    monkeypatch.setattr(watch, "MAX_EVENT_STREAMS", 2)
    root = tmp_path / "build"
    (root / "mini").mkdir(parents=True)
    (root / "mini" / "index.html").write_text("<html><body>preview</body></html>")
    running = watch.serve(root, 0, watch.State())
    yield running.server_address[1]
    running.shutdown()
    running.server_close()


def fetch(port: int, path: str = "/mini/") -> bytes:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def test_clients_sending_a_header_line_now_and_then_cannot_lock_watch_out(preview: int) -> None:
    """Twice as many connections as threads each send a header line every 0.3 s, forever:
    each has one second for its whole request, then it is closed and a page is served."""
    import socket

    slow = [socket.create_connection(("127.0.0.1", preview), timeout=5) for _ in range(12)]
    for connection in slow:
        connection.sendall(b"GET /mini/ HTTP/1.0\r\n")
    closed: set[int] = set()
    started = time.monotonic()
    for _ in range(30):  # bounded: nine seconds at most
        time.sleep(0.3)
        for number, connection in enumerate(slow):
            if number not in closed:
                try:
                    connection.sendall(b"X-Slow: 1\r\n")
                except OSError:  # the server closed it
                    closed.add(number)
        if len(closed) == len(slow):
            break
    elapsed = time.monotonic() - started
    for connection in slow:
        connection.close()
    assert len(closed) == len(slow), f"{len(closed)} of {len(slow)} closed"
    assert elapsed < 8
    assert b"<body>preview" in fetch(preview)


def test_event_streams_are_capped_and_pages_are_still_served(preview: int) -> None:
    import socket

    streams = []
    for _ in range(2):
        connection = socket.create_connection(("127.0.0.1", preview), timeout=5)
        connection.sendall(b"GET /__folio/events HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        assert b"200 OK" in connection.recv(4096)
        streams.append(connection)
    refused = fetch(preview, "/__folio/events")
    assert refused.startswith(b"HTTP/1.0 503") and b"Retry-After: 5" in refused
    assert b"<body>preview" in fetch(preview)
    streams.pop().close()
    time.sleep(0.3)  # the server notices at its next write
    for connection in streams:
        connection.close()


def test_a_browser_hanging_up_prints_nothing(project: Path) -> None:
    """Connections reset halfway through a request or an answer: no traceback on stderr."""
    import re
    import signal
    import socket
    import struct

    from tests.conftest import watch_on_port_0

    process, line = watch_on_port_0(project)
    try:
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", line)[1])  # type: ignore[index]
        reset = struct.pack("ii", 1, 0)  # SO_LINGER 0: close with a reset, as a killed tab
        for request in (b"GET /mini/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", b"GET /mi",
                        b"GET /__folio/events HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"):
            for _ in range(5):
                connection = socket.create_connection(("127.0.0.1", port), timeout=5)
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, reset)
                connection.sendall(request)
                connection.close()
        time.sleep(1)
        assert b"Mini Review" in fetch(port)
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    assert "Traceback" not in errors and "Error" not in errors, errors


# --- issue 33: tracebacks and unexplained errors become one located line ------------------

def assert_one_clear_line(done: subprocess.CompletedProcess[str], says: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr
    assert "bug in Folio" not in done.stdout + done.stderr
    assert says in done.stdout + done.stderr, (done.stdout, done.stderr)


@pytest.mark.parametrize(("where", "line"), [
    ("04-picture.md", 'image: "images/pi\\0c.png"'),
    ("edition.yaml", 'logo: "images/lo\\0go.png"'),
    ("edition.yaml", 'cover_image: "images/\\0.png"'),
])
def test_a_nul_in_a_picture_name_is_an_error_at_its_line(broken: Path, where: str,
                                                         line: str) -> None:
    before = outputs(broken)
    path = broken / MINI / where
    key = line.split(":")[0]
    rows = [row for row in path.read_text().splitlines() if not row.startswith(f"{key}:")]
    rows.insert(3, line)
    path.write_text("\n".join(rows) + "\n")
    assert_clean_failure(broken, before, f"{where}, line 4: the value 'images/")
    assert "contains \\x00, a control character" in run(broken, "check", "mini").stdout


@pytest.mark.parametrize(("text", "line", "says"), [
    ("{{ 1/0 }}", 2, "this template fails here (ZeroDivisionError: division by zero)"),
    ("{{ image('edition.yaml', 100) }}", 2, "this template fails here (UnidentifiedImageError"),
    (b"\xff\xfe not {{ utf8 }}", None, "this template is not UTF-8 text; save it again as UTF-8"),
], ids=["1/0", "image", "not utf-8"])
def test_a_template_that_raises_anything_is_an_error_at_its_line(
    broken: Path, text: str | bytes, line: int | None, says: str,
) -> None:
    before = outputs(broken)
    template = broken / MINI / "templates" / "email" / "components" / "text.mjml"
    template.parent.mkdir(parents=True)
    if isinstance(text, str):
        template.write_text(f"<mj-text>\n{text}\n</mj-text>\n")
    else:
        template.write_bytes(text)
    where = "templates/email/components/text.mjml" + (f", line {line}" if line else "")
    assert_clean_failure(broken, before, f"{where}: {says}",
                         ["build", "--format", "email"], ["check", "mini"])


LONG = "a" * 300


@pytest.mark.parametrize(("args", "says"), [
    (["new", LONG], "is too long for an edition name (300 characters)"),
    (["import", "draft.md", "--name", LONG], "is too long for an edition name (300 characters)"),
    (["build", LONG], "this name is too long for a file name"),
    (["import", "draft.md", "--name", "x", "--language", "en" + "-abcd" * 500],
     "is not a language tag"),
    (["--content", "content/mini/edition.yaml", "build"],
     "--content content/mini/edition.yaml is a file; name the folder"),
    (["check", "--content", "content/mini/edition.yaml"], "is a file; name the folder"),
    (["send", "mini", "--to", "a@example.org", "--smtp", "h" * 300 + ":25"],
     "is not a server name"),
    (["build", "--format", "pfd"], "unknown format 'pfd'"),
    (["build", "--jobs", "many"], "argument --jobs: invalid int value"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["send", "mini"], "one of the arguments --to --merge is required"),
], ids=["new", "import", "build", "language", "content", "check-content", "smtp", "format",
        "jobs", "command", "required"])
def test_bad_arguments_are_one_line_and_exit_1(broken: Path, args: list[str], says: str) -> None:
    """Every error exits 1, argument errors too (argparse's own status is 2)."""
    (broken / "draft.md").write_text("# Title\n\n## Part\n\nText.\n")
    before = outputs(broken)
    assert_one_clear_line(run(broken, *args, timeout=120), says)
    assert outputs(broken) == before


def test_a_500_subtag_language_in_the_edition_is_an_error_at_its_line(broken: Path) -> None:
    before = outputs(broken)
    config = broken / MINI / "edition.yaml"
    config.write_text(config.read_text().replace("language: en-GB",
                                                 "language: en" + "-abcd" * 500))
    assert_clean_failure(broken, before, "edition.yaml, line 5: 'language' must be a language "
                         "tag such as en-GB or fr")


@pytest.mark.parametrize(("line", "says"), [
    ('  unsubscribe_url: "mailto:a@example.org?subject=x\\r\\nBcc: b@example.org"',
     "'email.unsubscribe_url' is an address, which must be one line"),
    ('  web_url: "https://example.org/\\nX-Header: 1"', "'email.web_url' is an address"),
])
def test_line_breaks_in_email_addresses_are_errors_at_their_line(broken: Path, line: str,
                                                                 says: str) -> None:
    before = outputs(broken)
    config = broken / MINI / "edition.yaml"
    rows = [row for row in config.read_text().splitlines()
            if not row.startswith(line.split(":")[0] + ":")]
    rows.insert(rows.index("email:") + 1, line)
    config.write_text("\n".join(rows) + "\n")
    assert_clean_failure(broken, before, f"edition.yaml, line {rows.index(line) + 1}: {says}",
                         ["build", "--format", "email"], ["check", "mini"])


@pytest.mark.parametrize("value", ['"Mini \\uFFFE Review"', '"Mini \\x1b[2J Review"',
                                   '"Mini \\0 Review"'], ids=["fffe", "escape", "nul"])
def test_characters_no_output_can_hold_are_an_error_at_their_line(broken: Path,
                                                                  value: str) -> None:
    """U+FFFE in a title was blamed on email.mjml as invalid MJML."""
    before = outputs(broken)
    config = broken / MINI / "edition.yaml"
    config.write_text(config.read_text().replace("title: Mini Review", f"title: {value}"))
    assert_clean_failure(broken, before, "edition.yaml, line 1: the value 'Mini ",
                         ["build", "--format", "email"], ["check", "mini"])
    assert "email.mjml" not in run(broken, "build", "--format", "email").stderr


def shell(project: Path, command: str) -> subprocess.CompletedProcess[str]:
    """Run Folio through the shell, for redirections a list of arguments cannot express."""
    import shlex
    import sys

    from tests.conftest import ROOT

    folio = f"{shlex.quote(sys.executable)} {shlex.quote(str(ROOT / 'generate.py'))}"
    return subprocess.run(["bash", "-c", command.replace("FOLIO", folio)], cwd=project,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize(("command", "says"), [
    ("FOLIO build --force --format web > /dev/full", "(No space left on device)"),
    ("FOLIO check mini > /dev/full", "(No space left on device)"),
    ("FOLIO build --force --format web >&-", "Folio's output is closed"),
    ("FOLIO build --force --format web | true; exit ${PIPESTATUS[0]}", "(Broken pipe)"),
], ids=["full", "check-full", "closed", "pipe"])
def test_an_output_that_cannot_be_written_is_one_line_and_exit_1(
    broken: Path, command: str, says: str,
) -> None:
    """Exit 0 after a BrokenPipeError would tell a script all went well."""
    done = shell(broken, command)
    assert_one_clear_line(done, says)
    if "pipe" in command:  # the reader left before the first line: the message is all
        assert done.stderr.count("\n") == 1, done.stderr


@pytest.mark.slow
def test_a_table_too_large_for_the_validator_is_written_without_its_claim_and_said(
    project: Path,
) -> None:
    """page-validation stops at 1,024 table rows: that was an internal error and no PDF."""
    rows = "\n".join(f"| row {i} | {i} |" for i in range(1_100))
    (project / MINI / "03-voice.md").write_text(
        f"---\ntitle: Every row\n---\n\n| Name | Value |\n| --- | --- |\n{rows}\n")
    done = run(project, "build", "mini", "--format", "pdf", timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "bug in Folio" not in done.stderr
    assert ("the file is too large for the validator to confirm PDF/UA-1 (table grid "
            "dimensions") in done.stderr
    assert "so it was written without claiming it" in done.stderr
    import pikepdf

    with pikepdf.open(project / "build" / "mini" / "mini.pdf") as pdf:
        xmp = pdf.Root.Metadata.read_bytes()
    assert b"pdfuaid:part" not in xmp  # no PDF Folio writes claims what it is not


def small_disk(project: Path, folder: str, command: str,
               size: str = "16k") -> subprocess.CompletedProcess[str]:
    """Run `command` (FOLIO stands for Folio) with `folder` a small tmpfs: a full disk.

    A real file system that fills, mounted in a private mount namespace (`unshare`, as an
    unprivileged user where the kernel allows it). Where neither works, the test is
    skipped rather than faked.
    """
    import shlex
    import shutil as tools
    import sys

    from tests.conftest import ROOT

    folio = f"{shlex.quote(sys.executable)} {shlex.quote(str(ROOT / 'generate.py'))}"
    script = (f"mkdir -p {folder} && mount -t tmpfs -o size={size} tmpfs {folder} || exit 77; "
              + command.replace("FOLIO", folio))
    if not tools.which("unshare"):
        pytest.skip("unshare (util-linux) is not installed")
    done = subprocess.run(["unshare", "--map-root-user", "--mount", "bash", "-c", script],
                          cwd=project, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode == 77 or "unshare: " in done.stderr:
        pytest.skip(f"no private tmpfs can be mounted here: {done.stderr.strip()[:200]}")
    return done


def test_new_on_a_full_disk_leaves_nothing_behind(tmp_path: Path) -> None:
    done = small_disk(tmp_path, "content", "FOLIO new spring-2026; s=$?; ls -A content; exit $s",
                      size="8k")
    assert_one_clear_line(done, "content/spring-2026 could not be created (No space left on "
                          "device); nothing was written")
    assert done.stdout.strip() == ""  # no half edition, no hidden staging folder


def test_import_on_a_full_disk_leaves_nothing_behind(tmp_path: Path) -> None:
    (tmp_path / "draft.md").write_text("# Title\n\n## Part\n\n" + "Some words. " * 4_000)
    done = small_disk(tmp_path, "content",
                      "FOLIO import draft.md --name spring; s=$?; ls -A content; exit $s")
    assert_one_clear_line(done, "content/spring could not be written (No space left on device)")
    assert done.stdout.strip() == ""


def test_publish_to_a_full_disk_is_one_clear_error(good_build: Path, tmp_path: Path) -> None:
    shutil.copytree(good_build, tmp_path / "p")
    done = small_disk(tmp_path / "p", "site", "FOLIO publish site")
    assert_one_clear_line(done, "publishing stopped after ")
    assert "(No space left on device); each file there is whole" in done.stderr


# --- issue 33: hostile values in every setting, hunting "bug in Folio" --------------------

HOSTILE = ['"a\\0b"', '"a\\uFFFEb"', '"a\\r\\nb"', "x" * 5_000, '"\\e[2J"', "12", "-1",
           "[1, 2]", "{a: 1}", "null", '""', "2025-01-01", "true", "1" + "0" * 30, "1e999",
           '"javascript:alert(1)"', '"../../../etc/passwd"', '"/etc/passwd"', '"."',
           '"%s %(x)s {0}"', '"{{ 7*7 }}"', '"<b>x</b><script>1</script>"', '"\\u202e"',
           '"\\ufeff"', '"a\\u2028b"', '"https://example.org/' + "a" * 3_000 + '"',
           "9999-12-31", "0001-01-01", '"</script><!--"', '"&amp;&#0;&#x110000;"']
SETTINGS = ["title", "subtitle", "organisation", "date", "language", "kind", "theme",
            "description", "summary", "draft", "keywords", "sections", "logo", "cover_image",
            "cover_image_alt", "website", "address", "checks", "words", "email.subject",
            "email.preheader", "email.from", "email.reply_to", "email.web_url",
            "email.pdf_url", "email.asset_base_url", "email.mode", "email.merge_tags",
            "email.unsubscribe_url", "email.view_online_url", "pdf.paper", "pdf.contents",
            "pdf.variant"]
FIELDS = ["title", "layout", "summary", "image", "image_alt", "caption", "quote",
          "attribution", "break", "figures.value", "figures.label", "cta.label", "cta.url",
          "events.date", "events.title", "events.place", "events.url"]


def with_setting(text: str, key: str, value: str) -> str:
    """Return edition.yaml's text with `key` (`email.subject`: one inside a block) set."""
    outer, _, inner = key.partition(".")
    rows = [row for row in text.splitlines() if not row.startswith(f"{outer}:")
            and not (inner and row.startswith(f"  {inner}:"))]
    if not inner:
        return "\n".join([*rows, f"{key}: {value}"]) + "\n"
    if f"{outer}:" in text:
        block = [row for row in text.splitlines()
                 if row.startswith("  ") and not row.startswith(f"  {inner}:")]
        rows = [row for row in rows if not row.startswith("  ")]
    else:
        block = []
    return "\n".join([*rows, f"{outer}:", *block, f"  {inner}: {value}"]) + "\n"


def with_field(key: str, value: str) -> str:
    """Return a section whose front matter sets `key` (`cta.url`: one inside a block)."""
    outer, _, inner = key.partition(".")
    if outer == "figures":
        other = "label: x" if inner == "value" else "value: '1'"
        return (f"---\ntitle: T\nlayout: figures\nfigures:\n  - {inner}: {value}\n"
                f"    {other}\n---\nB\n")
    if outer == "cta":
        other = "label: Go" if inner == "url" else "url: https://example.org/"
        return f"---\ntitle: T\nlayout: cta\ncta:\n  {inner}: {value}\n  {other}\n---\nB\n"
    if outer == "events":
        others = "\n".join(f"    {k}: {v}" for k, v in (("date", "2025-01-01"), ("title", "E"))
                           if k != inner)
        return f"---\ntitle: T\nlayout: events\nevents:\n  - {inner}: {value}\n{others}\n---\nB\n"
    head = "" if key == "title" else "title: T\n"
    return f"---\n{head}{key}: {value}\n---\nB\n"


def unexplained(project: Path) -> list[str]:
    """Build (web and email) and check the edition in this process; return what fails in a
    way Folio cannot explain: an exception, or a problem without a file and line."""
    from folio.build import build_edition
    from folio.check import check_edition, problem_findings
    from folio.errors import FolioError

    edition = project / MINI
    found = []
    try:
        result = build_edition(edition, project / "build", ["web", "email"], force=True)
        found += [str(p) for p in result.problems
                  if "unexpectedly" in p.message or "bug in Folio" in p.message]
        try:
            findings = check_edition(edition)
        except FolioError as exc:  # an edition that does not load: `check` lists why
            findings = problem_findings(exc)
        found += [f"{f.file}: {f.message}" for f in findings
                  if "unexpectedly" in f.message or not f.file]
    except Exception as exc:  # what the test looks for
        found.append(f"{type(exc).__name__}: {exc}")
    return found


@pytest.mark.slow
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(where=st.sampled_from([("setting", key) for key in SETTINGS]
                             + [("field", key) for key in FIELDS]),
       value=st.sampled_from(HOSTILE))
def test_fuzz_hostile_values_in_every_setting_and_field_are_explained(
    project: Path, where: tuple[str, str], value: str,
) -> None:
    """About 40 values made the build say "failed unexpectedly ... bug in Folio" or `check`
    print a traceback; each hostile value must give a located error, or build."""
    kind, key = where
    config, section = project / MINI / "edition.yaml", project / MINI / "03-voice.md"
    original = config.read_text(), section.read_text()
    try:
        if kind == "setting":
            config.write_text(with_setting(original[0], key, value))
        else:
            section.write_text(with_field(key, value))
        assert unexplained(project) == []
    finally:
        config.write_text(original[0])
        section.write_text(original[1])
