"""A block below Today's follow-ups (greetings, payments): its cells placed under the follow-up columns."""

from __future__ import annotations

WIDTH = 12  # the follow-up columns


def placed(values: dict, places: dict[str, int]) -> list:
    """One sheet row: each value in the column `places` gives its key, the rest empty."""
    cells = [None] * WIDTH
    for key, cell in values.items():
        cells[places[key]] = cell
    return cells
