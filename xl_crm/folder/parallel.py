"""Reading a team's workbooks on every core of this machine, or on a Dask cluster.

Each workbook is read (parsed and typed into its frames) and reduced
(read_team's `reduce`: checked, trimmed to what a report reads) where it
is read; only what is left travels back, not the file. Dask is an optional extra
(`pip install xl_crm[dask]`): it is imported only when a scheduler is given.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from ..errors import XlCrmError
from .read import read_member
from .travel import Parcel, opened

SCHEDULER_ENV = "XL_CRM_SCHEDULER"


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _shipped(path, mapping, sheets, reduce=None) -> Parcel | str:
    """read_member in another process, its frames packed for the way back (travel.Parcel)."""
    data = read_member(path, mapping, sheets, reduce)
    return data if isinstance(data, str) else Parcel(data)


@contextmanager
def _no_collection():
    """The cyclic garbage collector paused (as it was before, after).

    Reading a workbook leaves no reference cycles behind, yet the collector
    walks everything read so far, again and again: 4 ms of each file's
    60 ms in a reading process, and half a second of the parent's time while
    200 files' frames arrive (from local processes or a Dask cluster).
    Processes forked meanwhile inherit the pause.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _local(paths: list[Path], mapping, sheets, reduce=None, jobs: int | None = None) -> list:
    """One process per core (fork, so nothing is imported again); in turn for one file or one core.

    Files go out two at a time: the processes end within a file or two of each
    other, and what they read travels back as they go, not an eighth of the
    folder at once (whose last batches left a core idle for up to a second).
    """
    jobs = min(jobs or cores(), len(paths))
    with _no_collection():
        if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return [read_member(path, mapping, sheets, reduce) for path in paths]
        read = partial(_shipped, mapping=mapping, sheets=sheets, reduce=reduce)
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            return [opened(found) for found in pool.map(read, paths, chunksize=2)]


def _on_cluster(scheduler, paths: list[Path], mapping, sheets, reduce=None) -> list:
    """Each file read by a worker of the cluster (the workers must see the same paths: a shared drive)."""
    try:
        from distributed import Client
    except ImportError:
        raise XlCrmError("--scheduler needs Dask: pip install 'xl_crm[dask]'") from None
    try:
        client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    except (OSError, ValueError) as exc:  # unreachable, refused, or not an address
        raise XlCrmError(f"cannot use the Dask scheduler {scheduler!r} ({exc}); "
                         f"give --scheduler tcp://HOST:PORT or set {SCHEDULER_ENV}") from None
    try:
        futures = client.map(_shipped, [str(p) for p in paths], mapping=mapping, sheets=sheets, reduce=reduce,
                             pure=False)
        with _no_collection():  # as the files' frames arrive, see _no_collection
            found = client.gather(futures)
    finally:
        if client is not scheduler:
            client.close()
    return [opened(each) for each in found]


def reader(scheduler=None, jobs: int | None = None):
    """The reader read_team takes: on the cluster `scheduler` names (or XL_CRM_SCHEDULER), else local cores."""
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if scheduler is not None:
        return partial(_on_cluster, scheduler)
    return partial(_local, jobs=jobs)
