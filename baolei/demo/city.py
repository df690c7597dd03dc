"""A fictional city shaped like the one in the 2019 report: 8 county-level units,
85 townships and streets, 5 new-type communities, about 1,100 villages and
communities, governance centres, agencies and demo users.  Every place and person
name is invented.  Seeded, so every run builds the same city; idempotent, so a
second run changes nothing."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from baolei.accounts.models import Agency, AgencyKind, Role, RoleAssignment, User
from baolei.regions.models import GovernanceCentre, Level, Region

# Printed to the user; `baolei demo` refuses to run in production mode.
DEMO_PASSWORD = "Baolei@2026"  # noqa: S105
CITY_CODE = "529900000000"
CITY_NAME = "清源市"

# (code digits 5-6, name, login slug, townships)
COUNTIES = [
    ("02", "城关区", "chengguan", 12),
    ("03", "东岭区", "dongling", 11),
    ("21", "白河县", "baihe", 11),
    ("22", "松溪县", "songxi", 11),
    ("23", "石门县", "shimen", 10),
    ("24", "青峰县", "qingfeng", 10),
    ("25", "鹤山县", "heshan", 10),
    ("71", "清源经济开发区", "jingkai", 10),
]
FIRST = "安白碧长丹东凤福高观河红华黄金锦兰乐莲柳龙鹿梅明南平青清荣瑞沙山石双松桃天田溪西新杏阳永玉云枣泽竹"
SECOND = "坝堡岑冲店峰岗沟关河湖涧江口岭垄龙寺坡桥泉山石塘田湾溪岩洋营园寨庄"
VILLAGE_SUFFIXES = ("村", "村", "村", "村", "社区")

CITY_AGENCIES = [
    (AgencyKind.CAMPAIGN_OFFICE, "扫黑办"),
    (AgencyKind.DISCIPLINE, "纪委监委"),
    (AgencyKind.POLICE, "公安局"),
    (AgencyKind.PROCURATORATE, "人民检察院"),
    (AgencyKind.COURT, "人民法院"),
    (AgencyKind.ORGANISATION, "委组织部"),
    (AgencyKind.POLITICAL_LEGAL, "委政法委"),
]

# username, name, agency kind, role
CITY_USERS = [
    ("office_clerk", "周文静", AgencyKind.CAMPAIGN_OFFICE, Role.CLERK),
    ("office_reviewer", "林志远", AgencyKind.CAMPAIGN_OFFICE, Role.REVIEWER),
    ("city_leader", "韩建国", AgencyKind.CAMPAIGN_OFFICE, Role.LEADER),
    ("discipline_clerk", "唐晓梅", AgencyKind.DISCIPLINE, Role.CLERK),
    ("police_clerk", "马振华", AgencyKind.POLICE, Role.CLERK),
    ("procuratorate_clerk", "许静怡", AgencyKind.PROCURATORATE, Role.CLERK),
    ("court_clerk", "郑书涵", AgencyKind.COURT, Role.CLERK),
    ("organisation_clerk", "罗红梅", AgencyKind.ORGANISATION, Role.CLERK),
    ("discipline_reviewer", "孔德明", AgencyKind.DISCIPLINE, Role.REVIEWER),
    ("politicallegal_reviewer", "石文博", AgencyKind.POLITICAL_LEGAL, Role.REVIEWER),
    ("police_reviewer", "叶振宇", AgencyKind.POLICE, Role.REVIEWER),
    ("organisation_reviewer", "田秀兰", AgencyKind.ORGANISATION, Role.REVIEWER),
    ("sysadmin", "冯立新", AgencyKind.CAMPAIGN_OFFICE, Role.SYSTEM_ADMIN),
    ("secadmin", "宋海燕", AgencyKind.CAMPAIGN_OFFICE, Role.SECURITY_ADMIN),
    ("auditadmin", "袁明哲", AgencyKind.CAMPAIGN_OFFICE, Role.AUDIT_ADMIN),
]
COUNTY_PEOPLE = ["贺", "蒋", "彭", "曹", "魏", "邓", "谢", "程"]


@dataclass
class DemoAccount:
    username: str
    name: str
    agency: str
    role: str
    created: bool


@dataclass
class DemoReport:
    regions_created: int = 0
    centres_created: int = 0
    agencies_created: int = 0
    accounts: list[DemoAccount] | None = None


class CityBuilder:
    def __init__(self) -> None:
        self.rng = random.Random(2019)  # noqa: S311 - demo data, not security
        self.report = DemoReport(accounts=[])
        self.regions = {r.code: r for r in Region.objects.all()}
        self.used_names: dict[str, set[str]] = {}

    def region(self, code: str, name: str, level: Level, parent: Region | None) -> Region:
        existing = self.regions.get(code)
        if existing is not None:
            return existing
        region = Region.objects.create(code=code, name=name, level=level, parent=parent)
        self.regions[code] = region
        self.report.regions_created += 1
        return region

    def centre(self, region: Region, established_on: date) -> None:
        _, created = GovernanceCentre.objects.get_or_create(
            region=region,
            defaults={"name": f"{region.name}综治中心", "established_on": established_on},
        )
        self.report.centres_created += int(created)

    def agency(self, name: str, kind: AgencyKind, region: Region) -> Agency:
        agency, created = Agency.objects.get_or_create(
            name=name, defaults={"kind": kind, "region": region}
        )
        self.report.agencies_created += int(created)
        return agency

    def account(self, username: str, name: str, agency: Agency, role: Role) -> None:
        user = User.objects.filter(username=username).first()
        created = user is None
        if user is None:
            user = User(username=username, name=name, agency=agency)
            user.set_password(DEMO_PASSWORD)
            user.save()
        RoleAssignment.objects.get_or_create(user=user, role=role)
        assert self.report.accounts is not None  # noqa: S101
        self.report.accounts.append(DemoAccount(username, name, agency.name, role.label, created))

    def build(self) -> DemoReport:
        city = self.region(CITY_CODE, CITY_NAME, Level.CITY, None)
        self.centre(city, date(2018, 6, 30))
        city_agencies = {
            kind: self.agency(f"{CITY_NAME}{suffix}", kind, city) for kind, suffix in CITY_AGENCIES
        }
        for username, name, kind, role in CITY_USERS:
            self.account(username, name, city_agencies[kind], role)
        new_communities = 0
        for index, (digits, name, slug, townships) in enumerate(COUNTIES):
            county = self.region(f"5299{digits}000000", name, Level.COUNTY, city)
            self.centre(county, date(2018, 9, 1) + timedelta(days=20 * index))
            agencies = {
                kind: self.agency(f"{name}{suffix}", kind, county) for kind, suffix in CITY_AGENCIES
            }
            surname = COUNTY_PEOPLE[index]
            self.account(
                f"{slug}_clerk", f"{surname}文", agencies[AgencyKind.CAMPAIGN_OFFICE], Role.CLERK
            )
            self.account(
                f"{slug}_leader",
                f"{surname}国强",
                agencies[AgencyKind.CAMPAIGN_OFFICE],
                Role.LEADER,
            )
            for t in range(townships):
                township = self.township(county, t, index)
                if new_communities < 5 and t == 0:
                    self.new_community(township)
                    new_communities += 1
        return self.report

    def township(self, county: Region, t: int, county_index: int) -> Region:
        is_district = county.code[4:6] < "21"
        number = (1 + t) if is_district and t < 4 else (101 + t)
        suffix = "街道" if number < 100 else ("乡" if t % 4 == 3 else "镇")
        code = f"{county.code[:6]}{number:03d}000"
        name = self.unique_name(suffix, self.names_under(county))
        township = self.region(code, name, Level.TOWNSHIP, county)
        self.centre(township, date(2019, 1, 10) + timedelta(days=3 * t + county_index))
        self.agency(f"{county.name}{township.name}党委", AgencyKind.TOWNSHIP_PARTY, township)
        self.villages(township)
        return township

    def villages(self, township: Region) -> None:
        count = 12 + (int(township.code[6:9]) % 3)  # 12–14 per township
        used = self.names_under(township)
        community_no, village_no = 1, 200
        for _ in range(count):
            suffix = self.rng.choice(VILLAGE_SUFFIXES)
            name = self.unique_name(suffix, used)
            if suffix == "社区":
                code, level = f"{township.code[:9]}{community_no:03d}", Level.COMMUNITY
                community_no += 1
            else:
                code, level = f"{township.code[:9]}{village_no:03d}", Level.VILLAGE
                village_no += 1
            self.region(code, name, level, township)

    def new_community(self, township: Region) -> None:
        code = f"{township.code[:9]}401"
        name = self.regions[code].name if code in self.regions else f"{township.name[:2]}新城社区"
        community = self.region(code, name, Level.NEW_COMMUNITY, township)
        self.centre(community, date(2019, 5, 20))

    def names_under(self, parent: Region) -> set[str]:
        # Names are drawn from the seeded generator whether or not the region is
        # already stored, so a second run walks the same sequence and finds every code.
        return self.used_names.setdefault(parent.code, set())

    def unique_name(self, suffix: str, used: set[str]) -> str:
        while True:
            name = self.rng.choice(FIRST) + self.rng.choice(SECOND) + suffix
            if name not in used:
                used.add(name)
                return name


@transaction.atomic
def build_city() -> DemoReport:
    return CityBuilder().build()
