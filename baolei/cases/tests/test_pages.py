from __future__ import annotations

import io
from datetime import date
from typing import Any

import time_machine
from openpyxl import load_workbook

from baolei.cases.models import Case


def test_statistics_api_for_a_period(case: Any, clerks: Any, world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    with time_machine.travel(date(2026, 11, 26), tick=False):
        body = client.get(
            "/api/v1/cases/statistics/", {"from": "2026-01-01", "to": "2026-06-30"}
        ).json()
        assert body["police"]["filed"] == {"gang": 1, "evil_group": 0, "evil_force": 0, "other": 0}
        before = client.get(
            "/api/v1/cases/statistics/", {"from": "2025-01-01", "to": "2025-12-31"}
        ).json()
        assert before["police"]["filed"]["gang"] == 0
        assert (
            client.get(
                "/api/v1/cases/statistics/", {"from": "2026-06-30", "to": "2026-01-01"}
            ).status_code
            == 400
        )


def test_create_page_and_actions(world: Any, clerks: Any, client: Any) -> None:
    client.force_login(clerks["police"])
    with time_machine.travel(date(2026, 11, 26), tick=False):
        form = {
            "number": "甲公刑〔2026〕9号",
            "name": "李某恶势力案",
            "kind": "evil_force",
            "region": world.village_a.pk,
            "lead_agency": world.agencies["a_police"].pk,
            "opened_on": "2026年12月1日",
        }
        assert "日期不能晚于今天" in client.post("/cases/new/", form).content.decode()
        response = client.post("/cases/new/", form | {"opened_on": "2026/3/1"})
        case = Case.objects.get(number="甲公刑〔2026〕9号")
        assert response["Location"] == f"/cases/{case.pk}/"
        client.post(
            f"/cases/{case.pk}/asset/",
            {
                "kind": "cash",
                "measure": "seize",
                "description": "现金",
                "value": "120000.50",
                "on": "2026-03-05",
            },
        )
        denied = client.post(
            f"/cases/{case.pk}/stage/",
            {"stage": "first_instance", "on": "2026-04-01", "characterisation": "evil_force"},
        )
        assert denied.status_code == 403  # a judgment is the court's to record
        client.post(f"/cases/{case.pk}/stage/", {"stage": "transferred", "on": "2026-02-01"})
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert (
            'title="120,000.50 元">12.00 万元' in page
            and "日期不能早于上一阶段“立案侦查”的日期（2026-03-01）" in page
        )


def test_list_and_export_budget(
    case: Any, world: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.city_leader)
    with django_assert_max_num_queries(16):  # 4 of them the navigation's to-do badges
        page = client.get("/cases/", {"kind": "gang"}).content.decode()
    assert "张某某等人黑社会性质组织案" in page and "乙县" not in page.split("<tbody>")[1]
    sheet = load_workbook(io.BytesIO(client.get("/cases/", {"export": "xlsx"}).content)).active
    assert [c.value for c in sheet[2]][:4] == ["序号", "案件编号", "案件名称", "案件类型"]
