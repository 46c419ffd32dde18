"""How the command line ends: exit handlers run, Python's teardown is skipped, status kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROGRAM = """
import atexit, sys, threading, time

class Torn:
    def __del__(self):
        print("torn down", flush=True)

kept = Torn()  # a module global: freed only by Python's teardown
atexit.register(lambda: print("exit handler ran"))

def show_helper():  # registered before Folio imports multiprocessing: runs after its handler
    from folio.formats.pdf import helper
    if helper._helper is not None:
        print("helper", helper._helper.process.pid, flush=True)
atexit.register(show_helper)
if "thread" in sys.argv[1:2]:
    def late():  # still running when the command is done, however slow the machine
        import os
        while not os.path.exists("build/index.html"):  # the archive: the build's last file
            time.sleep(0.05)
        time.sleep(2)
        print("thread finished", flush=True)
    threading.Thread(target=late).start()
sys.argv = ["folio", *sys.argv[2:]]
from folio.cli import run
run()
"""


def folio(project: Path, mode: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", PROGRAM, mode, *args], cwd=project,
                          capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_a_finished_command_runs_its_exit_handlers_and_skips_the_teardown(project: Path) -> None:
    done = folio(project, "-", "build", "mini", "--format", "web")
    assert done.returncode == 0, done.stderr
    assert "mini                     web    built in" in done.stdout
    assert "exit handler ran" in done.stdout  # stdout flushed after the handlers
    assert "torn down" not in done.stdout


def test_a_failed_command_keeps_its_status(project: Path) -> None:
    done = folio(project, "-", "build", "no-such-edition")
    assert done.returncode == 1
    assert "no-such-edition" in done.stderr and "Traceback" not in done.stderr
    assert "exit handler ran" in done.stdout and "torn down" not in done.stdout


def test_a_build_stops_its_pdf_helper_before_the_process_ends(project: Path) -> None:
    done = folio(project, "-", "build", "mini", "--format", "pdf")
    assert done.returncode == 0, done.stderr
    assert (project / "build" / "mini" / "mini.pdf").read_bytes().startswith(b"%PDF")
    pid = next(line.split()[1] for line in done.stdout.splitlines() if line.startswith("helper"))
    assert not Path("/proc", pid).exists()  # it would watch for its parent for 0.5 s more


def test_a_thread_still_running_is_waited_for_the_usual_way(project: Path) -> None:
    done = folio(project, "thread", "build", "mini", "--format", "web")
    assert done.returncode == 0, done.stderr
    assert "thread finished" in done.stdout
    assert "torn down" in done.stdout  # the usual exit, teardown and all
