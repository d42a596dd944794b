"""Opening position nine-grid (section 7): whose ground, who leads, what to do."""

from __future__ import annotations

from ..model.cells import blank_on_invalid
from ..model.vocab import LEAD, OPENING, PLAY, TERRITORY

GRID = {
    ("Behind", "Ours"): "A", ("Behind", "Neutral"): "B", ("Behind", "Theirs"): "C",
    ("Even", "Ours"): "D", ("Even", "Neutral"): "E", ("Even", "Theirs"): "F",
    ("Ahead", "Ours"): "G", ("Ahead", "Neutral"): "H", ("Ahead", "Theirs"): "I",
}
TYPES = {"A": "Abnormal", "I": "Abnormal", "D": "Problem", "F": "Problem"}
MIRROR = dict(zip("ABCDEFGHI", "IHGFEDCBA"))
PLAYS = dict(zip("ABCDEFGHI", PLAY.entries))  # (English, Chinese) per letter


@blank_on_invalid
def opening(territory, lead) -> str | None:
    """Letter A-I of the nine-grid."""
    ground, position = TERRITORY.parse(territory), LEAD.parse(lead)
    if ground is None or position is None:
        return None
    return GRID[position, ground]


@blank_on_invalid
def opening_type(letter) -> str | None:
    """Normal, Problem (D, F) or Abnormal (A, I)."""
    letter = OPENING.parse(letter)
    return None if letter is None else TYPES.get(letter, "Normal")


@blank_on_invalid
def mirror(letter) -> str | None:
    """The rival's letter for the same deal."""
    letter = OPENING.parse(letter)
    return None if letter is None else MIRROR[letter]


@blank_on_invalid
def opening_play(letter, lang: str = "en") -> str | None:
    """The play for a position, in short."""
    letter = OPENING.parse(letter)
    return None if letter is None else PLAYS[letter][1 if lang == "zh" else 0]
