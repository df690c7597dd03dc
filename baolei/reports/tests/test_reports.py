from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from docx import Document
from docx.shared import Mm

from baolei.reports import briefing
from baolei.reports.figures import all_figures
from baolei.reports.tests.links import assert_links_count_their_figures

#: The demo city is built once for this module (see ``built_once``); one worker runs it.
pytestmark = pytest.mark.xdist_group("reports-demo")


@pytest.fixture(scope="module")
def demo_city(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[date]:
    from baolei.conftest import built_once
    from baolei.demo.city import build_city
    from baolei.demo.coordination import build_coordination
    from baolei.demo.ledger import build_ledger
    from baolei.demo.screening import build_screening
    from baolei.demo.supervision import build_supervision

    with built_once(django_db_blocker, tmp_path_factory):
        today = timezone.localdate()
        build_city()
        build_ledger(today)
        build_screening(today)
        build_supervision(today)
        build_coordination(today)
        yield today


@pytest.fixture
def demo(demo_city: date, db: Any) -> date:
    return demo_city


def leader() -> Any:
    from baolei.accounts.models import User

    return User.objects.get(username="city_leader")


def test_figures_come_from_records(demo: date) -> None:
    from baolei.regions.models import Region

    city = Region.objects.get(level="city")
    figures = {
        f.key: f
        for group in all_figures(leader(), city, demo, date(demo.year, 1, 1)).values()
        for f in group
    }
    assert figures["weak_confirmed"].value == 112
    assert (figures["weak_villages"].value, figures["weak_communities"].value) == (109, 3)
    assert figures["meetings_standing_committee"].value == 4
    assert (figures["teams"].value, figures["team_leaders"].value, figures["rounds"].value) == (
        8,
        16,
        6,
    )
    assert figures["problems_central_common_total"].value == 20


def test_briefing_text_states_the_figures_and_leaves_out_empty_sections(
    demo: date, client: Any
) -> None:
    from baolei.regions.models import Region

    city = Region.objects.get(level="city")
    text = briefing.build(leader(), city, demo, date(demo.year, 1, 1)).text()
    assert "确定软弱涣散村(社区)党组织112个（其中村109个、社区3个）" in text
    assert "中央督导组反馈共性问题20项，已完成整改16项（含长期坚持整改9项）" in text
    assert "四、" not in text  # no cases in this demo: the results section is left out
    before = briefing.build(leader(), city, date(2000, 1, 1), date(1999, 1, 1)).text()
    assert "软弱涣散" not in before and "督导组" not in before
    client.force_login(leader())
    page = client.get("/reports/briefing/", {"as_of": demo.isoformat()}).content.decode()
    assert '<a href="/reports/records/weak_confirmed/?region=' in page


def test_every_figure_links_to_exactly_its_records(demo: date, client: Any) -> None:
    from baolei.accounts.models import User
    from baolei.regions.models import Region

    city = Region.objects.get(level="city")
    assert assert_links_count_their_figures(client, leader(), city, demo) > 30
    clerk = User.objects.get(username="baihe_clerk")
    county = clerk.agency.region
    assert_links_count_their_figures(client, clerk, county, demo)
    weak = client.get(
        "/reports/records/weak_confirmed/", {"region": county.code, "as_of": demo.isoformat()}
    ).content.decode()
    assert "白河" in weak or 'data-record-count="0"' in weak
    others = (
        Region.objects.filter(level="county").exclude(pk=county.pk).values_list("name", flat=True)
    )
    assert not any(name in weak for name in others)
    # another county's region, or a figure that does not exist, is not found
    assert (
        client.get("/reports/records/weak_confirmed/", {"region": "529902000000"}).status_code
        == 404
    )
    assert client.get("/reports/records/no_such_figure/").status_code == 404
    workbook_rows = client.get(
        "/reports/records/weak_confirmed/", {"region": county.code, "export": "xlsx"}
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(workbook_rows.content)).active
    figures = {
        f.key: f for g in all_figures(clerk, county, timezone.localdate(), demo).values() for f in g
    }
    assert sheet.max_row - 2 == figures["weak_confirmed"].value  # title and header rows


def test_briefing_in_every_format_through_the_api(demo: date, client: Any) -> None:
    import os
    import shutil

    client.force_login(leader())
    query = {"as_of": demo.isoformat()}
    html = client.get("/api/v1/reports/briefing.html", query)
    assert html.status_code == 200 and "软弱涣散" in html.content.decode()
    docx = client.get("/api/v1/reports/briefing.docx", query)
    assert "软弱涣散" in " ".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert client.get("/api/v1/reports/briefing.rtf", query).status_code == 404
    assert client.get("/api/v1/reports/briefing.docx", {"as_of": "2026-02-30"}).status_code == 400
    pdf = client.get("/api/v1/reports/briefing.pdf", query)
    if shutil.which("soffice") or os.environ.get("BAOLEI_REQUIRE_OFFICE"):
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert b"NotoSerifCJK" in pdf.content  # the free substitute for 仿宋_GB2312 is embedded
    else:
        assert pdf.status_code == 503 and "LibreOffice" in pdf.content.decode()


def test_same_briefing_twice_gives_the_same_bytes(demo: date, client: Any) -> None:
    import time_machine

    client.force_login(leader())
    query = {"as_of": demo.isoformat(), "from": date(demo.year, 1, 1).isoformat()}
    first = client.get("/reports/briefing.docx", query).content
    with time_machine.travel(timezone.now() + timedelta(hours=5, seconds=7)):
        client.force_login(leader())
        second = client.get("/reports/briefing.docx", query).content
    assert first == second


def test_docx_follows_gb_t_9704(demo: date, client: Any) -> None:
    client.force_login(leader())
    response = client.get("/reports/briefing.docx", {"as_of": demo.isoformat()})
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(
        0.1
    )  # A4
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    for actual, expected in zip(margins, (Mm(37), Mm(35), Mm(28), Mm(26)), strict=True):
        assert abs(actual - expected) < Mm(0.1)  # Word stores twentieths of a point
    title = document.paragraphs[0].runs[0]
    assert title.font.size.pt == 22
    assert (
        title._element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        == "方正小标宋简体"
    )
    body = document.paragraphs[3].runs[0]
    assert body.font.size.pt == 16 and body.font.name == "仿宋_GB2312"
    assert "PAGE" in section.footer._element.xml


def test_scope_and_api(demo: date, client: Any) -> None:
    from baolei.accounts.models import User

    clerk = User.objects.get(username="baihe_clerk")
    client.force_login(clerk)
    assert client.get("/reports/", {"region": "529902000000"}).status_code == 404  # another county
    body = client.get("/api/v1/reports/figures/", {"as_of": demo.isoformat()}).json()
    assert body["region"].startswith("529921")
    organisation = {f["key"]: f["value"] for f in body["figures"]["organisation"]}
    assert 0 < organisation["weak_confirmed"] < 112
    charts = {c["key"]: c for c in body["charts"]}
    assert set(charts) >= {"cases_by_stage", "assets_over_time", "rectification_by_county"}
    counties = charts["rectification_by_county"]["categories"]
    assert counties and all(name.endswith(("镇", "乡", "街道", "社区")) for name in counties)
    assert client.get("/api/v1/reports/figures/", {"as_of": "2026-13-01"}).status_code == 400


def test_briefing_command_writes_docx_and_html(demo: date, tmp_path: Any) -> None:
    from django.core.management import call_command

    call_command(
        "report",
        "briefing",
        "--user",
        "city_leader",
        "--as-of",
        demo.isoformat(),
        "--format",
        "docx",
        "--out",
        str(tmp_path / "b.docx"),
    )
    assert "软弱涣散" in " ".join(p.text for p in Document(str(tmp_path / "b.docx")).paragraphs)
    call_command(
        "report",
        "briefing",
        "--user",
        "city_leader",
        "--format",
        "html",
        "--out",
        str(tmp_path / "b.html"),
    )
    assert "（截至" in (tmp_path / "b.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        ("/reports/", 90),
        ("/api/v1/reports/figures/", 90),
        ("/reports/briefing/", 60),
        ("/reports/records/weak_confirmed/", 25),
        ("cases_by_stage", 25),
        ("overdue_by_agency", 25),
        ("rectification_by_county", 25),
    ],
)
def test_pages_built_of_figures_have_query_budgets(
    demo: date, client: Any, django_assert_max_num_queries: Any, path: str, budget: int
) -> None:
    """A records page counts its own figure and builds at most its own chart; the
    dashboard counts every chart's bars with one grouped query per series, so none of
    these grows with the number of records, agencies or child regions.  (This demo has no
    referrals; the feedback chart is grouped the same way.)"""
    from baolei.regions.models import Region
    from baolei.reports.charts import all_charts
    from baolei.reports.figures import Scope

    client.force_login(leader())
    query = {"as_of": demo.isoformat()}
    if not path.startswith("/"):  # the records behind a bar of this chart
        scope = Scope(leader(), Region.objects.get(level="city"), demo, date(demo.year, 1, 1))
        chart = next(c for c in all_charts(scope) if c.key == path)
        path, query = chart.figures()[0].url, {}
    with django_assert_max_num_queries(budget):
        response = client.get(path, query)
    assert response.status_code == 200
