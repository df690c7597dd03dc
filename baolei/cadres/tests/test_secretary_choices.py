"""The 书记 choice of the evaluation form is never cut silently: it is whole, or says so and searches.

The form is the township Party committee's (履职研判 is the Party organisation's)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from baolei.accounts.models import Role
from baolei.cadres import queries, services
from baolei.cadres.forms import EvaluationForm
from baolei.cadres.models import Evaluation, Rating
from baolei.cadres.tests.conftest import appoint
from baolei.conftest import make_region, make_user
from baolei.regions.models import Level

NAMES = ["赵书记", "钱书记", "孙书记", "李书记"]


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as t:
        yield t


@pytest.fixture
def campaign(world: Any) -> Any:
    city_clerk = make_user("city_clerk", world.agencies["city_office"], Role.CLERK)
    for n, name in enumerate(NAMES):
        village = make_region(
            f"5101211002{n + 10:02d}", f"甲县{n + 10}村", Level.VILLAGE, world.township_a
        )
        appoint(world, name, 40 + n, region=village)
    return services.open_campaign(
        actor=city_clerk,
        name="2026年村党组织书记履职研判",
        region=world.city,
        period_starts_on=date(2026, 1, 1),
        period_ends_on=date(2026, 6, 30),
    )


def options(page: str) -> list[str]:
    select = page.split('<select id="secretary"')[1].split("</select>")[0]
    return [o.split(">")[1].split("<")[0] for o in select.split("<option")[1:]]


def test_a_whole_list_says_so(campaign: Any, client: Any, evaluator: Any) -> None:
    client.force_login(evaluator)
    page = client.get(f"/cadres/evaluations/{campaign.pk}/").content.decode()
    listed = options(page)
    assert sorted(o.split()[1] for o in listed) == sorted(NAMES)
    assert "待研判书记共 4 人，已全部列出" in page


def test_a_long_list_says_how_many_it_leaves_out_and_searches(
    campaign: Any, client: Any, monkeypatch: Any, evaluator: Any
) -> None:
    monkeypatch.setattr(queries, "CHOICES_SHOWN", 2)
    client.force_login(evaluator)
    page = client.get(f"/cadres/evaluations/{campaign.pk}/").content.decode()
    assert len(options(page)) == 2
    assert "共 4 人，列出前 2 人，另有 2 人：请输入村名或姓名查找" in page
    assert "data-choice-search" in page
    last = NAMES[-1]
    assert all(last not in o for o in options(page))
    # the type-ahead fragment and the page's own search both find the one left out
    fragment = client.get(f"/cadres/evaluations/{campaign.pk}/secretaries/", {"q": "李"})
    assert [o.split()[1] for o in options(fragment.content.decode())] == [last]
    searched = client.get(f"/cadres/evaluations/{campaign.pk}/", {"q": "13村"}).content.decode()
    assert [o.split()[1] for o in options(searched)] == [last]
    assert "已全部列出" in searched
    # county B's secretary is outside county A's scope, found by no search
    outsider = client.get(f"/cadres/evaluations/{campaign.pk}/secretaries/", {"q": "乙县"})
    assert options(outsider.content.decode()) == ["没有找到“乙县”"]


def test_every_field_of_the_evaluation_form_round_trips(
    campaign: Any, client: Any, evaluator: Any
) -> None:
    client.force_login(evaluator)
    pending = queries.pending_secretaries(campaign, evaluator).rows
    ratings = [v for v, _ in EvaluationForm().fields["rating"].choices]
    assert len(pending) >= len(ratings)
    for n, (appointment, rating) in enumerate(zip(pending, ratings, strict=False)):
        flagged = n % 2 == 1
        client.post(
            f"/cadres/evaluations/{campaign.pk}/evaluate/",
            {
                "appointment": appointment.pk,
                "rating": rating,
                "flagged_incompetent": "on" if flagged else "",
                "findings": f"研判意见{n}",
                "evaluator": f"甲县一镇党委{n}",
                "on": f"2026-04-0{n + 1}",
            },
        )
        saved = Evaluation.objects.get(campaign=campaign, appointment=appointment)
        assert (
            saved.rating,
            saved.flagged_incompetent,
            saved.findings,
            saved.evaluator,
            saved.evaluated_on,
        ) == (rating, flagged, f"研判意见{n}", f"甲县一镇党委{n}", date(2026, 4, n + 1))
        page = client.get(f"/cadres/evaluations/{campaign.pk}/").content.decode()
        results = page.split('<h2 class="h6">研判结果</h2>')[1]
        row = next(r for r in results.split("<tr>") if f"研判意见{n}" in r)
        assert Rating(rating).label in row and f"甲县一镇党委{n}" in row
        assert f"2026-04-0{n + 1}" in row
        assert ("认定不胜任" in row) == flagged
        assert appointment.person.name not in " ".join(options(page))


def test_results_are_shown_a_page_at_a_time(
    world: Any, campaign: Any, client: Any, evaluator: Any
) -> None:
    for n in range(8):
        village = make_region(
            f"5101211002{n + 20:02d}", f"甲县{n + 20}村", Level.VILLAGE, world.township_a
        )
        appoint(world, f"书记{n}", 60 + n, region=village)
    for appointment in queries.pending_secretaries(campaign, evaluator).rows:
        services.record_evaluation(
            actor=evaluator, campaign=campaign, appointment=appointment,
            rating=Rating.COMPETENT, findings=f"意见{appointment.region.name}",
            evaluator="甲县一镇党委", on=date(2026, 5, 1),
        )  # fmt: skip
    assert Evaluation.objects.filter(campaign=campaign).count() == 12
    client.force_login(evaluator)
    url = f"/cadres/evaluations/{campaign.pk}/"
    pages = [
        client.get(url, {"page_size": 10, "page": n}).content.decode().split("研判结果</h2>")[1]
        for n in (1, 2)
    ]
    shown = [p.count("<td>意见") for p in pages]
    assert shown == [10, 2]
    assert "共 12 条，第 1/2 页" in pages[0]
    everything = "".join(pages)
    assert all(f"意见甲县{n}村" in everything for n in [10, 11, 12, 13, *range(20, 28)])
