from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook, load_workbook

from baolei.screening import services
from baolei.screening.models import Decision, Proposal, Screening, Standing


def confirm(world: Any, reviewers: Any, screening: Any) -> None:
    item = screening.round.negative_list.items.get(code="06")
    services.record_result(
        actor=world.a_clerk,
        screening=screening,
        proposal=Proposal.FLAG,
        hits=[(item, "村主任充当保护伞")],
        on=date(2026, 4, 1),
    )
    for reviewer in reviewers.values():
        services.review(
            actor=reviewer, screening=screening, decision=Decision.AGREE, on=date(2026, 4, 2)
        )


def test_summary_api_gives_counts_per_county_and_total(
    round_: Any, world: Any, reviewers: Any, client: Any
) -> None:
    confirm(world, reviewers, round_.screenings.get(region=world.village_a))
    client.force_login(world.city_leader)
    body = client.get(f"/api/v1/screening/rounds/{round_.pk}/summary/").json()
    assert body["total"]["base"] == 10 and body["total"]["confirmed"] == 1
    assert body["total"]["ratio"] == 0.1 and body["total"]["rectified"] == 0
    assert [c["name"] for c in body["counties"]] == ["甲县"]


def test_county_b_cannot_see_or_review_county_a(round_: Any, world: Any, client: Any) -> None:
    screening = round_.screenings.get(region=world.village_a)
    client.force_login(world.b_clerk)
    assert client.get(f"/screening/organisations/{screening.pk}/").status_code == 404
    assert (
        client.post(
            f"/api/v1/screening/organisations/{screening.pk}/review/",
            {"decision": "agree"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/screening/rounds/{round_.pk}/summary/").status_code == 404


def test_county_user_sees_the_city_round_but_only_its_villages(
    world: Any, reviewers: Any, client: Any, organiser: Any, villages: Any
) -> None:
    round_ = services.open_round(
        actor=organiser,
        name="全市排查",
        region=world.city,
        negative_list=services.ensure_default_list(),
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 6, 30),
    )
    client.force_login(world.a_clerk)
    assert client.get(f"/screening/rounds/{round_.pk}/").status_code == 200
    body = client.get(f"/api/v1/screening/rounds/{round_.pk}/summary/").json()
    assert body["total"]["base"] == 10  # county B's village is outside county A's view


def test_review_through_the_page(round_: Any, world: Any, reviewers: Any, client: Any) -> None:
    screening = round_.screenings.get(region=world.village_a)
    client.force_login(world.a_clerk)
    item = round_.negative_list.items.get(code="07")
    other = round_.negative_list.items.get(code="03")
    result = {
        "proposal": "flag",
        "items": [item.pk, other.pk],
        f"note_{item.pk}": "村霸横行",
        "checked_by": "张核查",
        "checked_on": "2026年4月1日",
        "findings": "2015年曾有治安处罚记录",
    }
    url = f"/screening/organisations/{screening.pk}/result/"
    # Every ticked item needs its own facts: one note is not copied to the others.
    client.post(url, result)
    screening.refresh_from_db()
    assert screening.standing != Standing.PROPOSED and not screening.hits.exists()
    response = client.post(url, result | {f"note_{other.pk}": "软弱涣散，长期不开会"})
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.standing == Standing.PROPOSED and screening.archive_checks.count() == 1
    notes = dict(screening.hits.values_list("item__code", "note"))
    assert notes == {"07": "村霸横行", "03": "软弱涣散，长期不开会"}
    required = len(round_.required_reviewers)
    page = client.get(f"/screening/organisations/{screening.pk}/").content.decode()
    assert f'data-tally="0/{required}"' in page and "部门已同意" in page
    first = next(iter(reviewers.values()))
    client.force_login(first)
    client.post(f"/screening/organisations/{screening.pk}/review/", {"decision": "agree"})
    page = client.get(f"/screening/organisations/{screening.pk}/").content.decode()
    assert f'data-tally="1/{required}"' in page
    assert first.agency.get_kind_display() not in page.split("待：")[1].split("</span>")[0]
    client.force_login(next(iter(reviewers.values())))
    client.post(
        f"/screening/organisations/{screening.pk}/review/", {"decision": "disagree", "reason": ""}
    )
    screening.refresh_from_db()
    assert screening.standing == Standing.PROPOSED  # refused: a disagreement needs its reason
    page = client.get(f"/screening/organisations/{screening.pk}/").content.decode()
    assert "村霸横行" in page and "2015年曾有治安处罚记录" in page


#: Two rows of a results sheet that import: village A proposed for the list with two
#: items of it, the other organisation not.
GOOD_RESULTS = [
    [
        "510121100200",
        "甲县一村",
        "07、11",
        "村霸欺压群众",
        "张三",
        "2026-04-01",
        "有前科",
        "建议列入",
    ],
    ["510121100201", "甲县1号村", "", "", "", "", "", "不列入"],
]


def results_file(rows: list[list[Any]]) -> io.BytesIO:
    book = Workbook()
    book.active.append(["甲县排查结果"])
    book.active.append(
        [
            "区划代码",
            "村(社区)",
            "命中条目",
            "具体情况",
            "核查人",
            "核查日期",
            "核查发现",
            "处理建议",
        ]
    )
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "results.xlsx"
    return buffer


def test_import_with_one_bad_row_changes_nothing(round_: Any, world: Any, client: Any) -> None:
    rows = [
        *GOOD_RESULTS,
        ["510122100200", "乙县二村", "99", "", "", "", "", "列入与否"],
    ]
    client.force_login(world.a_clerk)
    page = client.post(
        f"/screening/rounds/{round_.pk}/import/", {"file": results_file(rows)}
    ).content.decode()
    assert (
        "共 3 处错误" in page and "不在本轮负面清单中" in page and "应为 建议列入 或 不列入" in page
    )
    assert not Screening.objects.filter(round=round_).exclude(proposal=Proposal.PENDING).exists()
    response = client.post(
        f"/screening/rounds/{round_.pk}/import/", {"file": results_file(rows[:2])}
    )
    assert response.status_code == 302
    flagged = Screening.objects.get(round=round_, region=world.village_a)
    assert flagged.standing == Standing.PROPOSED and flagged.hits.count() == 2


def test_rectification_ledger_export(round_: Any, world: Any, reviewers: Any, client: Any) -> None:
    confirm(world, reviewers, round_.screenings.get(region=world.village_a))
    client.force_login(world.a_clerk)
    response = client.get(
        "/screening/organisations/", {"round": round_.pk, "standing": "confirmed", "export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[2]]
    assert headers == [
        "序号",
        "县(区)",
        "乡镇(街道)",
        "村(社区)",
        "存在问题",
        "整顿措施",
        "责任人",
        "包村领导",
        "整顿时限",
        "整顿状态",
        "验收情况",
    ]
    row = [c.value for c in sheet[3]]
    assert (
        row[1:4] == ["甲县", "甲县一镇", "甲县一村"] and "保护伞" in row[4] and row[-1] == "未验收"
    )


def test_round_dashboard_and_lists_have_query_budgets(
    round_: Any, world: Any, reviewers: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    for screening in round_.screenings.order_by("region__code")[:3]:
        confirm(world, reviewers, screening)
    client.force_login(world.city_leader)
    with django_assert_max_num_queries(20):
        assert "30%" in client.get(f"/screening/rounds/{round_.pk}/").content.decode()
    with django_assert_max_num_queries(19):  # the negative-list items offered, the badges
        assert client.get("/screening/organisations/", {"round": round_.pk}).status_code == 200
    with django_assert_max_num_queries(20):  # 4 of them the navigation's to-do badges
        assert client.get("/screening/organisations/", {"export": "xlsx"}).status_code == 200
