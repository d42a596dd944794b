"""Customer value matrix (section 6): short- and long-term value give classes 1-4."""

from __future__ import annotations

from ..model.cells import Invalid, as_number, blank_on_invalid
from ..model.settings import DEFAULT, Settings


@blank_on_invalid
def value_class(short_term_score, long_term_score, settings: Settings = DEFAULT) -> int | None:
    """1 high/high, 2 low short/high long, 3 high short/low long, 4 low/low."""
    short, long_ = as_number(short_term_score), as_number(long_term_score)
    if short is None or long_ is None:
        return None
    if not (0 <= short <= 10 and 0 <= long_ <= 10):
        raise Invalid("score outside 0-10")
    high_short, high_long = short >= settings.value_high, long_ >= settings.value_high
    if high_long:
        return 1 if high_short else 2
    return 3 if high_short else 4


def diagnosis(counts, settings: Settings = DEFAULT) -> int | None:
    """The value class that holds more than MixAlert of the deals (model.text.DIAGNOSES says what it means).

    counts: how many deals are in classes 1, 2, 3 and 4, in that order.
    """
    counts = [int(n) for n in counts]
    total = sum(counts)
    if total == 0:
        return None
    top = 1 + counts.index(max(counts))
    if counts[top - 1] / total <= settings.mix_alert:
        return None
    return top
