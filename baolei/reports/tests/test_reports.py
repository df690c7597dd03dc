from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from docx import Document
from docx.shared import Mm

from baolei.reports import briefing
from baolei.reports.figures import all_figures, money


@pytest.fixture
def demo(db: Any) -> Any:
    from baolei.demo.city import build_city
    from baolei.demo.coordination import build_coordination
    from baolei.demo.ledger import build_ledger
    from baolei.demo.screening import build_screening
    from baolei.demo.supervision import build_supervision

    today = timezone.localdate()
    build_city()
    build_ledger(today)
    build_screening(today)
    build_supervision(today)
    build_coordination(today)
    return today


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


def record_count(client: Any, figure: Any) -> int | Decimal:
    """What the figure's link shows: the number of records listed, or for money the sum
    of the exported amounts."""
    import csv
    import re

    if figure.unit == "元":
        body = client.get(figure.url + "&export=csv").content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(body)))
        return sum((Decimal(r["金额（元）"]) for r in rows), Decimal(0))
    page = client.get(figure.url).content.decode()
    found = re.search(r'data-record-count="(\d+)"', page)
    assert found, figure.key
    return int(found.group(1))


def assert_links_count_their_figures(client: Any, user: Any, region: Any, as_of: date) -> int:
    from baolei.reports.charts import all_charts
    from baolei.reports.figures import Scope

    client.force_login(user)
    checked = 0
    start = as_of.replace(year=as_of.year - 1)
    charts = all_charts(Scope(user, region, as_of, start))
    for group in [
        *all_figures(user, region, as_of, start).values(),
        *(c.figures() for c in charts),
    ]:
        for figure in group:
            assert figure.url.startswith("/reports/records/"), figure.key
            assert record_count(client, figure) == figure.value, figure.key
            checked += 1
    return checked


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


def test_money_reads_like_the_report() -> None:
    assert money(Decimal("5800000")) == "580万元"
    assert money(Decimal("360000000")) == "3.6亿元"


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


SEED_SENTENCES = [
    "确定软弱涣散村(社区)党组织112个（其中村109个、社区3个），“一村一策”已整顿提升112个",
    "动态调整不胜任、不合格的118人",
    "“领头雁”实训基地8个",
    "8个县(区)、85个乡镇(街道)、5个新型社区全部建立综治中心",
    "4次常委会会议、2次扫黑除恶专项斗争领导小组会议、10次领导小组专题会议、2次反腐败协调小组会议",
    "由8名市领导联系督导县(区)，16名干部担任组长、副组长，组成8个督导组，先后组织开展6轮专项督导",
    "截至10月15日，公安机关新侦办黑社会性质组织案6件，涉恶犯罪案4件，抓获犯罪嫌疑人132人",
    "查扣冻结各类涉案财产从督导前的580万元增加到3.6亿元",
    "检察机关新提起公诉黑社会性质组织案1件，恶势力犯罪案3件",
    "法院一审判决并认定黑社会性质组织案5件，恶势力犯罪案2件；二审审结并认定黑社会性质组织案5件，恶势力犯罪案3件",
    "共性问题20项，已完成整改16项（含长期坚持整改9项）",
    "个性问题13项，已完成整改12项（含长期坚持整改6项）",
]


def test_seed_scenario_briefing_states_every_figure_of_the_article(
    db: Any, tmp_path: Any, client: Any
) -> None:
    """Built from records in a fresh database: nothing in the template is a typed-in number."""
    from django.core.management import call_command

    call_command("demo", "--scenario", "seed", "--quiet-accounts")
    out = tmp_path / "seed.docx"
    call_command(
        "report",
        "briefing",
        "--user",
        "city_leader",
        "--as-of",
        "2019-10-15",
        "--format",
        "docx",
        "--out",
        str(out),
    )
    text = "".join(p.text for p in Document(str(out)).paragraphs)
    for sentence in SEED_SENTENCES:
        assert sentence in text, sentence
    again = tmp_path / "again.docx"
    call_command(
        "report",
        "briefing",
        "--user",
        "city_leader",
        "--as-of",
        "2019-10-15",
        "--format",
        "docx",
        "--out",
        str(again),
    )
    assert again.read_bytes() == out.read_bytes()
    from baolei.accounts.models import User
    from baolei.regions.models import Region

    checked = assert_links_count_their_figures(
        client,
        User.objects.get(username="city_leader"),
        Region.objects.get(level="city"),
        date(2019, 10, 15),
    )
    assert checked > 40


