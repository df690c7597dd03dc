from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import time_machine

from baolei.accounts.models import Role
from baolei.conftest import make_user
from baolei.coordination import services
from baolei.coordination.models import MeetingKind, Metric


def test_meeting_pages_counts_and_decisions(
    world: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    office = make_user(
        "city_office_reviewer", world.agencies["city_office"], Role.CLERK, Role.REVIEWER
    )
    client.force_login(office)
    with time_machine.travel(date(2026, 11, 26), tick=False):
        response = client.post(
            "/coordination/meetings/new/",
            {
                "kind": MeetingKind.ANTI_CORRUPTION,
                "held_on": "2026年3月5日",
                "topic": "专题研究打伞破网",
                "region": world.city.pk,
                "convener": world.agencies["city_discipline"].pk,
                "attendees": [world.agencies["city_police"].pk],
            },
        )
        assert response.status_code == 302
        meeting_url = response["Location"]
        client.post(
            meeting_url + "decide/",
            {
                "title": "梳理涉黑案件背后保护伞线索",
                "owner": world.agencies["a_office"].pk,
                "responsible_person": "李明",
                "deadline": "2026-06-30",
            },
        )
        assert "梳理涉黑案件背后保护伞线索" in client.get(meeting_url).content.decode()
        with django_assert_max_num_queries(14):
            page = client.get(
                "/coordination/meetings/", {"start": "2026-01-01", "end": "2026-12-31"}
            ).content.decode()
        assert "专题研究打伞破网" in page
        counts = client.get(
            "/api/v1/coordination/meetings/counts/", {"from": "2026-01-01", "to": "2026-12-31"}
        ).json()
        assert counts["anti_corruption"] == 1 and counts["standing_committee"] == 0
        assert (
            client.get("/api/v1/coordination/meetings/counts/", {"from": "2026-13-01"}).status_code
            == 400
        )


def test_scheme_page_shows_calculations_and_bulletin_lists_overdue(world: Any, client: Any) -> None:
    office = make_user(
        "city_office_reviewer", world.agencies["city_office"], Role.CLERK, Role.REVIEWER
    )
    scheme = services.create_scheme(
        actor=office,
        name="2026年度扫黑除恶考核",
        region=world.city,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        indicators=[("逾期事项", Decimal("5"), Metric.OVERDUE_ITEMS, Decimal("0.25"))],
    )
    client.force_login(world.city_leader)
    page = client.get(f"/coordination/assessment/{scheme.pk}/").content.decode()
    assert "逾期台账事项 1 次，每次扣 0.25 分" in page  # county B's overdue cast item
    bulletin = client.get(f"/coordination/assessment/{scheme.pk}/bulletin/").content.decode()
    assert "乙县二村整改" in bulletin
    client.force_login(world.a_clerk)
    assert (
        "乙县" not in client.get(f"/coordination/assessment/{scheme.pk}/bulletin/").content.decode()
    )
    scores = client.get(f"/api/v1/coordination/assessments/{scheme.pk}/scores/").json()
    assert [(r["name"], r["total"]) for r in scores] == [("甲县", "5.00")]


def test_scheme_and_manual_score_through_pages(world: Any, client: Any) -> None:
    office = make_user(
        "city_office_reviewer", world.agencies["city_office"], Role.CLERK, Role.REVIEWER
    )
    client.force_login(office)
    bad = client.post(
        "/coordination/assessment/new/",
        {
            "name": "考核",
            "region": world.city.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "indicators": "工作创新,5,凭感觉,0",
        },
    ).content.decode()
    assert "第1行应为" in bad
    response = client.post(
        "/coordination/assessment/new/",
        {
            "name": "考核",
            "region": world.city.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "indicators": "工作创新,5,人工评分,0\n逾期事项，5，overdue_items，0.25",
        },
    )
    scheme_url = response["Location"]
    from baolei.coordination.models import Indicator

    manual = Indicator.objects.get(metric=Metric.MANUAL)
    client.post(
        scheme_url + "score/",
        {"indicator": manual.pk, "county": world.county_a.pk, "score": "9", "reason": "超出分值"},
    )
    client.post(
        scheme_url + "score/",
        {"indicator": manual.pk, "county": world.county_a.pk, "score": "4", "reason": "机制创新"},
    )
    page = client.get(scheme_url).content.decode()
    assert "得分应在 0 到 5.00 之间" in page and "人工评分：机制创新" in page
