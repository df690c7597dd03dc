"""The fixed cast shared by every test.

Each app's county-B rows live beside its tests (``<app>/tests/outsiders.py``).

Two counties under one city: 甲县 (county A) and 乙县 (county B, the outsider's).
Everything that belongs to county B carries the marker 乙县 in its name, so a
page that leaks a row of county B to a user of county A shows the marker.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings

from baolei.accounts.models import Agency, AgencyKind, Role, RoleAssignment, SystemAccount, User
from baolei.audit import guard
from baolei.cadres.tests.outsiders import add_cadre_rows
from baolei.cases.tests.outsiders import add_case_rows
from baolei.clues.tests.outsiders import add_clue_rows
from baolei.coordination.tests.outsiders import add_coordination_rows
from baolei.core.models import ExportJob, ImportJob
from baolei.ledger.tests.outsiders import add_ledger_rows
from baolei.network.tests.outsiders import add_network_rows
from baolei.notices.tests.outsiders import add_notice_rows
from baolei.people.tests.outsiders import add_people_rows
from baolei.regions.models import GovernanceCentre, Level, Region
from baolei.screening.tests.outsiders import add_screening_rows
from baolei.supervision.tests.outsiders import add_supervision_rows
from baolei.vetting.tests.outsiders import add_vetting_rows

PASSWORD = "Test@2026pw"
OUTSIDER_MARK = "乙县"


@dataclass
class World:
    city: Region
    county_a: Region
    county_b: Region
    township_a: Region
    township_b: Region
    village_a: Region
    village_b: Region
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    #: one county-B row of each scoped model, for the scoping tests
    outsider_rows: dict[type, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


def make_region(code: str, name: str, level: Level, parent: Region | None) -> Region:
    return Region.objects.create(code=code, name=name, level=level, parent=parent)


def make_user(username: str, agency: Agency, *roles: Role) -> User:
    user = User(username=username, name=username, agency=agency)
    user.set_password(PASSWORD)
    user.save()
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role)
    return user


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Under ``--dist loadgroup`` pytest-xdist keeps the tests of an ``xdist_group`` on one
    worker by suffixing their node ids with ``@group``. Some pytest releases lose that
    suffix, and a module that builds the demo city is then built again on every worker
    (minutes each) without anything failing; stop instead of running that slowly."""
    if getattr(config.option, "dist", "no") != "loadgroup" or not hasattr(config, "workerinput"):
        return
    lost = [i.nodeid for i in items if i.get_closest_marker("xdist_group") and "@" not in i.nodeid]
    if lost:
        raise pytest.UsageError(
            f"--dist loadgroup lost the xdist_group of {len(lost)} tests (e.g. {lost[0]}): "
            "this pytest and pytest-xdist do not group; install the versions pyproject.toml allows"
        )


