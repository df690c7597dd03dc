"""Demo supervision like the report's: 8 leaders linked to 8 counties, 8 teams led by
16 county-level cadres, 6 rounds, one lagging county, 20 common problems from the
central team (16 done, 9 of them long-term) and 13 individual ones (12 done, 6 long-term)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from baolei.accounts.models import Agency, AgencyKind, User
from baolei.ledger import services as ledger
from baolei.ledger.models import AcceptanceResult
from baolei.regions.models import Level, Region
from baolei.supervision import services
from baolei.supervision.models import ProblemScope, ProblemSource, SupervisionPlan

LEADERS = ["韩立明", "周正阳", "吴启华", "郑国栋", "王建平", "冯远志", "陈思源", "褚向东"]
CADRES = [
    "卫",
    "蒋",
    "沈",
    "韩",
    "杨",
    "朱",
    "秦",
    "尤",
    "许",
    "何",
    "吕",
    "施",
    "张",
    "孔",
    "曹",
    "严",
]
COMMON = [
    "对扫黑除恶专项斗争重要性认识不到位",
    "打伞破网力度不够",
    "线索核查不深不细",
    "案件办理质量不高",
    "涉案财产查扣冻结不彻底",
    "行业乱象治理不到位",
    "基层组织建设薄弱",
    "宣传发动群众不充分",
    "部门协作配合不够顺畅",
    "督导整改责任传导不到位",
    "村干部背景审查不全面",
    "软弱涣散村整顿不彻底",
    "涉黑涉恶信访处理不及时",
    "长效机制建设滞后",
    "考核奖惩机制落实不够",
    "综治中心实战化运行不足",
    "重点行业监管存在盲区",
    "扫黑除恶队伍建设不强",
    "问题线索台账管理不规范",
    "群众安全感满意度有待提升",
]
INDIVIDUAL = [
    ("市公安局", "个别重点案件侦办进度滞后"),
    ("市人民检察院", "提前介入重大案件不够及时"),
    ("市人民法院", "涉黑案件审理周期偏长"),
    ("市纪委监委", "保护伞线索核查进度不均衡"),
    ("市委组织部", "村干部学历提升进展不快"),
    ("市委政法委", "政法机关会商机制运行不规范"),
    ("市公安局", "涉案财产处置不及时"),
    ("市人民检察院", "诉前会商质量有待提高"),
    ("市纪委监委", "一案双查落实不到位"),
    ("市委组织部", "领头雁实训基地作用发挥不充分"),
    ("市委政法委", "综治中心信息化建设滞后"),
    ("市公安局", "线索双向移送反馈不及时"),
    ("市人民法院", "财产刑执行不到位"),
]


@transaction.atomic
def build_supervision(today: date) -> int:
    """Once: an existing demo plan means supervision is built. Returns the problem count."""
    if SupervisionPlan.objects.filter(title__startswith="清源市扫黑除恶专项斗争督导").exists():
        return 0
    office = User.objects.get(username="office_reviewer")
    clerk = User.objects.get(username="office_clerk")
    city = Region.objects.get(level=Level.CITY)
    counties = list(Region.objects.filter(level=Level.COUNTY).order_by("code"))
    start = today - timedelta(days=300)
    plan = services.create_plan(
        actor=office,
        title="清源市扫黑除恶专项斗争督导工作方案",
        region=city,
        starts_on=start,
        ends_on=today + timedelta(days=60),
        document_number="清扫黑办〔2026〕3号",
    )
    teams = []
    for n, county in enumerate(counties):
        services.assign_leader(
            actor=office, plan=plan, leader=LEADERS[n], leader_title="市领导", county=county
        )
        teams.append(
            services.create_team(
                actor=office,
                plan=plan,
                name=f"第{n + 1}督导组",
                leader=f"{CADRES[2 * n]}正华",
                deputy=f"{CADRES[2 * n + 1]}副明",
                members=["市扫黑办干部", "市纪委监委干部", "市公安局干部"],
                counties=[county],
            )
        )
    for number in range(1, 7):
        first = start + timedelta(days=40 * number)
        services.create_round(
            actor=office,
            plan=plan,
            number=number,
            starts_on=first,
            ends_on=first + timedelta(days=14),
            teams=teams,
            counties=counties if number % 2 else counties[::2],
        )
    lagging_county = counties[4]
    lagging = services.designate_lagging(
        actor=office,
        plan=plan,
        county=lagging_county,
        on=start + timedelta(days=90),
        reason="专项斗争推进滞后，线索核查和案件办理排名靠后",
        remediation_plan="后进地区整改提升工作方案",
    )
    county_office = Agency.objects.get(kind=AgencyKind.CAMPAIGN_OFFICE, region=lagging_county)
    for title, days in (("建立点对点帮扶指导机制", -10), ("逐条销号整改问题清单", 45)):
        services.add_remediation_task(
            actor=office,
            lagging=lagging,
            title=title,
            owner=county_office,
            responsible_person=f"{lagging_county.name}扫黑办主任",
            deadline=today + timedelta(days=days),
            measures=["市督导组点对点指导"],
        )
    offices = list(
        Agency.objects.filter(kind=AgencyKind.CAMPAIGN_OFFICE, region__level=Level.COUNTY).order_by(
            "region__code"
        )
    )
    received = start + timedelta(days=30)
    for n, text in enumerate(COMMON):
        problem = services.create_problem(
            actor=office,
            source=ProblemSource.CENTRAL,
            scope=ProblemScope.COMMON,
            number=f"共性{n + 1:02d}",
            region=city,
            description=text,
            deadline=received + timedelta(days=180),
            received_on=received,
            measures=["制定整改方案", "建立整改台账", "按期销号"],
            units=[(o, f"{o.name}主任") for o in offices],
        )
        if n < 16:  # 16 done, the first 9 to be kept up long-term
            finish(problem, clerk, office, received + timedelta(days=150), long_term=n < 9)
    for n, (agency_name, text) in enumerate(INDIVIDUAL):
        agency = Agency.objects.get(name=f"清源{agency_name}")
        problem = services.create_problem(
            actor=office,
            source=ProblemSource.CENTRAL,
            scope=ProblemScope.INDIVIDUAL,
            number=f"个性{n + 1:02d}",
            region=city,
            description=text,
            deadline=received + timedelta(days=180),
            received_on=received,
            measures=["专项整改"],
            units=[(agency, f"{agency.name}分管领导")],
        )
        if n < 12:  # 12 done, 6 of them long-term
            finish(problem, clerk, office, received + timedelta(days=160), long_term=n < 6)
    return len(COMMON) + len(INDIVIDUAL)


def finish(problem: object, clerk: User, acceptor: User, on: date, *, long_term: bool) -> None:
    for item in problem.items.all():  # type: ignore[attr-defined]
        ledger.add_progress(
            actor=clerk, item=item, on=on - timedelta(days=20), text="整改措施已落实"
        )
        if item.owner_agency_id == acceptor.agency_id:
            continue
        ledger.accept_item(
            actor=acceptor,
            item=item,
            on=on,
            result=AcceptanceResult.ACCEPTED,
            long_term=long_term,
            notes="整改到位，同意销号",
        )
