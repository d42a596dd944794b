"""Opening position nine-grid (section 7): whose ground, who leads, what to do."""

from __future__ import annotations

from ..model.cells import blank_on_invalid
from ..model.vocab import LEAD, OPENING, TERRITORY

GRID = {
    ("Behind", "Ours"): "A", ("Behind", "Neutral"): "B", ("Behind", "Theirs"): "C",
    ("Even", "Ours"): "D", ("Even", "Neutral"): "E", ("Even", "Theirs"): "F",
    ("Ahead", "Ours"): "G", ("Ahead", "Neutral"): "H", ("Ahead", "Theirs"): "I",
}
TYPES = {"A": "Abnormal", "I": "Abnormal", "D": "Problem", "F": "Problem"}
MIRROR = dict(zip("ABCDEFGHI", "IHGFEDCBA"))
PLAYS = {
    "A": ("Fix the old problem, ask insiders to delay the decision, bring in senior relationships.",
          "解决遗留问题，请内线推迟决策，动用高层关系。"),
    "B": ("Reshape the need and the buying criteria.", "重塑需求和采购标准。"),
    "C": ("Slow the purchase down and wait for an opening, or accept a supporting role.",
          "放慢采购节奏、等待机会，或接受配角。"),
    "D": ("Ask insiders why the customer hesitates, and fix it.", "请内线了解客户犹豫的原因并解决。"),
    "E": ("Move first and set the buying criteria.", "抢先行动，主导采购标准。"),
    "F": ("Find what worries the customer about the incumbent and press there.",
          "找出客户对现有供应商的顾虑，重点突破。"),
    "G": ("Speed the purchase up.", "加快采购进程。"),
    "H": ("Widen the lead: deepen the needs, reach more contacts.", "扩大领先：挖掘需求，接触更多人。"),
    "I": ("Expose the rival's weak points, widen relationships, speed up.",
          "揭示对手弱点，拓宽关系，加快进程。"),
}


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
