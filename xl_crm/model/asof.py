"""The date a workbook is evaluated at, kept apart from what its AsOf cell holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AsOf:
    """`day` is the evaluation date; `fixed` says whether the AsOf cell holds that date or =TODAY().

    Cached formula results, synced values and generated sheets all use `day`,
    so a workbook reads the same before and after a spreadsheet recalculates it.
    """

    day: date
    fixed: bool = True

    @classmethod
    def today(cls) -> AsOf:
        return cls(date.today(), fixed=False)

    @classmethod
    def resolve(cls, given: date | None, cell: date | None = None) -> AsOf:
        """A date the user gave (written into AsOf), else the cell's fixed date, else today with =TODAY() kept."""
        if given is not None:
            return cls(given)
        if cell is not None:
            return cls(cell)
        return cls.today()

    @property
    def cell(self) -> date | None:
        """What the AsOf cell holds: the fixed date, or None for =TODAY()."""
        return self.day if self.fixed else None
