from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook, load_workbook

from baolei.accounts.models import Role
from baolei.conftest import make_user
from baolei.supervision.models import Problem

HEADER = [
    "来源",
    "类型",
    "编号",
    "问题描述",
    "整改措施",
    "责任单位",
    "责任人",
    "整改时限",
    "反馈日期",
]
GOOD = [
    [
        "中央督导组反馈",
        "共性问题",
        "G01",
        "打伞破网力度不够",
        "1.深挖线索；2.移送纪委",
        "甲县扫黑办、甲县公安局",
        "主要负责人",
        "2026-12-31",
        "2026-06-01",
    ],
    [
        "中央督导组反馈",
        "个性问题",
        "S01",
        "重点案件办理滞后",
        "挂牌督办",
        "甲县公安局",
        "局长",
        "2026年12月31日",
        "2026/6/1",
    ],
]


def sheet(rows: list[list[Any]]) -> io.BytesIO:
    book = Workbook()
    book.active.append(["某市督导反馈问题清单"])
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "problems.xlsx"
    return buffer


def test_import_all_or_nothing(world: Any, client: Any) -> None:
    clerk = make_user("county_office_clerk", world.agencies["a_office"], Role.CLERK)
    client.force_login(clerk)
    bad = [
        *GOOD,
        [
            "中央督导组反馈",
            "个性问题",
            "S02",
            "越权",
            "",
            "乙县扫黑办",
            "",
            "2026-13-01",
            "2026-06-01",
        ],
    ]
    page = client.post("/supervision/problems/import/", {"file": sheet(bad)}).content.decode()
    assert "不在您的管理范围内" in page and "未填写责任人" in page and "不是有效日期" in page
    assert not Problem.objects.exclude(number="乙县-1").exists()
    assert client.post("/supervision/problems/import/", {"file": sheet(GOOD)}).status_code == 302
    common = Problem.objects.get(number="G01")
    assert common.items.count() == 2 and common.measures == ["深挖线索", "移送纪委"]


def test_list_summary_and_export(
    world: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    clerk = make_user("county_office_clerk", world.agencies["a_office"], Role.CLERK)
    client.force_login(clerk)
    client.post("/supervision/problems/import/", {"file": sheet(GOOD)})
    with django_assert_max_num_queries(16):
        page = client.get("/supervision/problems/").content.decode()
    assert (
        "中央督导组反馈1项共性问题，已完成整改0项（含长期坚持整改0项），其余1项正在整改中" in page
    )
    response = client.get("/supervision/problems/", {"export": "xlsx", "scope": "common"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][:4] == ("序号", "来源", "类型", "编号") and rows[2][3] == "G01"
    assert rows[2][8] == "整改中"


def test_create_page_says_what_is_wrong(world: Any, client: Any) -> None:
    clerk = make_user("county_office_clerk", world.agencies["a_office"], Role.CLERK)
    client.force_login(clerk)
    form = {
        "source": "central",
        "scope": "individual",
        "number": "S09",
        "description": "问题",
        "units": [world.agencies["a_office"].pk, world.agencies["a_police"].pk],
        "responsible_person": "张三",
        "received_on": "2026-06-01",
        "deadline": "2026-12-31",
    }
    page = client.post("/supervision/problems/new/", form).content.decode()
    assert "个性问题须且只能有一个责任单位" in page
    assert (
        client.post(
            "/supervision/problems/new/", form | {"units": [world.agencies["a_office"].pk]}
        ).status_code
        == 302
    )
    assert Problem.objects.get(number="S09").deadline == date(2026, 12, 31)


def test_plan_is_built_through_its_pages(world: Any, client: Any) -> None:
    office = make_user("city_office_clerk", world.agencies["city_office"], Role.CLERK)
    client.force_login(office)
    response = client.post(
        "/supervision/plans/new/",
        {
            "title": "某市督导工作方案",
            "region": world.city.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    plan_url = response["Location"]
    client.post(plan_url + "assign/", {"leader": "韩立明", "county": world.county_a.pk})
    client.post(
        plan_url + "team/",
        {
            "name": "第一督导组",
            "leader": "卫正华",
            "members": "甲、乙，丙",
            "counties": [world.county_a.pk],
        },
    )
    from baolei.supervision.models import Team

    team = Team.objects.get(name="第一督导组")
    assert team.members == ["甲", "乙", "丙"]
    client.post(
        plan_url + "round/",
        {
            "number": 1,
            "starts_on": "2026-03-01",
            "ends_on": "2026-02-01",
            "teams": [team.pk],
            "counties": [world.county_a.pk],
        },
    )
    page = client.get(plan_url).content.decode()
    assert "结束日期不能早于开始日期" in page and "韩立明" in page
    client.post(
        plan_url + "lagging/",
        {
            "county": world.county_b.pk,
            "on": "2026-04-01",
            "reason": "滞后",
            "remediation_plan": "整改提升方案",
        },
    )
    assert (
        "乙县" in client.get(plan_url).content.decode()
    )  # county B is in the city plan: office sees it
