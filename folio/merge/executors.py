"""Executors: `--jobs` and `--scheduler` -> a `concurrent.futures.Executor` and how to share.

The run submits `worker.render_row` to whatever this returns and does not know which it
has: a local `ProcessPoolExecutor` whose processes are replaced after `RECYCLE` rows (so
that memory stays flat over any number of rows), a Dask `LocalCluster` (`local`), or a
running Dask scheduler (`tcp://HOST:PORT`) through `Client.get_executor()`. Dask is the
optional extra `folio[scale]`. `share` is what the tasks receive as the bundle: itself in
a local pool (a pipe copy per row, cheap beside a PDF), a future scattered once to every
Dask worker otherwise.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from ..errors import FolioError
from .worker import follow

RECYCLE = 100
"""Rows a local worker process renders before it is replaced by a fresh one."""


@dataclass
class Pool:
    """An executor, its number of workers, and the bundle as tasks should receive it."""

    executor: Executor
    workers: int
    share: Any
    where: str


def cores() -> int:
    """Return the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


@contextlib.contextmanager
def open_pool(bundle: dict[str, Any], jobs: int | None, scheduler: str | None,
              recycle: int = RECYCLE) -> Iterator[Pool]:
    """Start the executor the options ask for; shut it down (and its cluster) after."""
    if scheduler is None:
        workers = jobs or cores()
        # Fresh processes (forkserver) rather than forks of this one: recycling a worker
        # needs it, and a fork would inherit whatever this process holds.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["folio.merge.worker", "weasyprint"])
        with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                 max_tasks_per_child=recycle, initializer=follow,
                                 initargs=(os.getpid(),)) as executor:
            yield Pool(executor, workers, bundle, f"{workers} local process(es)")
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise FolioError("--scheduler needs Dask: pip install 'folio[scale]' (or drop "
                         "--scheduler to use the processes of this machine)") from exc
    for name in ("distributed", "dask"):  # its own news is not Folio's to print
        logging.getLogger(name).setLevel(logging.ERROR)
    with contextlib.ExitStack() as stack:
        if scheduler == "local":
            cluster = stack.enter_context(LocalCluster(
                n_workers=jobs or cores(), threads_per_worker=1, processes=True,
                dashboard_address=None, host="127.0.0.1",
                scheduler_kwargs={"dashboard": False}))
            client = stack.enter_context(Client(cluster))
        elif scheduler.startswith(("tcp://", "tls://")):
            try:
                client = stack.enter_context(Client(scheduler, timeout=30))
            except OSError as exc:
                raise FolioError(f"the Dask scheduler at {scheduler} does not answer ({exc}); "
                                 "start it with `dask scheduler` and its workers with "
                                 f"`dask worker {scheduler}`") from exc
        else:
            raise FolioError(f"--scheduler takes tcp://HOST:PORT or local, not '{scheduler}'")
        workers = len(client.scheduler_info().get("workers", {}))
        if workers == 0:
            client.wait_for_workers(1, timeout=60)
            workers = len(client.scheduler_info().get("workers", {}))
        share = client.scatter([bundle], broadcast=True, hash=True)[0]  # one object
        executor = client.get_executor(pure=False)
        yield Pool(executor, max(workers, 1), share, f"Dask at {client.scheduler.address}"
                   if scheduler != "local" else f"a local Dask cluster of {workers}")
