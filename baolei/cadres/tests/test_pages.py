from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook, load_workbook

from baolei.cadres import services
from baolei.cadres.models import Adjustment, Appointment, Post, Reason
from baolei.cadres.tests.conftest import appoint, id_number
from baolei.conftest import make_region
from baolei.people.models import Person
from baolei.regions.models import Level

HEADER = ["姓名", "身份证号码", "区划代码", "职务", "任职日期", "任期起", "任期止", "文化程度"]


def workbook(*rows: list[Any]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["某县村干部名册"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "名册.xlsx"
    return buffer


def row(name: str, serial: int, post: str = "村两委委员", code: str = "510121100200") -> list[Any]:
    return [
        name,
        id_number(serial),
        code,
        post,
        "2024-03-01",
        "2024-03-01",
        "2029-02-28",
        "高中/中专",
    ]


def test_import_applies_a_whole_sheet(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    sheet = workbook(
        row("甲", 41, "村党组织书记兼村委会主任（一肩挑）"), row("乙", 42), row("丙", 43)
    )
    response = client.post("/cadres/import/", {"file": sheet})
    assert response.status_code == 302
    assert Appointment.objects.filter(region=world.village_a).count() == 3
    held = Appointment.objects.get(person__name="甲")
    assert held.post == Post.SECRETARY_DIRECTOR and held.person.education == "senior_secondary"


def test_import_with_one_bad_row_changes_nothing_and_names_the_row(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    bad = row("丁", 44)
    bad[1] = bad[1][:-1] + ("0" if bad[1][-1] != "0" else "1")  # wrong check character
    before = (Person.objects.count(), Appointment.objects.count())
    page = client.post("/cadres/import/", {"file": workbook(row("甲", 41), row("乙", 42), bad)})
    text = page.content.decode()
    assert page.status_code == 200 and "未导入任何数据" in text
    assert "<td>5</td><td>身份证号码</td>" in text  # title row, header row, then rows 3, 4, 5
    assert (Person.objects.count(), Appointment.objects.count()) == before


def test_duplicate_id_number_refused_naming_where_it_is_held(
    world: Any, client: Any, secretary: Any
) -> None:
    client.force_login(world.a_clerk)
    page = client.post(
        "/cadres/import/", {"file": workbook(row("王书记", 11), row("新人", 45), row("新人", 45))}
    )
    text = page.content.decode()
    assert (
        f"该身份证号码已在名册中：甲县一村 村党组织书记 王书记（任职编号 {secretary.pk}）" in text
    )
    assert "与第4行的身份证号码重复" in text
    assert Appointment.objects.count() == 2  # the secretary and the world's county-B row


def test_county_b_id_number_is_not_named_to_county_a(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    outsider = [
        "某",
        "529902197208150029",
        "510121100200",
        "村两委委员",
        "2024-03-01",
        "2024-03-01",
        "2029-02-28",
        "",
    ]
    text = client.post("/cadres/import/", {"file": workbook(outsider)}).content.decode()
    assert "已在其他地区登记" in text and "乙县" not in text


def test_county_a_user_cannot_see_county_b_cadre(world: Any, client: Any) -> None:
    outsider = world.outsider_rows[Appointment]
    client.force_login(world.a_clerk)
    assert client.get(f"/cadres/people/{outsider.person_id}/").status_code == 404
    assert client.get(f"/api/v1/cadres/appointments/{outsider.pk}/").status_code == 404
    assert client.get(f"/cadres/villages/{world.village_b.code}/").status_code == 404
    client.force_login(world.b_clerk)
    page = client.get(f"/cadres/people/{outsider.person_id}/").content.decode()
    assert "乙县张三" in page and "529902197208150029" not in page


def test_cadre_page_shows_posts_evaluations_adjustments_and_history(
    world: Any, client: Any, secretary: Any
) -> None:
    services.propose_adjustment(
        actor=world.a_clerk,
        appointment=secretary,
        reason=Reason.GANG_EVIL,
        details="涉恶",
        on=date(2026, 5, 1),
    )
    client.force_login(world.a_clerk)
    text = client.get(f"/cadres/people/{secretary.person_id}/").content.decode()
    for expected in (
        "甲县一村",
        "村党组织书记",
        "涉黑涉恶",
        "待审批",
        "修改记录",
        "5101**********",
    ):
        assert expected in text, expected


def test_propose_and_approve_through_the_pages(
    world: Any, client: Any, secretary: Any, org_reviewer: Any
) -> None:
    client.force_login(world.a_clerk)
    response = client.post(
        f"/cadres/appointments/{secretary.pk}/propose/",
        {"reason": "unqualified", "details": "不合格", "on": "2026-05-01"},
    )
    adjustment = Adjustment.objects.get(appointment=secretary)
    assert response["Location"] == f"/cadres/adjustments/{adjustment.pk}/"
    client.post(
        f"/cadres/adjustments/{adjustment.pk}/decide/", {"decision": "approved", "on": "2026-05-02"}
    )
    adjustment.refresh_from_db()
    assert adjustment.decision == ""  # a campaign-office clerk cannot approve
    client.force_login(org_reviewer)
    client.post(
        f"/cadres/adjustments/{adjustment.pk}/decide/", {"decision": "approved", "on": "2026-05-02"}
    )
    client.force_login(world.a_clerk)
    client.post(f"/cadres/adjustments/{adjustment.pk}/execute/", {"on": "2026-05-20"})
    adjustment.refresh_from_db()
    assert adjustment.executed_on == date(2026, 5, 20) and adjustment.successor is None
    page = client.get(f"/cadres/villages/{world.village_a.code}/").content.decode()
    assert "空缺" in page and adjustment.history.count() == 3


def execute(world: Any, org_reviewer: Any, appointment: Any, reason: str, on: date) -> None:
    adjustment = services.propose_adjustment(
        actor=world.a_clerk if appointment.region.code.startswith("510121") else world.b_clerk,
        appointment=appointment,
        reason=reason,
        details="-",
        on=date(2026, 1, 2),
    )
    services.decide_adjustment(
        actor=org_reviewer, adjustment=adjustment, decision="approved", on=date(2026, 1, 5)
    )
    services.execute_adjustment(
        actor=world.a_clerk if appointment.region.code.startswith("510121") else world.b_clerk,
        adjustment=adjustment,
        on=on,
    )


def test_summary_api_counts_executed_adjustments_by_reason_and_county_in_the_period(
    world: Any, client: Any, org_reviewer: Any
) -> None:
    villages = [
        make_region(f"5101211002{n:02d}", f"甲县{n}号村", Level.VILLAGE, world.township_a)
        for n in range(1, 5)
    ]
    people = [appoint(world, f"书记{n}", 50 + n, region=v) for n, v in enumerate(villages)]
    execute(world, org_reviewer, people[0], Reason.INCOMPETENT, date(2026, 3, 1))
    execute(world, org_reviewer, people[1], Reason.INCOMPETENT, date(2026, 3, 31))
    execute(
        world, org_reviewer, people[2], Reason.GANG_EVIL, date(2026, 4, 1)
    )  # outside the period
    services.propose_adjustment(  # proposed only: not counted
        actor=world.a_clerk,
        appointment=people[3],
        reason=Reason.DISCIPLINE,
        details="-",
        on=date(2026, 3, 2),
    )
    b_adjustment = world.outsider_rows[Adjustment]
    services.decide_adjustment(
        actor=org_reviewer, adjustment=b_adjustment, decision="approved", on=date(2026, 3, 3)
    )
    services.execute_adjustment(actor=world.b_clerk, adjustment=b_adjustment, on=date(2026, 3, 10))
    client.force_login(world.city_leader)
    body = client.get(
        "/api/v1/cadres/adjustments/summary/", {"from": "2026-03-01", "to": "2026-03-31"}
    ).json()
    assert body["total"] == 3
    assert body["by_reason"] == {
        "incompetent": 3,
        "unqualified": 0,
        "gang_evil": 0,
        "discipline": 0,
        "other": 0,
    }
    assert [(c["name"], c["total"], c["by_reason"]["incompetent"]) for c in body["counties"]] == [
        ("甲县", 2, 2),
        ("乙县", 1, 1),
    ]
    client.force_login(world.a_clerk)
    own = client.get(
        "/api/v1/cadres/adjustments/summary/", {"from": "2026-03-01", "to": "2026-04-30"}
    ).json()
    assert [(c["name"], c["total"]) for c in own["counties"]] == [("甲县", 3)]
    assert own["by_reason"]["gang_evil"] == 1
    assert (
        client.get("/api/v1/cadres/adjustments/summary/", {"from": "2026-13-01"}).status_code == 400
    )


def test_list_pages_and_exports_have_query_budgets(
    world: Any, client: Any, org_reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    villages = [
        make_region(f"5101211002{n:02d}", f"甲县{n}号村", Level.VILLAGE, world.township_a)
        for n in range(1, 9)
    ]
    people = [appoint(world, f"书记{n}", 60 + n, region=v) for n, v in enumerate(villages)]
    for p in people[:4]:
        execute(world, org_reviewer, p, Reason.UNQUALIFIED, date(2026, 3, 1))
    client.force_login(world.city_leader)
    for url in (
        "/cadres/",
        "/cadres/adjustments/",
        "/cadres/education/",
        "/cadres/training/",
        "/cadres/evaluations/",
    ):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200, url
    for url in ("/cadres/", "/cadres/adjustments/", "/cadres/education/", "/cadres/training/"):
        with django_assert_max_num_queries(12):
            response = client.get(url, {"export": "xlsx"})
        assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(client.get("/cadres/", {"export": "xlsx"}).content)).active
    names = [r[1] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert "书记0" in names and "乙县张三" in names
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/cadres/appointments/").status_code == 200
