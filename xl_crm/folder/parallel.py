"""Reading a team's workbooks on every core of this machine, or on a Dask cluster.

Each workbook is read (parsed and typed into its frames) and reduced
(read_team's `reduce`: checked, trimmed to what a report reads) where it
is read; only what is left travels back, not the file. Dask is an optional extra
(`pip install xl_crm[dask]`): it is imported only when a scheduler is given.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from ..errors import XlCrmError
from ..sheets.read import CrmData
from .read import read_member

SCHEDULER_ENV = "XL_CRM_SCHEDULER"


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _shipped(path, mapping, sheets, reduce=None) -> CrmData | str:
    """read_member in another process, its equal texts and dates made one object each before they travel.

    Pickle writes an object it has seen as a reference: an owner, a stage or
    a date repeated on every row crosses once (a 200-deal rep file: 420 kB ->
    260 kB, which counts where the workers are other machines).
    """
    data = read_member(path, mapping, sheets, reduce)
    if isinstance(data, str):
        return data
    for table in data.tables.values():
        frame = table.frame
        shared = {}
        for key in frame.columns:
            cells = frame[key].to_numpy(dtype=object)
            if len(cells) and infer_dtype(cells, skipna=True) in ("string", "date", "datetime"):
                codes, distinct = pd.factorize(cells)  # one kind throughout: equal means the same cell
                shared[key] = np.append(distinct.astype(object), None)[codes]
        if shared:
            table.frame = frame.assign(**shared)
    return data


def _local(paths: list[Path], mapping, sheets, reduce=None, jobs: int | None = None) -> list:
    """One process per core (fork, so nothing is imported again); in turn for one file or one core."""
    jobs = min(jobs or cores(), len(paths))
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [read_member(path, mapping, sheets, reduce) for path in paths]
    read = partial(_shipped, mapping=mapping, sheets=sheets, reduce=reduce)
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(read, paths, chunksize=max(1, len(paths) // (4 * jobs))))


def _on_cluster(scheduler, paths: list[Path], mapping, sheets, reduce=None) -> list:
    """Each file read by a worker of the cluster (the workers must see the same paths: a shared drive)."""
    try:
        from distributed import Client
    except ImportError:
        raise XlCrmError("--scheduler needs Dask: pip install 'xl_crm[dask]'") from None
    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        futures = client.map(_shipped, [str(p) for p in paths], mapping=mapping, sheets=sheets, reduce=reduce,
                             pure=False)
        found = client.gather(futures)
    finally:
        if client is not scheduler:
            client.close()
    return list(found)


def reader(scheduler=None, jobs: int | None = None):
    """The reader read_team takes: on the cluster `scheduler` names (or XL_CRM_SCHEDULER), else local cores."""
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if scheduler is not None:
        return partial(_on_cluster, scheduler)
    return partial(_local, jobs=jobs)
