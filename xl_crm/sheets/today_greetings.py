"""The greetings block of the Today sheet, below the follow-ups (DOMAIN.md section 17).

Its rows line up with the follow-up columns: the customer under Customer,
the occasion under Status, the date under Next due, the person under
Summary and the rep under Next step, so the sheet keeps one set of widths.
"""

from __future__ import annotations

import pandas as pd

from ..model.cells import is_blank
from ..model.text import Text
from ..rules.greetings import BIRTHDAY, FESTIVALS
from .today_block import placed

PLACES = {"customer_id": 0, "customer": 1, "occasion": 4, "date": 5, "contact": 10, "owner": 11}
HEADERS = {"customer_id": Text("Customer ID", "客户编号"), "customer": Text("Customer", "客户名称"),
           "occasion": Text("Occasion", "场合"), "date": Text("Date", "日期"), "contact": Text("Contact", "联系人"),
           "owner": Text("Rep", "负责人")}
TITLE = Text("Greetings due in the next {days} days ({count})", "未来 {days} 天应问候（{count}）")
_CHINESE = {BIRTHDAY[0]: BIRTHDAY[1], **{en: zh for en, zh, *_ in FESTIVALS}}


def rows(greetings: pd.DataFrame | None, days: float, lang: str, value) -> list[tuple[str, list]]:
    """(kind, values) rows of the block: blank, rep (its title), header, greeting; none when nothing is due.

    value(key, cell, lang) shows a cell as the follow-up rows do.
    """
    if greetings is None or greetings.empty:
        return []
    out = [("blank", []), ("rep", [TITLE(lang, days=int(days), count=len(greetings))]),
           # one unbroken header bar
           ("header", [cell or "" for cell in placed({k: h(lang) for k, h in HEADERS.items()}, PLACES)])]
    for record in greetings.to_dict("records"):
        person = " ".join(str(v) for v in (record["contact"], record["title"]) if not is_blank(v))
        occasion = _CHINESE.get(record["occasion"], record["occasion"]) if lang == "zh" else record["occasion"]
        out.append(("greeting", placed({"customer_id": value("customer_id", record["customer_id"], lang),
                                         "customer": value("name", record["customer"], lang),
                                         "occasion": occasion, "date": value("next_due", record["date"], lang),
                                         "contact": person or record["contact_id"],
                                         "owner": value("owner", record["owner"], lang)}, PLACES)))
    return out

