"""A few hundred demo clues across the counties in every state, with referrals both
ways (legal organs → discipline commission, discipline commission → police), some late."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from baolei.accounts.models import Agency, User
from baolei.clues import services
from baolei.clues.models import Category, Clue, Source
from baolei.ledger.models import CalendarYear
from baolei.regions.models import Level, Region

TOPICS = {
    Category.GANG: "以{name}为首的团伙长期控制{village}砂石市场，暴力排挤竞争者",
    Category.EVIL_FORCE: "{name}等人在{village}强揽工程、寻衅滋事",
    Category.VILLAGE_BULLY: "{village}村民{name}横行乡里，强占集体土地",
    Category.CLAN: "{village}{name}家族干扰村委会换届选举",
    Category.UMBRELLA: "有人反映{village}所在乡镇干部为{name}等人通风报信、充当保护伞",
    Category.OTHER: "群众反映{village}有人非法放贷、暴力催收",
}
NAMES = ["张某", "王某某", "李某", "赵某", "陈某某", "刘某", "杨某", "黄某某"]


@transaction.atomic
def build_clues(today: date, count: int = 240) -> int:
    """Once: existing clues mean the demo clues are built. Returns the number registered."""
    if Clue.objects.exists():
        return 0
    rng = random.Random(240)  # noqa: S311 - demo data
    covered = max(CalendarYear.objects.values_list("year", flat=True), default=today.year)
    end = min(
        today, date(covered, 12, 31)
    )  # referrals count working days: stay inside entered years
    police, discipline = (
        User.objects.get(username="police_clerk"),
        User.objects.get(username="discipline_clerk"),
    )
    villages = list(Region.objects.filter(level=Level.VILLAGE).order_by("code"))
    categories = [
        Category.GANG,
        Category.EVIL_FORCE,
        Category.VILLAGE_BULLY,
        Category.CLAN,
        Category.UMBRELLA,
        Category.OTHER,
    ]
    made: list[Clue] = []
    for n in range(count):
        category = categories[n % len(categories)]
        village = villages[(n * 37) % len(villages)]
        received = end - timedelta(days=5 + (n * 7) % 200)
        clerk = discipline if category == Category.UMBRELLA else police
        clue = services.register_clue(
            actor=clerk,
            received_on=received,
            source=list(Source.values)[n % 7],
            category=category,
            summary=TOPICS[category].format(name=rng.choice(NAMES), village=village.name),
            region=village,
            reporter="匿名群众（电话已加密保存）" if n % 3 == 0 else "",
        )
        made.append(clue)
        play(clue, n, clerk, police, discipline, received, end)
    for duplicate, original in zip(made[48::48], made[0::48], strict=False):  # a few repeat reports
        if duplicate.status == "registered" and original.category == duplicate.category:
            services.merge(
                actor=police if duplicate.category != Category.UMBRELLA else discipline,
                duplicate=duplicate,
                into=original,
                on=end,
                reason="同一事实重复举报",
            )
    return len(made)


def play(
    clue: Clue, n: int, clerk: User, police: User, discipline: User, received: date, end: date
) -> None:
    police_agency = Agency.objects.get(users=police)
    discipline_agency = Agency.objects.get(users=discipline)
    stage = n % 8
    if stage == 0:
        return  # registered, not yet assigned
    if stage == 1 and clue.category != Category.UMBRELLA:
        # a gang clue first reached the discipline commission: it refers it to the police
        first = services.register_clue(
            actor=discipline,
            received_on=received,
            source=Source.INSPECTION,
            category=clue.category,
            summary=clue.summary,
            region=clue.region,
        )
        referral = services.refer(
            actor=discipline,
            clue=first,
            to_agency=police_agency,
            on=received,
            reason="属公安机关管辖的涉黑涉恶线索",
        )
        late = n % 16 == 1
        acknowledged = received + timedelta(days=6 if late else 1)
        if acknowledged <= end:
            services.acknowledge(actor=police, referral=referral, on=acknowledged)
            feedback = referral.feedback_by + timedelta(days=3 if late else -2)
            if feedback <= end:
                services.give_feedback(
                    actor=police, referral=referral, on=feedback, feedback="已核查，依法处理"
                )
        return
    on = received + timedelta(days=1)
    if on > end:
        return
    services.assign(actor=clerk, clue=clue, handler=clerk, on=on)
    if stage == 2:
        return
    if stage == 3 and clue.category in (Category.EVIL_FORCE, Category.OTHER):
        # a legal organ finds a protective umbrella behind the clue: refer it to the discipline commission
        umbrella = services.register_clue(
            actor=police,
            received_on=received,
            source=Source.AGENCY_REFERRAL,
            category=Category.UMBRELLA,
            summary=f"{clue.summary}，背后疑有保护伞",
            region=clue.region,
        )
        referral = services.refer(
            actor=police,
            clue=umbrella,
            to_agency=discipline_agency,
            on=on,
            reason="发现公职人员涉嫌充当保护伞",
        )
        if n % 24 != 3 and referral.acknowledge_by <= end:
            services.acknowledge(actor=discipline, referral=referral, on=referral.acknowledge_by)
            if n % 48 != 11 and referral.feedback_by - timedelta(days=1) <= end:
                services.give_feedback(
                    actor=discipline,
                    referral=referral,
                    on=referral.feedback_by - timedelta(days=1),
                    feedback="已初核，正在审查调查",
                )
        return
    services.start_verification(actor=clerk, clue=clue, on=on)
    if stage in (3, 4):
        return
    concluded = min(end, on + timedelta(days=20 + n % 15))
    conclusion = ["substantiated", "partly", "unsubstantiated", "set_aside"][n % 4]
    services.conclude(actor=clerk, clue=clue, on=concluded, conclusion=conclusion, note="核查完毕")