def test_all_ledgers_in_one_zip_stay_in_scope(
    world: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    import zipfile

    from openpyxl import load_workbook

    client.force_login(world.a_clerk)
    with django_assert_max_num_queries(60):
        response = client.get("/reports/ledgers.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len(names) == 9 and names[0] == "01_整改台账.xlsx"
    for name in names:
        sheet = load_workbook(io.BytesIO(archive.read(name))).active
        assert "乙县" not in " ".join(
            str(c) for row in sheet.iter_rows(values_only=True) for c in row if c
        )


def test_records_behind_every_figure_stay_in_scope(world: Any, client: Any) -> None:
    """Every figure and chart bar a county-A user can open lists county-A records only,
    on the page and in the export; the city sees county B's rows through the same links."""
    from openpyxl import load_workbook

    from baolei.conftest import OUTSIDER_MARK
    from baolei.regions.queries import scope_root
    from baolei.reports.charts import all_charts
    from baolei.reports.figures import Scope

    def opened(user: Any) -> str:
        client.force_login(user)
        region, today, start = scope_root(user), timezone.localdate(), date(2000, 1, 1)
        figures = [f for g in all_figures(user, region, today, start).values() for f in g]
        figures += [f for c in all_charts(Scope(user, region, today, start)) for f in c.figures()]
        seen = []
        for figure in figures:
            page = client.get(figure.url)
            assert page.status_code == 200, figure.key
            sheet = load_workbook(io.BytesIO(client.get(figure.url + "&export=xlsx").content))
            cells = " ".join(str(c) for r in sheet.active.iter_rows(values_only=True) for c in r)
            seen.append(page.content.decode() + cells)
        return " ".join(seen)

    assert OUTSIDER_MARK not in opened(world.users["a_clerk"])
    assert OUTSIDER_MARK in opened(world.users["city_leader"])


def test_a_cadre_counts_as_vetted_only_after_a_completed_run_that_covers_them(
    world: Any,
) -> None:
    from datetime import UTC, datetime

    from baolei.vetting.models import RunStatus, VettingRun
    from baolei.vetting.tests.conftest import appoint

    early = appoint(world, "甲早任", world.village_a, date(2024, 1, 1))
    late = appoint(world, "甲新任", world.village_a, date(2026, 7, 1))
    appoint(world, "甲同日", world.village_a, date(2026, 6, 1))  # the run's day in Beijing
    VettingRun.objects.create(
        region=world.county_a,
        sources=["external"],
        threshold=0.2,
        status=RunStatus.DONE,
        started_at=datetime(2026, 5, 31, 23, 30, tzinfo=UTC),  # 07:30 on 1 June in Beijing
    )
    VettingRun.objects.create(  # a failed run vets nobody
        region=world.county_a,
        sources=["external"],
        threshold=0.2,
        status=RunStatus.FAILED,
        started_at=datetime(2026, 8, 1, 1, tzinfo=UTC),
    )

    def vetted(day: date) -> set[str]:
        user = world.users["a_clerk"]
        figures = all_figures(user, world.county_a, day, date(2026, 1, 1))
        figure = next(f for f in figures["organisation"] if f.key == "cadres_vetted")
        names = {row.label.split("（")[0] for row in figure.rows()}
        assert len(names) == figure.value
        return names

    assert vetted(date(2026, 5, 31)) & {"甲早任", "甲新任"} == set()  # before the run
    assert {"甲早任", "甲同日"} <= vetted(date(2026, 6, 1))
    assert "甲新任" not in vetted(date(2026, 9, 1))  # appointed after the last completed run
    assert early.pk != late.pk
    text = briefing.build(
        world.users["a_clerk"], world.county_a, date(2026, 9, 1), date(2026, 1, 1)
    )
    assert "中已完成审查" in text.text()
