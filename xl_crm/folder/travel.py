"""A workbook read in one process, as it is pickled to another: text and date columns as codes.

A rep file's frames hold a few distinct owners, stages, IDs and dates over
thousands of cells. Pickled cell by cell, each travels as its own object and
is rebuilt as one on the other side; as codes (small integers, copied as
bytes) into the column's distinct values, a file crosses in a third of the
time and arrives with each repeated text and date one object.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from ..sheets.read import CrmData

SHARED = ("string", "date", "datetime", "empty")  # kinds whose equal cells are the same cell (no 1 == TRUE)


class Parcel:
    """A CrmData that packs its frames when pickled and arrives as the CrmData itself.

    Unpickled nowhere (a Dask worker in the reader's own process), it stays a
    parcel: `opened` gives the data either way.
    """

    def __init__(self, data: CrmData):
        self.data = data

    def __reduce__(self):
        shell, frames = copy.copy(self.data), {}
        shell.tables = {}
        for key, table in self.data.tables.items():
            shell.tables[key], frames[key] = copy.copy(table), pack(table.frame)
            shell.tables[key].frame = None
        return _unpacked, (shell, frames)


def opened(found):
    """What a reader got back: the CrmData (or the note) a parcel holds."""
    return found.data if isinstance(found, Parcel) else found


def _unpacked(data: CrmData, frames: dict) -> CrmData:
    for key, packed in frames.items():
        data.tables[key].frame = unpack(packed)
    return data


def pack(frame: pd.DataFrame):
    """(index, columns, cells), each text or date column as (codes, its distinct values + None); else the frame.

    Only object frames are packed, and only columns whose blanks are all None,
    so the frame arrives cell for cell as it left.
    """
    if any(dtype != "object" for dtype in frame.dtypes):
        return frame
    cells = frame.to_numpy(dtype=object)
    columns = []
    for j in range(cells.shape[1]):
        column = cells[:, j]
        if len(column) and infer_dtype(column, skipna=True) in SHARED:
            codes, distinct = pd.factorize(column)  # a blank is -1: the None after the values
            if all(cell is None for cell in column[codes < 0]):
                # the smallest signed integers that hold -1 .. len(distinct) - 1
                codes = codes.astype(np.min_scalar_type(-len(distinct) - 1))
                column = (codes, np.append(distinct.astype(object), None))
        columns.append(column)
    return frame.index, frame.columns, columns


def unpack(packed) -> pd.DataFrame:
    """The frame `pack` was given."""
    if isinstance(packed, pd.DataFrame):
        return packed
    index, names, columns = packed
    grid = np.empty((len(index), len(names)), dtype=object)
    for j, column in enumerate(columns):
        grid[:, j] = column[1][column[0]] if isinstance(column, tuple) else column
    return pd.DataFrame(grid, index=index, columns=names, dtype=object, copy=False)
