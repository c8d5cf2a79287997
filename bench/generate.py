"""Fill a planner database with a synthetic portfolio for the benchmarks.

The shape follows a real rep's book: 80/20-shaped revenue, classes A/B/C by
revenue rank, a handful of owners, a few org units per account, people in the four
layers with mixed stances, some visits and purchases, names in English and Chinese.
One account (`BIG_ACCOUNT`) has exactly 500 people in 40 units, for the org-tree
benchmark. Everything goes through `Store.bulk_insert`, the path being measured,
and the same seed gives the same data (ids included).

    python bench/generate.py PATH [--accounts N] [--people M] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from sqlmodel import select

from planner.core import models as m
from planner.store.startup import open_store
from planner.store.store import Store

BIG_ACCOUNT = "Benchmark Group 基准集团"
BIG_PEOPLE = 500
BIG_UNITS = 40
BRANCHING = 6

OWNERS = ("Li Wei", "Zhang Min", "Sarah Chen", "Tom Baker", "王芳", "陈刚", "Anna Müller", "刘洋")
REGIONS = ("华东", "华北", "华南", "西南", "East China", "North China", "South China", "Southwest")
PLACES = ("江苏", "浙江", "上海", "北京", "广东", "四川", "湖北", "山东", "河南", "福建", "安徽", "天津")
SYLLABLES = ("华", "中", "新", "信", "通", "泰", "联", "恒", "达", "盛", "安", "宏", "远", "创", "博", "瑞")
ORG_KINDS = ("电力公司", "银行", "税务局", "证券", "邮政", "移动", "医院", "烟草公司", "水务集团", "物流")
WORDS = ("Northern", "Pacific", "Summit", "Harbor", "Golden", "River", "Eastern", "Union", "Crown", "Bright")
SUFFIXES = ("Power", "Bank", "Securities", "Telecom", "Health", "Logistics", "Energy", "Insurance", "Retail")
FORMS = ("Co.", "Group", "Ltd.", "Holdings", "Authority")
SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林")
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀")
FIRST = ("David", "Emily", "James", "Sophie", "Michael", "Grace", "Daniel", "Olivia", "Kevin", "Helen", "Peter")
LAST = ("Smith", "Chen", "Wang", "Carter", "Lee", "Brown", "Zhang", "Miller", "Liu", "Taylor", "Huang", "Wilson")
UNIT_NAMES = ("信息中心", "财务部", "采购部", "运维部", "Engineering", "Operations", "IT", "Procurement", "办公室")
TITLES = {
    "image": ("General Manager", "总经理", "President", "董事长", "党委书记"),
    "decision": ("CIO", "Director of IT", "信息中心主任", "Deputy GM", "副总经理", "Procurement Director"),
    "implementation": ("Project Manager", "项目经理", "Engineer", "工程师", "科长", "Architect"),
    "usage": ("Operator", "操作员", "Analyst", "业务员", "Clerk", "科员", "Specialist"),
}
# Cumulative weights, in the order of m.LAYERS (image … usage) and m.STANCES (supporter … unknown).
LAYER_ODDS = tuple(accumulate((1, 3, 6, 10)))
STANCE_ODDS = tuple(accumulate((3, 4, 1, 3)))
PRODUCTS = ("Storage array", "服务器", "Network upgrade", "运维服务", "Licences", "安全设备")


class _Gen:
    """Seeded random draws: ids, names and the per-table row builders."""

    def __init__(self, seed: int, today: date, industries: list[str]):
        self.rng = random.Random(seed)
        self.today = today
        self.industries = industries
        self.rows: dict[type[m.Record], list[dict[str, Any]]] = {
            model: [] for model in (m.Account, m.OrgUnit, m.Person, m.Visit, m.Purchase)
        }
        self.serial = 0
        self.ids = 0
        self.epoch = self.rng.getrandbits(48)

    def id(self) -> str:
        """Ordered like `models.new_id` (whose leading bits are the time): a seeded
        random prefix, then a counter, so rows made in one go count up as the app's
        do and land at the end of the key indexes; the same for the same seed. Not a
        valid UUIDv7 (no time, no version bits), which nothing here needs."""
        self.ids += 1
        return f"{self.epoch:012x}{self.ids:08x}{self.rng.getrandbits(48):012x}"

    def between(self, low: int, high: int) -> int:
        """Like `rng.randint` (both ends included), at a fraction of its cost: the
        generator draws several numbers for each of 100k people."""
        return low + int(self.rng.random() * (high - low + 1))

    def day(self, first: int, last: int) -> date:
        """A day between `first` and `last` days from today."""
        return self.today + timedelta(days=self.rng.randint(first, last))

    def account_name(self) -> str:
        r = self.rng
        if r.random() < 0.6:
            return r.choice(PLACES) + r.choice(SYLLABLES) + r.choice(SYLLABLES) + r.choice(ORG_KINDS)
        return f"{' '.join(r.sample(WORDS, 2))} {r.choice(SUFFIXES)} {r.choice(FORMS)}"

    def person_name(self) -> tuple[str, str]:
        """A name and an email for it."""
        r = self.rng
        self.serial += 1
        if r.random() < 0.6:
            return r.choice(SURNAMES) + "".join(r.choices(GIVEN, k=self.between(1, 2))), f"u{self.serial}@example.cn"
        first, last = r.choice(FIRST), r.choice(LAST)
        return f"{first} {last}", f"{first}.{last}{self.serial}@example.com".lower()

    def account(self, revenue: float, account_class: str, name: str | None = None) -> str:
        r = self.rng
        account_id = self.id()
        self.rows[m.Account].append(
            {
                "id": account_id,
                "name": name or self.account_name(),
                "industry_id": r.choice(self.industries),
                "region": r.choice(REGIONS),
                "account_class": account_class,
                "owner": r.choice(OWNERS),
                "revenue": revenue,
                "profit": round(revenue * r.uniform(-0.05, 0.3), 2),
                "influence": r.randint(1, 5),
                "input_people": float(r.randint(0, 5)),
                "input_money": round(r.expovariate(1 / 20_000), 2),
                "input_material": round(r.expovariate(1 / 5_000), 2),
                "cadence_days": r.choice((None, None, None, 7, 14, 30, 60)),
            }
        )
        return account_id

    def organisation(self, account_id: str, units: int, people: int) -> None:
        """`units` units in a tree (unit i hangs under unit (i-1)//BRANCHING) and
        `people` spread over them; each unit's first person heads it and reports to
        the parent unit's head, the others report to their head."""
        r = self.rng
        unit_ids = [self.id() for _ in range(units)]
        for index, unit_id in enumerate(unit_ids):
            self.rows[m.OrgUnit].append(
                {
                    "id": unit_id,
                    "account_id": account_id,
                    "parent_id": unit_ids[(index - 1) // BRANCHING] if index else None,
                    "name": f"{r.choice(UNIT_NAMES)} {index + 1}" if index else "Head office 总部",
                }
            )
        heads: dict[int, str] = {}
        for n in range(people):
            index = n % units
            head = heads.get(index)
            if head is None:
                layer = "image" if index == 0 else "decision"
                boss = heads.get((index - 1) // BRANCHING) if index else None
            else:
                layer = self.layer()
                boss = head
            heads.setdefault(index, self.person(account_id, layer, unit_ids[index], boss))

    def layer(self) -> str:
        return self.rng.choices(m.LAYERS, cum_weights=LAYER_ODDS)[0]

    def person(self, account_id: str, layer: str, unit_id: str | None = None, boss: str | None = None) -> str:
        r = self.rng
        name, email = self.person_name()
        person_id = self.id()
        self.rows[m.Person].append(
            {
                "id": person_id,
                "account_id": account_id,
                "unit_id": unit_id,
                "reports_to_id": boss,
                "name": name,
                "title": r.choice(TITLES[layer]),
                "layer": layer,
                "value_orientation": m.LAYER_VALUES[layer],
                "influence": self.between(1, 5),
                "closeness": self.between(1, 5),
                "stance": r.choices(m.STANCES, cum_weights=STANCE_ODDS)[0],
                "phone": f"1{self.between(3_000_000_000, 9_999_999_999)}",
                "email": email,
            }
        )
        return person_id

    def activity(self, account_id: str, account_class: str) -> None:
        """Visits and purchases, more of both for the bigger classes."""
        r = self.rng
        visits, purchases = {"A": (4, 4), "B": (2, 2), "C": (1, 0)}[account_class]
        for _ in range(r.randint(0, visits)):
            self.rows[m.Visit].append(
                {
                    "id": self.id(),
                    "account_id": account_id,
                    "visited_on": self.day(-180, 0),
                    "purpose": "Quarterly review 季度回顾",
                    "appointment_made": r.random() < 0.7,
                    "next_step_date": self.day(1, 30) if r.random() < 0.3 else None,
                }
            )
        for _ in range(r.randint(0, purchases)):
            self.rows[m.Purchase].append(
                {
                    "id": self.id(),
                    "account_id": account_id,
                    "purchased_on": self.day(-3 * 365, 0),
                    "amount": round(r.expovariate(1 / 80_000), 2),
                    "description": r.choice(PRODUCTS),
                }
            )


def _classes(revenues: list[float]) -> list[str]:
    """A for the top 10% by revenue, B for the next 30%, C for the rest."""
    order = sorted(range(len(revenues)), key=lambda i: -revenues[i])
    classes = ["C"] * len(revenues)
    for rank, index in enumerate(order):
        if rank < len(revenues) * 0.1:
            classes[index] = "A"
        elif rank < len(revenues) * 0.4:
            classes[index] = "B"
    return classes


def size_error(accounts: int, people: int) -> str | None:
    """Why a portfolio of this size cannot be made, if it cannot."""
    if accounts < 2 or people < BIG_PEOPLE:
        return f"need at least 2 accounts and {BIG_PEOPLE} people (the big account has {BIG_PEOPLE})"
    return None


def build(
    industries: list[str],
    accounts: int,
    people: int,
    seed: int = 1,
    today: date | None = None,
    *,
    bare: bool = False,
) -> list[tuple[type[m.Record], list[dict[str, Any]]]]:
    """The synthetic portfolio as `bulk_insert` batches, parents before children.
    `bare` makes only the accounts and their people (no org units, reports-to links,
    visits or purchases): the rows the generation target counts."""
    if error := size_error(accounts, people):
        raise ValueError(error)
    gen = _Gen(seed, today or date.today(), industries)
    r = gen.rng
    # Lognormal with sigma 1.6: the top ~20% of accounts make 80% of revenue (a Pareto tail
    # that, unlike paretovariate near alpha 1, does not swing with the seed); one in twenty
    # accounts is a prospect with no revenue yet.
    revenues = [0.0 if r.random() < 0.05 else round(r.lognormvariate(11, 1.6), 2) for _ in range(accounts)]
    classes = _classes(revenues)
    top = revenues.index(max(revenues))
    # The big account first, then the rest of the people go to the other accounts,
    # more to some than to others.
    others = [index for index in range(accounts) if index != top]
    headcount = dict.fromkeys(others, 0)
    for index in r.choices(others, [r.lognormvariate(0, 0.8) for _ in others], k=people - BIG_PEOPLE):
        headcount[index] += 1
    for index, units, count, name in [(top, BIG_UNITS, BIG_PEOPLE, BIG_ACCOUNT)] + [
        (index, r.randint(1, 4), headcount[index], None) for index in others
    ]:
        account_id = gen.account(revenues[index], classes[index], name)
        if bare:
            for _ in range(count):
                gen.person(account_id, gen.layer())
            continue
        gen.organisation(account_id, units, count)
        gen.activity(account_id, classes[index])
    return [(model, rows) for model, rows in gen.rows.items() if rows]


def generate(
    store: Store,
    accounts: int = 10_000,
    people: int = 100_000,
    seed: int = 1,
    today: date | None = None,
    *,
    bare: bool = False,
) -> dict[str, int]:
    """Insert the portfolio (see `build`) into an empty database; rows added per
    table (nothing if the database already has accounts)."""
    with store.db.read() as session:
        if session.exec(select(m.Account.id).limit(1)).first():
            return {}
    industries = [industry.id for industry in store.list(m.Industry)]
    batches = build(industries, accounts, people, seed, today, bare=bare)
    if not store.bulk_insert(batches, unless_any=m.Account):
        return {}
    return {model.__tablename__: len(rows) for model, rows in batches}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="SQLite file to create or fill (must have no accounts yet)")
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if error := size_error(args.accounts, args.people):
        parser.error(error)
    store = open_store(args.path)
    try:
        started = time.perf_counter()
        counts = generate(store, args.accounts, args.people, args.seed)
        elapsed = time.perf_counter() - started
    finally:
        store.db.close()
    if not counts:
        print(f"{args.path} already has accounts; nothing was added.", file=sys.stderr)
        return 1
    detail = ", ".join(f"{count:,} {table}" for table, count in counts.items())
    print(f"{sum(counts.values()):,} rows ({detail}) in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
