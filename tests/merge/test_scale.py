"""Merges survive kill -9, and a real Dask cluster on 127.0.0.1 makes what the pool makes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path

import pytest

from folio.merge.run import merge
from tests.conftest import ROOT
from tests.merge.conftest import many_rows, pdf_text, write_rows


def finished_rows(manifest: Path) -> dict[str, str]:
    """Return the keys the manifest records as done (read-only, retried while locked)."""
    for _ in range(50):
        try:
            with sqlite3.connect(f"file:{manifest}?mode=ro", uri=True, timeout=1) as db:
                return dict(db.execute("SELECT key, files FROM rows"))
        except sqlite3.OperationalError:
            time.sleep(0.05)
    return {}


def group_members(group: int) -> list[int]:
    """Return the live processes of a process group (zombies aside), from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(entry.name))
    return members


@pytest.mark.slow
def test_kill_9_leaves_no_partial_file_and_the_next_run_finishes_the_rest(
        donor_project: Path) -> None:
    count = 14
    data = write_rows(donor_project / "rows.csv", many_rows(count))
    folder = donor_project / "build" / "donor-statement" / "merge"
    manifest = folder / "manifest.sqlite"
    run = subprocess.Popen(
        [sys.executable, str(ROOT / "generate.py"), "merge", "donor-statement", "--data",
         str(data), "--jobs", "1"], cwd=donor_project, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and run.poll() is None:
            if manifest.is_file() and len(finished_rows(manifest)) >= 3:
                break
            time.sleep(0.02)
        time.sleep(0.15)  # somewhere inside the next row: rendering or writing it
        os.kill(run.pid, signal.SIGKILL)  # the client only: its workers must follow it
        run.wait(timeout=30)
        deadline = time.monotonic() + 20
        while group_members(run.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not group_members(run.pid), "worker processes outlived their client"
    finally:
        if group_members(run.pid):
            os.killpg(run.pid, signal.SIGKILL)
        run.wait(timeout=30)
    done = finished_rows(manifest)
    assert 3 <= len(done) < count, "the run was to be killed half way"
    # Every file under its final name is whole: a PDF that reads, a message with a body.
    for path in folder.glob("D-*"):
        if path.suffix == ".pdf":
            assert "donor number" in pdf_text(path), path
        else:
            assert message_from_bytes(path.read_bytes()).get_payload(), path
    stamps = {name: (folder / name).stat().st_mtime_ns
              for files in done.values() for name in json.loads(files)}

    again = merge("donor-statement", data, content=donor_project / "content",
                  out=donor_project / "build", jobs=1)
    assert again.failed == [] and again.skipped == len(done)
    assert again.done == count - len(done)
    assert {name: (folder / name).stat().st_mtime_ns for name in stamps} == stamps
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"D-{n:04d}.{s}" for n in range(1, count + 1) for s in ("pdf", "eml")]
        + ["manifest.sqlite"])


def scheduler_address(path: Path) -> str:
    """Wait for the scheduler to write its address file (whole) and return the address."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            return str(json.loads(path.read_text())["address"])
        except (OSError, ValueError, KeyError):
            time.sleep(0.1)
    raise AssertionError("the Dask scheduler did not start")


def _start(arguments: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", *arguments], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


@pytest.mark.slow
def test_a_dask_cluster_makes_the_same_outputs_as_the_local_pool(
        donor_project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    pytest.importorskip("distributed")
    data = write_rows(donor_project / "rows.csv", many_rows(6))
    # The scheduler and workers run elsewhere: they see neither the project nor the build.
    elsewhere = tmp_path_factory.mktemp("cluster")
    address_file = elsewhere / "scheduler.json"
    processes = [_start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                         "0", "--no-dashboard", "--scheduler-file", str(address_file)],
                        elsewhere)]
    try:
        address = scheduler_address(address_file)
        assert address.startswith("tcp://127.0.0.1:")
        for _ in range(2):
            processes.append(_start(["distributed.cli.dask_worker", address, "--nthreads",
                                     "1", "--nworkers", "1", "--host", "127.0.0.1",
                                     "--no-dashboard", "--local-directory", str(elsewhere)],
                                    elsewhere))
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=90)

        content = donor_project / "content"
        outs = {"dask": elsewhere.parent / "out-dask", "local": elsewhere.parent / "out-local"}
        dask = merge("donor-statement", data, content=content, out=outs["dask"],
                     scheduler=address)
        local = merge("donor-statement", data, content=content, out=outs["local"], jobs=2)
    finally:
        for process in reversed(processes):
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    assert (dask.done, dask.failed) == (6, []) and "Dask at tcp://127.0.0.1:" in dask.where
    assert (local.done, local.failed) == (6, [])
    made = {name: {p.name: p.read_bytes() for p in (out / "donor-statement" / "merge").glob(
        "D-*")} for name, out in outs.items()}
    assert len(made["dask"]) == 12 and made["dask"] == made["local"]


@pytest.mark.slow
def test_scheduler_local_starts_a_dask_cluster_here(donor_project: Path) -> None:
    pytest.importorskip("distributed")
    result = merge("donor-statement", content=donor_project / "content",
                   out=donor_project / "build", scheduler="local", jobs=2, formats=["email"])
    assert (result.done, result.failed) == (3, []) and "local Dask cluster" in result.where
    assert sorted(p.name for p in (donor_project / "build" / "donor-statement" / "merge")
                  .glob("D-*")) == ["D-1001.eml", "D-1002.eml", "D-1003.eml"]
