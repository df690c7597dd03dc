"""Pages show amounts, ratios and places as a reader takes them in (3.64 亿元, 10%,
甲县); exports keep the exact values."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

import lxml.html
import pytest
import time_machine
from openpyxl import load_workbook

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.cases import services as case_services
from baolei.conftest import make_user
from baolei.core.readable import percent, yuan, yuan_exact
from baolei.ledger import services as ledger_services
from baolei.reports.charts import all_charts
from baolei.reports.figures import Scope
from baolei.screening import services as screening_services
from baolei.screening.models import ScreeningRound


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("363500000.00"), "3.64 亿元"),
        (Decimal("123456789012"), "1,234.57 亿元"),
        (125000, "12.50 万元"),
        (Decimal("12345678.90"), "1,234.57 万元"),
        (8500, "8,500 元"),
        (Decimal("8500.50"), "8,500.50 元"),
        (0, "0 元"),
        (Decimal("-25000"), "-2.50 万元"),
        (None, "—"),
    ],
)
def test_money_reads_in_wan_and_yi(value: Any, shown: str) -> None:
    assert yuan(value) == shown


def test_exact_money_keeps_the_fen() -> None:
    assert yuan_exact(Decimal("363500000")) == "363,500,000.00 元"


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [("0.100", "10%"), ("0.125", "12.5%"), (1 / 3, "33.3%"), (1, "100%"), (0, "0%")],
)
def test_ratio_reads_as_percent_without_trailing_zeros(ratio: Any, shown: str) -> None:
    assert percent(ratio) == shown


@pytest.fixture
def police(world: Any) -> Any:
    return make_user("a_police_clerk", world.agencies["a_police"], Role.CLERK)


@pytest.fixture
def case_with_assets(world: Any, police: Any) -> Any:
    case = case_services.open_case(
        actor=police,
        number="甲公刑〔2026〕7号",
        name="钱某某等人恶势力犯罪集团案",
        kind="gang",
        region=world.village_a,
        lead_agency=world.agencies["a_police"],
        opened_on=date(2026, 1, 10),
    )
    for value, what in ((Decimal("363375000.00"), "商业楼"), (Decimal("125000.00"), "车辆")):
        case_services.record_asset(
            actor=police,
            case=case,
            kind="real_estate",
            measure="seal",
            description=what,
            value=value,
            on=date(2026, 2, 1),
        )
    return case


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) or bool(
        isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value)
    )


def cell_texts(page: str, xpath: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", e.text_content()).strip()
        for e in lxml.html.fromstring(page).xpath(xpath)
    ]


def test_case_page_shows_assets_in_wan_and_yi(
    case_with_assets: Any, world: Any, client: Any
) -> None:
    client.force_login(world.city_leader)
    page = client.get(f"/cases/{case_with_assets.pk}/").content.decode()
    assert cell_texts(page, '//dd[@data-field="asset_total"]') == ["3.64 亿元"]
    assert 'title="363,500,000.00 元"' in page
    values = cell_texts(page, "//table[.//th[.='价值']]/tbody/tr/td[5]")
    assert sorted(values) == ["12.50 万元", "3.63 亿元"]
    listed = client.get("/cases/").content.decode()
    assert "3.64 亿元" in listed and "363500000" not in listed


def test_export_keeps_the_exact_amount(case_with_assets: Any, world: Any, client: Any) -> None:
    client.force_login(world.city_leader)
    response = client.get("/cases/", {"export": "xlsx"})
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    values = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row]
    assert any(Decimal(str(v)) == Decimal("363500000") for v in values if is_number(v))
    assert "3.64 亿元" not in [str(v) for v in values]


@time_machine.travel(date(2026, 11, 26), tick=False)
def test_case_statistics_read_in_wan_and_yi(case_with_assets: Any, world: Any, client: Any) -> None:
    client.force_login(world.city_leader)
    page = client.get("/cases/statistics/", {"from": "2026-01-01", "to": "2026-11-26"})
    text = re.sub(r"\s+", " ", lxml.html.fromstring(page.content.decode()).text_content())
    assert "的 0 元 变为 2026-11-26 的 3.64 亿元（变化 3.64 亿元）" in text


def test_round_pages_show_minimum_ratio_as_percent(world: Any, client: Any) -> None:
    organiser = make_user("org_reviewer", world.agencies["city_office"], Role.REVIEWER, Role.CLERK)
    Agency.objects.create(name="某市组织部", kind=AgencyKind.ORGANISATION, region=world.city)
    for ratio, name in ((Decimal("0.100"), "第一轮"), (Decimal("0.125"), "第二轮")):
        screening_services.open_round(
            actor=organiser,
            name=name,
            region=world.county_a,
            negative_list=screening_services.ensure_default_list(),
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 6, 30),
            minimum_ratio=ratio,
        )
    client.force_login(world.city_leader)
    listed = client.get("/screening/").content.decode()
    rows = lxml.html.fromstring(listed).xpath("//table/tbody/tr")
    ratios = {
        r.xpath("./td[1]")[0].text_content(): r.xpath("./td[5]")[0].text_content() for r in rows
    }
    assert (ratios["第一轮"], ratios["第二轮"]) == ("10%", "12.5%")
    second = ScreeningRound.objects.get(name="第二轮")
    page = client.get(f"/screening/rounds/{second.pk}/").content.decode()
    assert "最低比例 12.5%" in page and "12.500" not in page


@time_machine.travel(date(2026, 11, 26), tick=False)
def test_warnings_page_names_the_county(world: Any, client: Any) -> None:
    ledger_services.create_item(
        actor=world.a_clerk,
        title="清理村霸线索",
        region=world.village_a,
        owner_agency=world.agencies["a_office"],
        responsible_person="王建军",
        deadline=date(2026, 1, 5),
        measures=["召开专题会议"],
    )
    client.force_login(world.city_leader)
    page = client.get("/ledger/warnings/").content.decode()
    counties = cell_texts(page, "//table[.//th[.='县(区)']]/tbody/tr/td[1]")
    assert "甲县" in counties
    assert not any(re.fullmatch(r"\d{6}", c) for c in counties)


def test_count_charts_have_whole_number_axes(world: Any) -> None:
    scope = Scope(world.city_leader, world.city, date(2026, 11, 26), date(2026, 1, 1))
    options = {chart.key: chart.option() for chart in all_charts(scope)}
    assert "cases_by_stage" in options and "assets_over_time" in options
    for key, option in options.items():
        axis = option["yAxis"]
        if key == "assets_over_time":
            assert axis.get("name") == "万元" and "minInterval" not in axis
        else:
            assert axis.get("minInterval") == 1, key