@contextmanager
def built_once(django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[None]:
    """Data that a whole test module shares, built once (the demo city takes seconds
    to minutes to build).  It is written inside one transaction that is rolled back
    when the module ends, so every test runs in a savepoint over it, no other module
    sees it, and the append-only security log is never deleted from.  A module that
    uses it keeps to tests that want that data; mark it with an ``xdist_group`` so
    that one worker builds it."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, TASKS=IMMEDIATE_TASKS, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def build_world() -> World:
    """The cast: regions, agencies, personas, and one county-B row of every model."""
    city = make_region("510100000000", "某市", Level.CITY, None)
    county_a = make_region("510121000000", "甲县", Level.COUNTY, city)
    county_b = make_region("510122000000", "乙县", Level.COUNTY, city)
    township_a = make_region("510121100000", "甲县一镇", Level.TOWNSHIP, county_a)
    township_b = make_region("510122100000", "乙县二镇", Level.TOWNSHIP, county_b)
    village_a = make_region("510121100200", "甲县一村", Level.VILLAGE, township_a)
    village_b = make_region("510122100200", "乙县二村", Level.VILLAGE, township_b)
    w = World(city, county_a, county_b, township_a, township_b, village_a, village_b)
    for region in (county_a, county_b, township_a):
        GovernanceCentre.objects.create(
            region=region, name=f"{region.name}综治中心", established_on=date(2019, 3, 1)
        )
    a = w.agencies
    a["city_office"] = Agency.objects.create(
        name="某市扫黑办", kind=AgencyKind.CAMPAIGN_OFFICE, region=city
    )
    a["city_discipline"] = Agency.objects.create(
        name="某市纪委监委", kind=AgencyKind.DISCIPLINE, region=city
    )
    a["city_police"] = Agency.objects.create(name="某市公安局", kind=AgencyKind.POLICE, region=city)
    a["a_office"] = Agency.objects.create(
        name="甲县扫黑办", kind=AgencyKind.CAMPAIGN_OFFICE, region=county_a
    )
    a["a_police"] = Agency.objects.create(
        name="甲县公安局", kind=AgencyKind.POLICE, region=county_a
    )
    a["b_office"] = Agency.objects.create(
        name="乙县扫黑办", kind=AgencyKind.CAMPAIGN_OFFICE, region=county_b
    )
    u = w.users
    u["city_leader"] = make_user("city_leader", a["city_office"], Role.LEADER)
    u["a_clerk"] = make_user("a_clerk", a["a_office"], Role.CLERK)
    u["a_reviewer"] = make_user("a_reviewer", a["a_office"], Role.REVIEWER)
    u["a_sysadmin"] = make_user("a_sysadmin", a["a_office"], Role.SYSTEM_ADMIN)
    u["a_secadmin"] = make_user("a_secadmin", a["a_office"], Role.SECURITY_ADMIN)
    u["b_clerk"] = make_user("乙县_clerk", a["b_office"], Role.CLERK)
    u["discipline_clerk"] = make_user("discipline_clerk", a["city_discipline"], Role.CLERK)
    u["police_clerk"] = make_user("police_clerk", a["city_police"], Role.CLERK)
    u["sysadmin"] = make_user("sysadmin", a["city_office"], Role.SYSTEM_ADMIN)
    u["secadmin"] = make_user("secadmin", a["city_office"], Role.SECURITY_ADMIN)
    u["auditadmin"] = make_user("auditadmin", a["city_office"], Role.AUDIT_ADMIN)
    w.outsider_rows[Region] = village_b
    w.outsider_rows[GovernanceCentre] = GovernanceCentre.objects.get(region=county_b)
    w.outsider_rows[Agency] = a["b_office"]
    w.outsider_rows[User] = u["b_clerk"]
    add_people_rows(w)
    add_ledger_rows(w)
    add_screening_rows(w)
    add_supervision_rows(w)
    add_coordination_rows(w)
    add_case_rows(w)
    add_clue_rows(w)
    add_cadre_rows(w)
    add_vetting_rows(w)
    add_notice_rows(w)
    w.outsider_rows[ExportJob] = ExportJob.objects.create(
        requested_by=u["b_clerk"], title=f"{OUTSIDER_MARK}线索清单", path="/clues/", format="xlsx"
    )
    w.outsider_rows[ImportJob] = ImportJob.objects.create(
        requested_by=u["b_clerk"], title=f"{OUTSIDER_MARK}台账导入", path="/ledger/import/"
    )
    w.outsider_rows[SystemAccount] = SystemAccount.objects.create(
        name=f"{OUTSIDER_MARK}警务平台",
        agency=a["b_office"],
        region=county_b,
        purpose="推送案件阶段",
        roles=[Role.CLERK],
        scopes=["cases:write"],
        token_days=30,
        requested_by=u["b_clerk"],
    )
    add_network_rows(w)
    return w


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def login(client: Any) -> Any:
    """Log a persona in on the test client and return the client."""

    def _login(user: User) -> Any:
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def live_site(transactional_db: Any, live_server: Any) -> Iterator[Any]:
    """A live server over committed data.  The flush that ends a transactional
    test cannot empty the security log, which is append-only in the database, so
    it is emptied here first with the guard lifted for that one statement."""
    yield live_server
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_securityevent")
    guard.install(connection)


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings: Any) -> None:
    """Background tasks run inside the test, so every test stays deterministic."""
    settings.TASKS = IMMEDIATE_TASKS
