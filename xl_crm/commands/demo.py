"""A realistic, deterministic demo: 5 reps, 200 customers, 600 deals, about 3,500 touches.

Every date is laid out around as_of so that a rep opening the workbook sees
a working day: a handful of follow-ups due (a few overdue by days), deals
at every stage with the touches that brought them there, each touch with
its next step, and a month to date with new and won deals in proportion.
Deals close when their sales cycle ends, never after as_of. The same as_of
always gives the same data; the Chinese workbook holds the same records
with Chinese names and labels.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from .. import rules
from ..model import schema, vocab
from ..model.asof import AsOf
from ..model.settings import DEFAULT
from .demo_history import history_frames
from .demo_method import method_frames
from .demo_money import money_frames
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
SUMMARIES = (  # what was done, and the next step it leads to
    (("Discussed requirements", "沟通需求"), ("Send a draft scope", "发送需求范围初稿")),
    (("Sent proposal", "发送方案"), ("Walk the CIO through the proposal", "向信息总监讲解方案")),
    (("Product demo", "产品演示"), ("Arrange a trial for the IT team", "为IT部门安排试用")),
    (("Pricing discussion", "商务报价"), ("Send a revised quote", "发送修改后的报价")),
    (("Introduced new contact", "认识新联系人"), ("Meet the finance director", "拜访财务总监")),
    (("Checked progress", "了解进展"), ("Confirm the decision date", "确认决策时间")),
    (("Reference visit", "参观样板客户"), ("Collect feedback from the visit", "收集参观反馈")),
    (("Contract review", "合同审阅"), ("Agree the payment terms", "确定付款条款")),
)
OVERDUE_DAYS = (0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 7, 9, 12)  # a follow-up missed by days, not months
DUE_PER_REP = (6, 12)  # follow-ups due today per rep, the new leads included
NEW_LEADS = 0.5  # of the customers with no deal: new leads nobody has called yet
NEW_TODAY = 2  # deals created on as_of itself, so the 1st of a month has a month to date
HISTORY_DAYS = 548  # about 18 months of data


class _Names:
    """Customer names, each used once (one company, one row): a name already taken gives way to the next free one."""

    def __init__(self):
        self.taken: set[tuple[int, int, int]] = set()

    def take(self, prefix: int, suffix: int, zh: bool) -> str:
        combos = len(PREFIXES) * len(SUFFIXES)
        at, cycle = prefix * len(SUFFIXES) + suffix, 0
        while (at // len(SUFFIXES), at % len(SUFFIXES), cycle) in self.taken:
            at = (at + 1) % combos
            cycle += at == prefix * len(SUFFIXES) + suffix  # every name used: a second branch of each
        self.taken.add((at // len(SUFFIXES), at % len(SUFFIXES), cycle))
        first, second = PREFIXES[at // len(SUFFIXES)], SUFFIXES[at % len(SUFFIXES)]
        branch = f" {cycle + 1}" if cycle else ""
        return f"{first[1]}{second[1]}{branch}" if zh else f"{first[0]} {second[0]}{branch}"


def _pick(rng: random.Random, pairs, lang: str):
    return rng.choice(pairs)[1 if lang == "zh" else 0]


def _deal(rng: random.Random, as_of: date, index: int, total: int) -> dict:
    """One deal's life: created, its cycle, and where it stands at as_of (stage, status, closed)."""
    back = 0 if index >= total - NEW_TODAY else rng.randint(0, HISTORY_DAYS - 8)
    created = as_of - timedelta(days=back)
    cycle = rng.randint(25, 150)
    end = created + timedelta(days=cycle)
    won = rng.random() < 0.55
    if end <= as_of and (rng.random() > 0.03 or (as_of - end).days > 45):  # won or lost that day; a few slip
        stage = 5 if won else rng.randint(1, 4)
        return {"created": created, "status": "Won" if won else "Lost", "stage": stage, "closed": end,
                "expected": end + timedelta(days=rng.randint(-20, 20)), "since": None, "cycle": cycle}
    progress = min(0.99, (as_of - created).days / cycle)
    stage = 1 + int(progress * 5 * rng.uniform(0.7, 1.0))
    since = created + timedelta(days=int((stage - 1) / 5 * cycle))
    return {"created": created, "status": "Open", "stage": stage, "closed": None,
            "expected": end + timedelta(days=rng.randint(-3, 14)), "since": min(since, as_of), "cycle": cycle}


def _last_contact(rng: random.Random, as_of: date, cadence: int, due: bool, latest: date | None) -> tuple:
    """(last contact, planned next date) for one customer: due (by a few days at most) or upcoming."""
    if due:
        late = rng.choice(OVERDUE_DAYS)
        last = as_of - timedelta(days=cadence + late)
        planned = as_of - timedelta(days=late) if rng.random() < 0.5 else None
    else:
        last = as_of - timedelta(days=rng.randint(0, cadence - 1))
        planned = as_of + timedelta(days=rng.randint(1, 14)) if rng.random() < 0.5 else None
    if latest is not None and latest > last:  # a deal event is a contact: the customer was seen since
        last = latest
        planned = None
    return last, planned


