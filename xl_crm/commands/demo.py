"""A realistic, deterministic demo: 5 reps, 200 customers, 600 deals, 2,000 touches.

The same seed always gives the same data for a given as-of date; the
Chinese workbook holds the same records with Chinese names and labels.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from ..model import schema, vocab
from ..model.settings import DEFAULT
from ..model.asof import AsOf
from .workbook import write_standard_workbook

SEED = 20261123
REPS = (("Alice Chen", "陈丽"), ("Bob Li", "李波"), ("Carol Wang", "王凯"), ("David Zhang", "张伟"),
        ("Emma Liu", "刘芳"))
INDUSTRIES = (("Manufacturing", "制造"), ("Retail", "零售"), ("Finance", "金融"), ("Healthcare", "医疗"),
              ("Logistics", "物流"), ("Energy", "能源"), ("Education", "教育"))
REGIONS = (("North", "华北"), ("East", "华东"), ("South", "华南"), ("West", "西部"))
PRODUCTS = (("ERP Suite", "ERP套件"), ("Analytics", "数据分析"), ("Cloud Hosting", "云主机"),
            ("Support Plan", "运维服务"), ("Training", "培训"))
PREFIXES = (("Northwind", "北风"), ("Bluesky", "蓝天"), ("Golden Bridge", "金桥"), ("Evergreen", "长青"),
            ("Silver Lake", "银湖"), ("Red River", "红河"), ("Summit", "峰顶"), ("Harbor", "海港"),
            ("Pioneer", "先锋"), ("Jade", "翡翠"))
SUFFIXES = (("Industries", "实业"), ("Trading", "贸易"), ("Technology", "科技"), ("Group", "集团"),
            ("Holdings", "控股"), ("Logistics", "物流"), ("Pharma", "药业"), ("Foods", "食品"),
            ("Motors", "汽车"), ("Energy", "能源"), ("Textiles", "纺织"), ("Media", "传媒"),
            ("Systems", "系统"), ("Retail", "商贸"), ("Capital", "资本"), ("Health", "健康"),
            ("Steel", "钢铁"), ("Chemicals", "化工"), ("Airlines", "航空"), ("Electric", "电气"))
SURNAMES = (("Zhao", "赵"), ("Qian", "钱"), ("Sun", "孙"), ("Zhou", "周"), ("Wu", "吴"), ("Zheng", "郑"),
            ("Feng", "冯"), ("Chen", "陈"), ("Chu", "褚"), ("Wei", "卫"))
GIVEN = (("Min", "敏"), ("Jing", "静"), ("Lei", "磊"), ("Yang", "洋"), ("Hua", "华"), ("Jun", "军"))
TITLES = (("CIO", "信息总监"), ("Procurement Manager", "采购经理"), ("CFO", "财务总监"), ("IT Engineer", "IT工程师"),
          ("General Manager", "总经理"), ("Operations Lead", "运营主管"))
SUMMARIES = (("Discussed requirements", "沟通需求"), ("Sent proposal", "发送方案"), ("Product demo", "产品演示"),
             ("Pricing discussion", "商务报价"), ("Introduced new contact", "认识新联系人"),
             ("Checked progress", "了解进展"))


def _pick(rng: random.Random, pairs, lang: str):
    return rng.choice(pairs)[1 if lang == "zh" else 0]


def demo_frames(as_of: date, lang: str = "en", *, customers: int = 200, opportunities: int = 600,
                contacts: int = 400, activities: int = 2000) -> dict[str, pd.DataFrame]:
    """The demo records as canonical frames, in English or Chinese (counts scale for benchmarks)."""
    n_customers, n_opportunities, n_contacts, n_activities = customers, opportunities, contacts, activities
    rng = random.Random(SEED)
    zh = lang == "zh"

    def label(value, enumeration):
        return enumeration.label(value, lang)

    start = as_of - timedelta(days=548)
    customers, opportunities, contacts, activities = [], [], [], []
    for i in range(1, n_customers + 1):
        prefix, suffix = rng.choice(PREFIXES), rng.choice(SUFFIXES)
        need = rng.choices(["Now", "Future", "None"], [5, 4, 1])[0]
        close = as_of + timedelta(days=rng.randint(-10, 240)) if need == "Now" and rng.random() < 0.7 else None
        customers.append({
            "customer_id": f"C{i:05d}",
            "name": f"{prefix[1]}{suffix[1]}" if zh else f"{prefix[0]} {suffix[0]}",
            "owner": REPS[i % len(REPS)][1 if zh else 0],
            "industry": _pick(rng, INDUSTRIES, lang),
            "region": _pick(rng, REGIONS, lang),
            "need": label(need, vocab.NEED),
            "expected_close": close,
            "last_contact": None,
            "next_action_date": as_of + timedelta(days=rng.randint(-5, 20)) if rng.random() < 0.25 else None,
            "territory": label(rng.choice(vocab.TERRITORY.values), vocab.TERRITORY),
            "relationship_stage": label(rng.choice(vocab.RELATIONSHIP_STAGE.values), vocab.RELATIONSHIP_STAGE),
        })
    for i in range(1, n_opportunities + 1):
        customer = rng.choice(customers)
        created = start + timedelta(days=rng.randint(0, 540))
        age = (as_of - created).days
        status = rng.choices(["Open", "Won", "Lost"], [4, 3, 2])[0] if age > 45 else "Open"
        stage = rng.choices([1, 2, 3, 4, 5], [5, 4, 3, 2, 1])[0]
        closed = None
        if status != "Open":
            closed = min(as_of, created + timedelta(days=rng.randint(20, 160)))
            stage = 5 if status == "Won" else rng.randint(1, 5)
        since = created + timedelta(days=rng.randint(0, max(0, min(age, 90))))
        amount = round(rng.lognormvariate(12.5, 1.0), -3)
        yes = lambda p: label("Yes" if rng.random() < p else "No", vocab.YES_NO)  # noqa: E731
        stage_name = DEFAULT.stage(stage).label(lang)
        opportunities.append({
            "opportunity_id": f"O{i:06d}",
            "customer_id": customer["customer_id"],
            "name": f"{customer['name']} {_pick(rng, PRODUCTS, lang)}",
            "owner": customer["owner"],
            "product": _pick(rng, PRODUCTS, lang),
            "stage": stage_name if rng.random() < 0.9 else stage,
            "status": label(status, vocab.STATUS),
            "amount": amount if rng.random() < 0.95 else None,
            "created": created,
            "expected_close": created + timedelta(days=rng.randint(30, 200)),
            "closed_date": closed,
            "stage_since": since if status == "Open" else None,
            "need": yes(0.8), "budget": yes(0.6), "authority": yes(0.5), "timeline": yes(0.6),
            "tas_opportunity": yes(0.8), "tas_solution": yes(0.7), "tas_win": yes(0.5), "tas_worth": yes(0.7),
            "short_term_score": rng.randint(0, 10),
            "long_term_score": rng.randint(0, 10),
            "territory": customer["territory"],
            "lead": label(rng.choice(vocab.LEAD.values), vocab.LEAD),
        })
    for i in range(1, n_contacts + 1):
        customer = customers[(i - 1) % len(customers)]
        surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
        contacts.append({
            "contact_id": f"P{i:05d}",
            "customer_id": customer["customer_id"],
            "name": f"{surname[1]}{given[1]}" if zh else f"{given[0]} {surname[0]}",
            "title": _pick(rng, TITLES, lang),
            "department": _pick(rng, (("IT", "信息部"), ("Finance", "财务部"), ("Purchasing", "采购部")), lang),
            "level": label(rng.choice(vocab.LEVEL.values), vocab.LEVEL),
            "function": label(rng.choice(vocab.FUNCTION.values), vocab.FUNCTION),
            "role": label(rng.choice(vocab.ROLE.values), vocab.ROLE),
            "attitude": label(rng.choice(vocab.ATTITUDE.values), vocab.ATTITUDE),
            "buying_focus": label(rng.choice(vocab.BUYING_FOCUS.values), vocab.BUYING_FOCUS),
            "time_spent": label(rng.choice(vocab.TIME_SPENT.values), vocab.TIME_SPENT),
            "relationship_stage": label(rng.choice(vocab.RELATIONSHIP_STAGE.values), vocab.RELATIONSHIP_STAGE),
            "comm_style": label(rng.choice(vocab.COMM_STYLE.values), vocab.COMM_STYLE),
            "category": label(rng.choice(vocab.CATEGORY.values), vocab.CATEGORY),
            "is_coach": label("Yes" if rng.random() < 0.2 else "No", vocab.YES_NO),
            "birthday": date(rng.randint(1965, 1995), rng.randint(1, 12), rng.randint(1, 28)),
        })
    by_customer = {}
    for opp in opportunities:
        by_customer.setdefault(opp["customer_id"], []).append(opp)
    for _ in range(n_activities):
        customer = rng.choice(customers)
        day = start + timedelta(days=rng.randint(0, 548))
        deals = by_customer.get(customer["customer_id"], [])
        summary = rng.choice(SUMMARIES)
        activities.append({
            "date": day,
            "customer_id": customer["customer_id"],
            "opportunity_id": rng.choice(deals)["opportunity_id"] if deals and rng.random() < 0.7 else None,
            "contact_id": None,
            "owner": customer["owner"],
            "type": label(rng.choice(vocab.ACTIVITY_TYPE.values[:5]), vocab.ACTIVITY_TYPE),
            "summary": summary[1 if zh else 0],
            "next_step": None,
            "next_date": day + timedelta(days=rng.randint(3, 30)) if rng.random() < 0.3 else None,
        })
    activities.sort(key=lambda a: a["date"])
    return {key: pd.DataFrame(rows, columns=schema.sheet(key).keys).astype(object).where(
        lambda f: f.notna(), None) for key, rows in (("customers", customers), ("opportunities", opportunities),
                                                     ("contacts", contacts), ("activities", activities))}


def build_demo(out_dir: str | Path, *, as_of: AsOf, reports: bool = True) -> list[Path]:
    """Write demo_crm.xlsx and demo_crm_zh.xlsx (and this month's reports) and return the paths.

    The data is laid out around `as_of.day`; the AsOf cell holds that date when it is fixed.
    """
    out_dir = Path(out_dir)
    written = []
    for lang, name in (("en", "demo_crm.xlsx"), ("zh", "demo_crm_zh.xlsx")):
        path = out_dir / name
        write_standard_workbook(path, demo_frames(as_of.day, lang), lang=lang, as_of=as_of, backup=False)
        written.append(path)
    if reports:
        from ..reports import write_reports

        written += write_reports(out_dir / "demo_crm.xlsx", months=[as_of.day.strftime("%Y-%m")],
                                 out_dir=Path("reports"))
    return written
