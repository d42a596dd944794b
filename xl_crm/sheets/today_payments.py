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

WIDTH = 12  # the follow-up columns
PLACES = {"customer_id": 0, "customer": 1, "payment_id": 3, "state": 4, "due_date": 5, "days_late": 6,
          "outstanding": 9, "deal": 10, "owner": 11}
HEADERS = {"en": {"customer_id": "Customer ID", "customer": "Customer", "payment_id": "Payment", "state": "Status",
                  "due_date": "Due date", "days_late": "Days late", "outstanding": "Outstanding",
                  "deal": "Deal · milestone", "owner": "Rep"},
           "zh": {"customer_id": "客户编号", "customer": "客户名称", "payment_id": "回款编号", "state": "状态",
                  "due_date": "应收日期", "days_late": "逾期天数", "outstanding": "未收金额",
                  "deal": "商机 · 回款节点", "owner": "负责人"}}
TITLE = {"en": "Payments late or due in the next {days} days ({count})",
         "zh": "逾期及未来 {days} 天到期的回款（{count}）"}
STATE = {"en": ("Late", "Due"), "zh": ("逾期", "即将到期")}


def rows(payments: pd.DataFrame | None, lang: str, value) -> list[tuple[str, list]]:
    """(kind, values) rows of the block: blank, rep (its title), header, payment; none when nothing is due.

    value(key, cell, lang) shows a cell as the follow-up rows do.
    """
    if payments is None or payments.empty:
        return []
    out = [("blank", []), ("rep", [TITLE[lang].format(days=DUE_SOON_DAYS, count=len(payments))]),
           ("header", _placed(HEADERS[lang]))]
    for record in payments.to_dict("records"):
        deal = " · ".join(str(v) for v in (record["opportunity_id"], record["milestone"]) if not is_blank(v))
        out.append(("payment", _placed({
            "customer_id": value("customer_id", record["customer_id"], lang),
            "customer": value("name", record["customer"], lang),
            "payment_id": value("name", record["payment_id"], lang),
            "state": STATE[lang][0 if record["days_late"] > 0 else 1],
            "due_date": value("next_due", record["due_date"], lang), "days_late": int(record["days_late"]),
            "outstanding": float(record["outstanding"]), "deal": deal or None,
            "owner": value("owner", record["owner"], lang)})))
    return out


def _placed(values: dict) -> list:
    cells = [None] * WIDTH
    for key, cell in values.items():
        cells[PLACES[key]] = cell
    return cells