def demo_frames(as_of: date, lang: str = "en", *, customers: int = 200, opportunities: int = 600,
                contacts: int = 400, activities: int = 3500) -> dict[str, pd.DataFrame]:
    """The demo records as canonical frames, in English or Chinese (counts scale for benchmarks).

    `activities` is a target: every deal gets the touches its life needs and
    every contacted customer its latest contact; customer-level touches fill
    the rest.
    """
    n_customers, n_opportunities, n_contacts, n_activities = customers, opportunities, contacts, activities
    rng = random.Random(SEED)
    zh = lang == "zh"

    def label(value, enumeration):
        return enumeration.label(value, lang)

    def text(pair):
        return pair[1 if zh else 0]

    start = as_of - timedelta(days=HISTORY_DAYS)
    customers, opportunities, contacts, activities = [], [], [], []
    names = _Names()
    for i in range(1, n_customers + 1):
        prefix, suffix = rng.choice(PREFIXES), rng.choice(SUFFIXES)
        customers.append({
            "customer_id": f"C{i:05d}",
            "name": names.take(PREFIXES.index(prefix), SUFFIXES.index(suffix), zh),
            "owner": REPS[i % len(REPS)][1 if zh else 0],
            "industry": _pick(rng, INDUSTRIES, lang),
            "region": _pick(rng, REGIONS, lang),
            "need": None, "expected_close": None, "last_contact": None, "next_action_date": None,
            "assigned_date": start + timedelta(days=i * 37 % 120),  # handed to the rep early in the history
            "territory": label(rng.choice(vocab.TERRITORY.values), vocab.TERRITORY),
            "relationship_stage": label(rng.choice(vocab.RELATIONSHIP_STAGE.values), vocab.RELATIONSHIP_STAGE),
        })
    lives = {}  # opportunity_id -> its life (_deal), for the touches below
    for i in range(1, n_opportunities + 1):
        customer = rng.choice(customers)
        life = _deal(rng, as_of, i - 1, n_opportunities)
        amount = round(rng.lognormvariate(12.5, 1.0), -3)
        yes = lambda p: label("Yes" if rng.random() < p else "No", vocab.YES_NO)  # noqa: E731
        stage_name = DEFAULT.stage(life["stage"]).label(lang)
        opportunity_id = f"O{i:06d}"
        lives[opportunity_id] = life
        opportunities.append({
            "opportunity_id": opportunity_id,
            "customer_id": customer["customer_id"],
            "name": f"{customer['name']} {_pick(rng, PRODUCTS, lang)}",
            "owner": customer["owner"],
            "product": _pick(rng, PRODUCTS, lang),
            "stage": stage_name if rng.random() < 0.9 else life["stage"],
            "status": label(life["status"], vocab.STATUS),
            "amount": amount if rng.random() < 0.95 else None,
            "created": life["created"],
            "expected_close": life["expected"],
            "closed_date": life["closed"],
            "stage_since": life["since"],
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
    deals_of, people_of = {}, {}
    for opp in opportunities:
        deals_of.setdefault(opp["customer_id"], []).append(opp)
    for person in contacts:
        people_of.setdefault(person["customer_id"], []).append(person["contact_id"])
    kinds = vocab.ACTIVITY_TYPE.values[:5]

    def touch(customer, day, deal=None, planned=None):
        done, step = rng.choice(SUMMARIES)
        people = people_of.get(customer["customer_id"])
        activities.append({
            "date": day, "customer_id": customer["customer_id"],
            "opportunity_id": deal["opportunity_id"] if deal else None,
            "contact_id": rng.choice(people) if people and rng.random() < 0.8 else None,
            "owner": customer["owner"], "type": label(rng.choice(kinds), vocab.ACTIVITY_TYPE),
            "summary": text(done), "next_step": text(step),
            "next_date": planned or day + timedelta(days=rng.randint(2, 14)),
        })

    plans = {}  # customer_id -> (cadence, latest deal event) of each customer with a touch
    for customer in customers:
        deals = deals_of.get(customer["customer_id"], [])
        open_deals = [d for d in deals if lives[d["opportunity_id"]]["status"] == "Open"]
        won_lately = any(lives[d["opportunity_id"]]["status"] == "Won"
                         and (as_of - lives[d["opportunity_id"]]["closed"]).days < 365 for d in deals)
        if open_deals:
            need = "Now" if rng.random() < 0.85 else "Future"
        elif not deals and rng.random() < NEW_LEADS:
            customer["need"] = label("Future", vocab.NEED)
            continue  # a new lead: no touch yet, nothing planned
        else:
            need = rng.choices(["Now", "Future", "None"], [3, 5, 0 if won_lately else 2])[0]
            if need == "Now":
                customer["expected_close"] = as_of + timedelta(days=rng.randint(40, 240))
        customer["need"] = label(need, vocab.NEED)
        next_close = min((lives[d["opportunity_id"]]["expected"] for d in open_deals), default=None)
        grade = rules.grade(need, customer["expected_close"], as_of, next_close)
        cadence = int(rules.cadence_days(grade))  # no tier cap: E customers won nothing this year
        events = [day for d in deals for day in (lives[d["opportunity_id"]]["created"],
                                                 lives[d["opportunity_id"]]["closed"]) if day is not None]
        plans[customer["customer_id"]] = cadence, max(events, default=None)
    due = set()
    for rep in sorted({c["owner"] for c in customers}):  # each rep's day: a handful due, the rest upcoming
        mine = [c["customer_id"] for c in customers if c["owner"] == rep]
        leads = sum(c not in plans for c in mine)
        free = [c for c in mine if c in plans and (plans[c][1] is None or plans[c][1] < as_of - timedelta(
            days=plans[c][0] + max(OVERDUE_DAYS)))]  # no deal event since the contact they missed
        due.update(rng.sample(free, min(len(free), max(0, rng.randint(*DUE_PER_REP) - leads))))
    for customer in customers:
        if customer["customer_id"] not in plans:
            continue
        deals = deals_of.get(customer["customer_id"], [])
        open_deals = [d for d in deals if lives[d["opportunity_id"]]["status"] == "Open"]
        cadence, latest = plans[customer["customer_id"]]
        last, planned = _last_contact(rng, as_of, cadence, customer["customer_id"] in due, latest)
        customer["next_action_date"] = planned
        for deal in deals:  # the touches each deal's life needed, all on or before the last contact
            life = lives[deal["opportunity_id"]]
            end = min(life["closed"] or as_of, last)
            if life["status"] == "Won":
                count = rng.randint(4, 10) if rng.random() < 0.9 else rng.randint(2, 3)
            elif life["status"] == "Lost":
                count = rng.randint(1, 7)
            else:
                count = min(12, (end - life["created"]).days // 14 + rng.randint(0, 2))
            for _ in range(count):
                touch(customer, life["created"] + timedelta(days=rng.randint(0, (end - life["created"]).days)),
                      deal)
        touch(customer, last, rng.choice(open_deals) if open_deals else None, planned)
    lasts = {a["customer_id"]: a["date"] for a in activities}  # dict order: the latest touch comes last
    reachable = [c for c in customers if c["customer_id"] in lasts and (lasts[c["customer_id"]] - start).days > 0]
    for _ in range(max(0, n_activities - len(activities))):  # earlier customer-level touches
        if not reachable:
            break
        customer = rng.choice(reachable)
        touch(customer, start + timedelta(days=rng.randint(0, (lasts[customer["customer_id"]] - start).days - 1)))
    activities.sort(key=lambda a: a["date"])
    return {key: pd.DataFrame(rows, columns=schema.sheet(key).keys).astype(object).where(
        lambda f: f.notna(), None) for key, rows in (("customers", customers), ("opportunities", opportunities),
                                                     ("contacts", contacts), ("activities", activities))}


def demo_data(as_of: date, lang: str = "en") -> dict[str, pd.DataFrame]:
    """Every sheet of the demo workbook: the records, then deal maps, money and History laid over them."""
    frames = method_frames(demo_frames(as_of, lang), as_of, lang)  # deal maps, rivals, greetings
    frames = money_frames(frames, as_of, lang)  # targets, forecast categories, payment plans
    return history_frames(frames, as_of, lang)  # stage moves, pushes, revisions over 18 months


def build_demo(out_dir: str | Path, *, as_of: AsOf, reports: bool = True) -> list[Path]:
    """Write demo_crm.xlsx and demo_crm_zh.xlsx and the reports, and return the paths.

    The reports are this month's, and on the 1st also the month just ended.

    The data is laid out around `as_of.day`; the AsOf cell holds that date when it is fixed.
    """
    out_dir = Path(out_dir)
    written = []
    for lang, name in (("en", "demo_crm.xlsx"), ("zh", "demo_crm_zh.xlsx")):
        path = out_dir / name
        write_standard_workbook(path, demo_data(as_of.day, lang), lang=lang, as_of=as_of, backup=False)
        written.append(path)
    if reports:
        from ..reports import write_reports

        months = [as_of.day.strftime("%Y-%m")]
        if as_of.day.day == 1:  # the month just ended is the one a manager reads on the 1st
            months.insert(0, (as_of.day - timedelta(days=1)).strftime("%Y-%m"))
        written += write_reports(out_dir / "demo_crm.xlsx", months=months, out_dir=Path("reports"))
    return written
