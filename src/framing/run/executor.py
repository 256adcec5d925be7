"""Where partition tasks run: in this process, or on a Dask cluster (``[run] engine``).

``engine = "local"`` runs the tasks one after another here. ``engine = "dask"``
connects to ``[run] scheduler`` (``"tcp://host:8786"``) or, when it is empty, starts a
``LocalCluster`` with one single-threaded worker process per core
(``os.cpu_count()``: VADER, Punkt and the lexicon scan are pure Python, so threads
would share one interpreter lock). Dask is imported only then.

Faults: a task whose worker dies is re-run by Dask on another worker (Dask's
``allowed-failures``, default 3). When no worker is left, or a task killed too many
workers, the run stops with a message naming the scheduler; every partition already
written is kept, and the same command resumes with the unfinished ones. A scheduler
that cannot be reached within :data:`CONNECT_TIMEOUT` seconds is an error naming the
address.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from typing import Any

from framing._strings import release_free_memory
from framing.run.context import RunError

__all__ = ["CONNECT_TIMEOUT", "NO_WORKER_TIMEOUT", "Executor", "run_task"]

#: Seconds to wait for the scheduler to answer.
CONNECT_TIMEOUT = 10
#: Seconds without any connected worker after which the run stops.
NO_WORKER_TIMEOUT = 60


def run_task(func: Callable[..., Any], *args: Any) -> Any:
    """Return ``func(*args)``, then give the memory the task freed back to the system.

    A worker process runs one partition task after another. Without this, the C heap
    (glibc) and Arrow's memory pool keep the pages a task freed, and the process grows
    from task to task: in one process, sentiment, frames and keyness of four 1M-run
    partitions grew it from 459 to 572 MB, against 305 to 332 MB with
    :func:`framing._strings.release_free_memory` after each task (issue 15 §5, worker
    peak RSS). The task's own objects are gone when it returns, so its pages can be
    released; no live object changes.
    """
    try:
        return func(*args)
    finally:
        release_free_memory()


class Executor:
    """Run ``func(*args)`` for each partition, with progress lines; lazily starts Dask.

    Parameters
    ----------
    engine : {"local", "dask"}
    scheduler : str
        Dask scheduler address, or ``""`` for a ``LocalCluster``.
    log : callable
        Receives progress lines (the dashboard address when Dask starts).
    """

    def __init__(self, engine: str, scheduler: str, log: Callable[[str], None]) -> None:
        self.engine = engine
        self.scheduler = scheduler
        self.log = log
        self.client: Any = None
        self.cluster: Any = None

    def _connect(self) -> Any:
        if self.client is not None:
            return self.client
        from dask.distributed import Client, LocalCluster

        if self.scheduler:
            try:
                self.client = Client(
                    self.scheduler, timeout=f"{CONNECT_TIMEOUT}s", set_as_default=False
                )
            except (OSError, TimeoutError) as exc:
                raise RunError(
                    f"cannot reach the Dask scheduler at {self.scheduler} within "
                    f"{CONNECT_TIMEOUT} s ({type(exc).__name__}). Start it with "
                    f"`dask scheduler` on that machine, check the address and the "
                    f"firewall, or run without --scheduler to use this machine"
                ) from None
        else:
            workers = os.cpu_count() or 1
            self.cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            )
            self.client = Client(self.cluster, set_as_default=False)
        info = self.client.scheduler_info()
        self.log(
            f"dask: scheduler {self.client.scheduler.address}, "
            f"{len(info.get('workers', {}))} worker(s); dashboard {self.client.dashboard_link}"
        )
        return self.client

    def map(self, func: Callable[..., Any], args: list[tuple[Any, ...]], label: str) -> list[Any]:
        """Return ``[func(*a) for a in args]``, computed locally or on the cluster."""
        if not args:
            return []
        if self.engine != "dask":
            out = []
            for n, a in enumerate(args, 1):
                out.append(run_task(func, *a))
                self.log(f"{label}: partition {n}/{len(args)} done")
            return out
        return self._dask_map(func, args, label)

    def _dask_map(self, func: Callable[..., Any], args: list[tuple[Any, ...]], label: str) -> Any:
        from dask.distributed import as_completed
        from distributed.scheduler import KilledWorker

        client = self._connect()
        name = getattr(func, "__name__", "task")  # the dashboard shows the task's own name
        futures = [
            client.submit(run_task, func, *a, key=f"{name}-{uuid.uuid4().hex}") for a in args
        ]
        with client.as_current():
            return self._follow(client, futures, label, as_completed(futures), KilledWorker)

    def _follow(
        self, client: Any, futures: list[Any], label: str, queue: Any, killed: type
    ) -> list[Any]:
        """Wait for ``futures``, logging progress; stop when no worker is left."""
        done = 0
        alone_since: float | None = None
        try:
            while not queue.is_empty():
                finished = queue.next_batch(block=False)
                for fut in finished:
                    if fut.status == "error":
                        exc = fut.exception()
                        if isinstance(exc, killed):
                            raise RunError(
                                f"{label}: a partition task killed every worker that ran it "
                                f"on {client.scheduler.address} (out of memory?). Finished "
                                "partitions are kept; lower [run] partition_mb and run the "
                                "same command again"
                            ) from None
                        fut.result()  # re-raises the task's own error
                    done += 1
                if finished:
                    self.log(f"{label}: {done}/{len(futures)} partition(s) done")
                    continue
                time.sleep(0.5)
                n_workers = len(client.scheduler_info().get("workers", {}))
                if n_workers:
                    alone_since = None
                elif alone_since is None:
                    alone_since = time.monotonic()
                elif time.monotonic() - alone_since > NO_WORKER_TIMEOUT:
                    raise RunError(
                        f"{label}: no Dask worker has been connected to "
                        f"{client.scheduler.address} for {NO_WORKER_TIMEOUT} s; "
                        f"{done} of {len(futures)} partition(s) finished and are kept. "
                        "Start workers (`dask worker <address>`) and run the same command "
                        "again to resume"
                    )
        except BaseException:
            client.cancel(futures)
            raise
        return client.gather(futures)

    def n_workers(self) -> int:
        """Return how many tasks run at once: 1 locally, else the connected workers."""
        if self.engine != "dask":
            return 1
        return max(len(self._connect().scheduler_info().get("workers", {})), 1)

    def close(self) -> None:
        """Close the client and the LocalCluster this executor started."""
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None
