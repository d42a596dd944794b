"""Which header names which column: canonical names, both languages, and the words people really use.

Reps' own workbooks and other CRMs' exports say "Company", "Account",
"客户名称" or "Sales Rep" rather than "Name" and "Owner". A Mapping knows
those synonyms per sheet and takes overrides from a TOML or JSON file:

    [customers]
    sheet = "My accounts"          # optional: the sheet that holds the table
    [customers.columns]
    "Kunde" = "name"
    "Betreuer" = "owner"
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from ..errors import XlCrmError

# synonyms per sheet key -> column key; compared after schema.normalise_header (case and spacing folded)
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "customers": {
        "customer_id": ("id", "account id", "company id", "client id", "客户id", "客户代码", "编号"),
        "name": ("company", "account", "account name", "company name", "customer", "customer name", "client",
                 "客户", "公司", "公司名称", "客户名"),
        "owner": ("sales rep", "rep", "salesperson", "account owner", "销售", "销售员", "业务员", "负责销售"),
        "expected_close": ("close date", "expected close date", "预计成交", "预计签约日期"),
        "last_contact": ("last contacted", "last contact date", "上次联系", "最后联系日期"),
        "next_action_date": ("next action", "follow up date", "下次跟进日期"),
    },
    "opportunities": {
        "opportunity_id": ("deal id", "opportunity id", "id", "项目编号", "商机id"),
        "customer_id": ("account id", "company id", "client id", "客户id", "客户代码"),
        "name": ("deal", "deal name", "opportunity", "opportunity name", "项目", "项目名称", "商机"),
        "owner": ("sales rep", "rep", "salesperson", "deal owner", "销售", "销售员", "业务员"),
        "stage": ("sales stage", "pipeline stage", "销售阶段", "阶段名称"),
        "status": ("deal status", "商机状态"),
        "amount": ("value", "deal value", "deal amount", "revenue", "合同金额", "预计金额", "金额(元)"),
        "expected_close": ("close date", "expected close date", "预计成交", "预计签约日期"),
        "closed_date": ("closed", "close date actual", "actual close date", "实际成交日期", "签约日期"),
        "created": ("created date", "create date", "created on", "创建时间"),
    },
    "contacts": {
        "contact_id": ("id", "person id", "联系人id"),
        "customer_id": ("account id", "company id", "客户id"),
        "name": ("contact", "contact name", "full name", "person", "联系人", "联系人姓名"),
        "title": ("job title", "position", "职位"),
    },
    "activities": {
        "date": ("activity date", "contact date", "跟进日期", "拜访日期"),
        "customer_id": ("account id", "company id", "客户id"),
        "owner": ("sales rep", "rep", "销售", "业务员"),
        "type": ("activity type", "跟进方式", "类型"),
        "summary": ("notes", "note", "description", "内容", "备注"),
    },
}


@dataclass
class Mapping:
    """Header synonyms plus user overrides; sheet names the user pinned."""

    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet key -> normalised header -> key
    sheets: dict[str, str] = field(default_factory=dict)  # sheet key -> sheet name

    def column_key(self, spec: schema.Sheet, header) -> str | None:
        """The canonical key a header cell names in this sheet, if any."""
        if header is None or str(header).strip() == "":
            return None
        norm = schema.normalise_header(header)
        override = self.columns.get(spec.key, {}).get(norm)
        if override:
            return override
        key = schema.column_key(spec, header)
        if key:
            return key
        for key, words in SYNONYMS.get(spec.key, {}).items():
            if norm in (schema.normalise_header(w) for w in words):
                return key
        return None


DEFAULT = Mapping()


def load_mapping(path: str | Path | None) -> Mapping:
    """A Mapping from a TOML or JSON file (None gives the built-in synonyms only)."""
    if path is None:
        return DEFAULT
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        raw = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except OSError as exc:
        raise XlCrmError(f"{path}: cannot read the mapping file ({exc.strerror})") from exc
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise XlCrmError(f"{path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'TOML'} ({exc})") from exc
    mapping = Mapping()
    keys = {s.key for s in schema.DATA_SHEETS}
    for sheet_key, entry in raw.items():
        if sheet_key not in keys or not isinstance(entry, dict):
            raise XlCrmError(f"{path}: unknown section {sheet_key!r}; expected one of {', '.join(sorted(keys))}")
        spec = schema.sheet(sheet_key)
        if "sheet" in entry:
            mapping.sheets[sheet_key] = str(entry["sheet"])
        columns = entry.get("columns", {})
        for header, key in columns.items():
            if key not in spec.keys:
                raise XlCrmError(f"{path}: [{sheet_key}.columns] {header!r} = {key!r}: no column {key!r} in "
                                 f"{spec.en}")
            mapping.columns.setdefault(sheet_key, {})[schema.normalise_header(header)] = key
    return mapping
