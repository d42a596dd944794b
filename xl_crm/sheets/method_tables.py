"""The Settings sheet's tables of the big-account method, below the stage table.

The nine-grid plays (section 7): one row per opening letter, read by the
Opportunities play formula through the names PlayLetter and PlayText, so a
manager rewords a play once for every deal. The festivals (section 17) of
the evaluation year and the next, computed with a lunar calendar and
editable, named FestivalName and FestivalDate; greetings read them back.
"""

from __future__ import annotations

from datetime import date

from ..model.cells import Invalid, as_date, cell_text, is_blank
from ..model.vocab import OPENING, OPENING_TYPE, PLAY
from ..rules.greetings import festival_dates
from ..rules.opening import opening_type

PLAY_HEADERS = {"en": ("Opening", "Type", "Play"), "zh": ("开局位置", "开局类型", "打法")}
FESTIVAL_HEADERS = {"en": ("Festival", "Date"), "zh": ("节日", "日期")}


def layout(first_row: int, lang: str, as_of) -> tuple[list[tuple], dict[str, str]]:
    """(row, col, value, style) cells from first_row down, and the tables' defined names."""
    cells, names = play_table(first_row, lang)
    more, more_names = festival_table(max(c[0] for c in cells) + 2, lang, as_of)
    return cells + more, names | more_names


def play_table(first_row: int, lang: str) -> tuple[list[tuple], dict[str, str]]:
    """The nine-grid play table with its header at first_row, and its names PlayLetter and PlayText."""
    cells = [(first_row, i, h, "header") for i, h in enumerate(PLAY_HEADERS[lang])]
    letters = OPENING.values
    for i, letter in enumerate(letters, first_row + 1):
        cells += [(i, 0, letter, "text"), (i, 1, OPENING_TYPE.label(opening_type(letter), lang), "text"),
                  (i, 2, PLAY.label(PLAY.values[letters.index(letter)], lang), "text")]
    last = first_row + len(letters)
    return cells, {"PlayLetter": f"$A${first_row + 1}:$A${last}", "PlayText": f"$C${first_row + 1}:$C${last}"}


def festival_table(header: int, lang: str, as_of) -> tuple[list[tuple], dict[str, str]]:
    """The festivals of as_of's year and the next with the header at row `header`, and their names."""
    year = as_of.year if isinstance(as_of, date) else date.today().year
    festivals = festival_dates(year, lang) + festival_dates(year + 1, lang)
    cells = [(header, i, h, "header") for i, h in enumerate(FESTIVAL_HEADERS[lang])]
    cells += [cell for i, (name, when) in enumerate(festivals, header + 1)
              for cell in ((i, 0, name, "text"), (i, 1, when, "date"))]
    end = header + len(festivals)
    return cells, {"FestivalName": f"$A${header + 1}:$A${end}", "FestivalDate": f"$B${header + 1}:$B${end}"}


def festivals(rows: list[list]) -> tuple[tuple[str, date], ...]:
    """The festival table as a Settings sheet holds it: (name, date) from its header to the first blank row.

    A row whose date cannot be read is left out (check names it: commands.method_check).
    """
    out, inside = [], False
    for row in rows:
        row = list(row) + [None, None]
        if not inside:
            inside = not is_blank(row[0]) and cell_text(row[0]) in {h[0] for h in FESTIVAL_HEADERS.values()}
            continue
        if is_blank(row[0]) and is_blank(row[1]):
            break
        try:
            when = as_date(row[1])
        except Invalid:
            continue
        if when is not None and not is_blank(row[0]):
            out.append((cell_text(row[0]), when))
    return tuple(out)
