"""Demo ledger items in every state and every warning colour, dated around today."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from baolei.accounts.models import Agency, AgencyKind, User
from baolei.ledger import services
from baolei.ledger.calendar import seed_from_package
from baolei.ledger.models import AcceptanceResult, LedgerItem
from baolei.ledger.queries import blue_limit
from baolei.regions.models import Level, Region

# title, measures, deadline offset (days from today), scenario
ITEMS = [
    ("整顿软弱涣散村党组织", ["选优配强村党组织书记", "健全三会一课制度"], -20, "overdue"),
    ("清理村级财务历史遗留问题", ["逐笔核查账目", "公开清理结果"], -5, "overdue"),
    ("排查村霸及宗族势力干扰", ["建立摸排台账", "移交线索"], 2, "near"),
    ("规范村务监督委员会运行", ["修订监督制度", "开展培训"], 40, "stale"),
    ("整改换届选举中的问题", ["复核候选人资格", "向上级报备"], 30, "returned"),
    ("落实领头雁实训计划", ["选派村干部脱产跟岗"], 60, "fresh"),
    ("完善综治中心运行机制", ["明确专人值守", "建立调度台账"], -10, "accepted"),
    ("建立扫黑除恶常态化宣传机制", ["每季度开展宣传", "设置举报箱"], -30, "long_term"),
    ("调整不胜任村干部", ["履职研判", "按程序调整"], 15, "suspended"),
    ("重复登记的事项", ["无"], 10, "cancelled"),
    ("推进村级阵地建设", ["改造活动场所"], 90, "not_started"),
]


LEADER = "包保领导"


@transaction.atomic
def build_ledger(today: date) -> int:
    """Create the demo items once: an item under a county's 包保领导 means the ledger is built."""
    seed_from_package()
    if LedgerItem.objects.filter(supervising_leader__endswith=LEADER).exists():
        return 0
    reviewer = User.objects.get(username="office_reviewer")
    created = 0
    counties = Region.objects.filter(level=Level.COUNTY).order_by("code")
    for n, county in enumerate(counties):
        clerk = User.objects.get(username__endswith="_clerk", agency__region=county)
        office = Agency.objects.get(kind=AgencyKind.CAMPAIGN_OFFICE, region=county)
        villages = list(
            Region.objects.filter(code__under=county.prefix, level=Level.VILLAGE)[: len(ITEMS)]
        )
        for i, (title, measures, offset, scenario) in enumerate(ITEMS):
            if (i + n) % 2 and scenario in ("fresh", "not_started"):
                continue  # not every county has every quiet item
            item = services.create_item(
                actor=clerk,
                title=f"{villages[i].name}{title}",
                region=villages[i],
                owner_agency=office,
                responsible_person=f"{clerk.name[0]}负责人",
                supervising_leader=f"{county.name}{LEADER}",
                measures=measures,
                deadline=deadline_of(today, offset + n, scenario),
            )
            play(item, scenario, today, clerk, reviewer)
            created += 1
    return created


def deadline_of(today: date, days: int, scenario: str) -> date:
    """A near item is due within the blue warning's working days on whatever weekday the
    demo is built (a fixed number of calendar days is near on a Monday, not on a Friday)."""
    deadline = today + timedelta(days=days)
    return min(deadline, blue_limit(today)) if scenario == "near" else deadline


def play(item: LedgerItem, scenario: str, today: date, clerk: User, reviewer: User) -> None:
    if scenario == "not_started":
        return
    started = today - timedelta(days=25 if scenario == "stale" else 3)
    services.add_progress(actor=clerk, item=item, on=started, text="已召开专题会议，制定整改方案")
    if scenario in ("accepted", "long_term"):
        services.accept_item(
            actor=reviewer,
            item=item,
            on=today,
            result=AcceptanceResult.ACCEPTED,
            long_term=scenario == "long_term",
            notes="佐证材料齐全",
        )
    elif scenario == "returned":
        services.accept_item(
            actor=reviewer,
            item=item,
            on=today,
            result=AcceptanceResult.RETURNED,
            notes="整改措施未落实到位，请补充佐证材料",
        )
    elif scenario == "suspended":
        services.suspend_item(
            actor=reviewer, item=item, on=today - timedelta(days=2), reason="等待纪委调查结论"
        )
    elif scenario == "cancelled":
        services.cancel_item(actor=reviewer, item=item, reason="与其他事项重复")
