"""Demo meetings of each kind (4 standing committee, 2 leading group, 10 special-topic,
2 anti-corruption coordination), quarterly joint meetings in the counties with one
missed, the mechanisms the report names, and one assessment scheme."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from baolei.accounts.models import Agency, AgencyKind, User
from baolei.coordination import services
from baolei.coordination.models import (
    AssessmentScheme,
    MechanismKind,
    MechanismStatus,
    MeetingKind,
    Metric,
)
from baolei.regions.models import Level, Region

MEETINGS = [
    (MeetingKind.STANDING_COMMITTEE, 4, "研究部署扫黑除恶专项斗争和整改落实工作"),
    (MeetingKind.LEADING_GROUP, 2, "扫黑除恶专项斗争领导小组会议"),
    (MeetingKind.LEADING_GROUP_TOPIC, 10, "领导小组专题研究重点案件和问题整改"),
    (MeetingKind.ANTI_CORRUPTION, 2, "专题研究部署打伞破网工作"),
]
MECHANISMS = [
    (
        "清源市纪检监察机关与政法机关扫黑除恶专项斗争联席会议制度",
        ["纪委监委", "委政法委"],
        MechanismKind.SYSTEM,
        MechanismStatus.IN_FORCE,
    ),
    ("重大黑恶势力犯罪案件会商制度", ["委政法委"], MechanismKind.SYSTEM, MechanismStatus.IN_FORCE),
    (
        "加强扫黑除恶专项斗争协作配合工作制度（试行）",
        ["扫黑办"],
        MechanismKind.SYSTEM,
        MechanismStatus.TRIAL,
    ),
    (
        "清源市涉黑涉恶问题线索双向移送反馈工作制度（试行）",
        ["纪委监委", "公安局"],
        MechanismKind.SYSTEM,
        MechanismStatus.TRIAL,
    ),
    (
        "扫黑除恶专项斗争“两统一、一指导”会商机制",
        ["人民法院", "人民检察院", "公安局"],
        MechanismKind.MECHANISM,
        MechanismStatus.IN_FORCE,
    ),
    (
        "“两统一、一指导”会商机制实施步骤",
        ["人民法院", "人民检察院", "公安局"],
        MechanismKind.MECHANISM,
        MechanismStatus.IN_FORCE,
    ),
    (
        "清源市扫黑除恶专项斗争督导工作方案",
        ["扫黑办"],
        MechanismKind.PLAN,
        MechanismStatus.IN_FORCE,
    ),
    ("后进地区整改提升工作方案", ["扫黑办"], MechanismKind.PLAN, MechanismStatus.IN_FORCE),
]


@transaction.atomic
def build_coordination(today: date) -> int:
    """Once: an existing demo scheme means coordination is built. Returns the meeting count."""
    if AssessmentScheme.objects.filter(name__startswith="清源市").exists():
        return 0
    office = User.objects.get(username="office_reviewer")
    city = Region.objects.get(level=Level.CITY)
    city_office = Agency.objects.get(kind=AgencyKind.CAMPAIGN_OFFICE, region=city)
    year_start = date(today.year, 1, 1)
    count = 0
    for kind, times, topic in MEETINGS:
        for n in range(times):
            held = year_start + timedelta(days=(n + 1) * (300 // (times + 1)))
            convener = (
                Agency.objects.get(name="清源市纪委监委")
                if kind == MeetingKind.ANTI_CORRUPTION
                else city_office
            )
            meeting = services.record_meeting(
                actor=office,
                kind=kind,
                held_on=min(held, today),
                topic=topic,
                region=city,
                convener=convener,
            )
            count += 1
            if n == 0:
                owner = Agency.objects.get(name="清源市公安局")
                services.add_decision(
                    actor=office,
                    meeting=meeting,
                    title=f"落实{topic}部署",
                    owner=owner,
                    responsible_person="马振华",
                    deadline=meeting.held_on + timedelta(days=60),
                )
    counties = list(Region.objects.filter(level=Level.COUNTY).order_by("code"))
    quarter_start = today - timedelta(days=365)
    for n, county in enumerate(counties):
        services.require_cadence(
            actor=office,
            kind=MeetingKind.JOINT_MEETING,
            region=county,
            every_days=91,
            since=quarter_start,
        )
        discipline = Agency.objects.get(kind=AgencyKind.DISCIPLINE, region=county)
        for quarter in range(4):
            if n == 2 and quarter == 2:
                continue  # one county missed a quarter: a warning
            services.record_meeting(
                actor=office,
                kind=MeetingKind.JOINT_MEETING,
                held_on=quarter_start + timedelta(days=91 * quarter + 20),
                topic="纪检监察机关与政法机关联席会议",
                region=county,
                convener=discipline,
            )
            count += 1
    for n, (title, issuers, mechanism_kind, status) in enumerate(MECHANISMS):
        services.record_mechanism(
            actor=office,
            title=title,
            region=city,
            issued_on=year_start + timedelta(days=20 * n),
            kind=mechanism_kind,
            status=status,
            document_number=f"清扫黑办〔{today.year}〕{n + 5}号",
            issuers=[Agency.objects.get(name=f"清源市{i}") for i in issuers],
        )
    scheme = services.create_scheme(
        actor=office,
        name=f"清源市{today.year}年度扫黑除恶专项斗争考核",
        region=city,
        starts_on=year_start,
        ends_on=date(today.year, 12, 31),
        indicators=[
            ("台账整改完成率", Decimal("10"), Metric.RECTIFICATION_RATE, Decimal("0")),
            ("逾期台账事项", Decimal("5"), Metric.OVERDUE_ITEMS, Decimal("0.25")),
            ("联席会议召开情况", Decimal("5"), Metric.MISSED_MEETINGS, Decimal("1")),
            ("工作创新", Decimal("5"), Metric.MANUAL, Decimal("0")),
        ],
    )
    innovation = scheme.indicators.get(metric=Metric.MANUAL)
    for n, county in enumerate(counties):
        services.score_by_hand(
            actor=office,
            indicator=innovation,
            county=county,
            score=Decimal(5 - (n % 4) * 0.5),
            reason="探索“扫黑除恶+基层社会治理”模式" if n % 2 == 0 else "工作按部署推进",
        )
    return count
