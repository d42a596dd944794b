"""The payments block of the Today sheet (DOMAIN.md section 15): late payments and those due within a week.

Its rows line up with the follow-up columns, as the greetings block does:
the customer under Customer, the payment under Tier, Late or Due under
Status, the due date under Next due, the days late under Days overdue, the
outstanding amount under Type, the deal and milestone under Summary and
the rep under Next step.
"""

from __future__ import annotations

import pandas as pd

from ..compute.payments import DUE_SOON_DAYS
from ..model.cells import is_blank
from ..model.text import Text
from .today_block import placed

PLACES = {"customer_id": 0, "customer": 1, "payment_id": 3, "state": 4, "due_date": 5, "days_late": 6,
          "outstanding": 9, "deal": 10, "owner": 11}
HEADERS = {"customer_id": Text("Customer ID", "客户编号"), "customer": Text("Customer", "客户名称"),
           "payment_id": Text("Payment", "回款编号"), "state": Text("Status", "状态"),
           "due_date": Text("Due date", "应收日期"), "days_late": Text("Days late", "逾期天数"),
           "outstanding": Text("Outstanding", "未收金额"), "deal": Text("Deal · milestone", "商机 · 回款节点"),
           "owner": Text("Rep", "负责人")}
TITLE = Text("Payments late or due in the next {days} days ({count})", "逾期及未来 {days} 天到期的回款（{count}）")
LATE, DUE = Text("Late", "逾期"), Text("Due", "即将到期")


def rows(payments: pd.DataFrame | None, lang: str, value) -> list[tuple[str, list]]:
    """(kind, values) rows of the block: blank, rep (its title), header, payment; none when nothing is due.

    value(key, cell, lang) shows a cell as the follow-up rows do.
    """
    if payments is None or payments.empty:
        return []
    out = [("blank", []), ("rep", [TITLE(lang, days=DUE_SOON_DAYS, count=len(payments))]),
           ("header", placed({k: h(lang) for k, h in HEADERS.items()}, PLACES))]
    for record in payments.to_dict("records"):
        deal = " · ".join(str(v) for v in (record["opportunity_id"], record["milestone"]) if not is_blank(v))
        out.append(("payment", placed({
            "customer_id": value("customer_id", record["customer_id"], lang),
            "customer": value("name", record["customer"], lang),
            "payment_id": value("name", record["payment_id"], lang),
            "state": (LATE if record["days_late"] > 0 else DUE)(lang),
            "due_date": value("next_due", record["due_date"], lang), "days_late": int(record["days_late"]),
            "outstanding": float(record["outstanding"]), "deal": deal or None,
            "owner": value("owner", record["owner"], lang)}, PLACES)))
    return out

