"""A workbook read in another process arrives as it was read there: every cell of the same type and value,
blanks None where they were None, and each repeated text one object."""

from __future__ import annotations

import pickle
from datetime import date, datetime

import numpy as np
import pandas as pd
from helpers import TEAM_DAY as DAY
from helpers import round_robin, team_folder

from xl_crm.commands.demo import demo_frames
from xl_crm.folder.parallel import reader
from xl_crm.folder.read import inputs_only, read_member, read_team
from xl_crm.folder.travel import Parcel, opened, pack, unpack


def _cells(frame: pd.DataFrame) -> list:
    return [(type(v), v if v == v else "NaN") for v in frame.to_numpy(dtype=object).ravel()]


def test_a_packed_frame_unpacks_cell_for_cell():
    frame = pd.DataFrame({"text": ["a", None, "a", "b"], "day": [date(2026, 1, 2), None, date(2026, 1, 2), None],
                          "moment": [datetime(2026, 1, 2, 9), None, None, None], "blank": [None] * 4,
                          "nan_text": ["a", np.nan, "a", None], "mixed": [1.0, True, "1", None],
                          "number": [1.0, 2.0, None, 1.0]}, index=[5, 6, 8, 9], dtype=object)
    back = unpack(pickle.loads(pickle.dumps(pack(frame))))
    assert back.index.equals(frame.index) and list(back.columns) == list(frame.columns)
    assert (back.dtypes == "object").all()
    assert _cells(back) == _cells(frame)
    assert back["text"][5] is back["text"][8]


def test_a_frame_of_typed_columns_travels_whole():
    frame = pd.DataFrame({"amount": [1.5, 2.0], "text": ["a", "b"]})
    assert unpack(pack(frame)).equals(frame)


def test_a_parcel_arrives_as_the_data_read(tmp_path):
    frames = demo_frames(DAY, customers=12, opportunities=30, contacts=12, activities=60)
    folder = team_folder(tmp_path / "team", frames, round_robin(2))
    data = read_member(folder / "book0.xlsx", None, None, inputs_only)
    arrived = pickle.loads(pickle.dumps(Parcel(data)))
    assert opened(Parcel(data)) is data
    assert set(arrived.tables) == set(data.tables)
    for key, table in data.tables.items():
        assert arrived.tables[key].frame.index.equals(table.frame.index)
        assert _cells(arrived.tables[key].frame) == _cells(table.frame), key
        assert arrived.tables[key].columns == table.columns
    assert arrived.settings == data.settings and arrived.path == data.path


def test_a_folder_read_on_two_cores_is_the_folder_read_in_turn(tmp_path):
    frames = demo_frames(DAY, customers=12, opportunities=30, contacts=12, activities=60)
    folder = team_folder(tmp_path / "team", frames, round_robin(3))
    here, there = read_team(folder, reader=reader(jobs=1)), read_team(folder, reader=reader(jobs=2))
    for key in ("customers", "opportunities", "activities", "history"):
        assert _cells(there.merged.frame(key)) == _cells(here.merged.frame(key)), key
        assert there.origin[key].equals(here.origin[key])
