"""Every figure of the dashboard, the briefing and the figures API is defined at the level
shown, or left out: a county has no city leaders of its own to count, a township no counties."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from baolei.regions.models import SIGNIFICANT_DIGITS, Level
from baolei.reports import briefing
from baolei.reports.figures import all_figures

AS_OF, START = date(2026, 11, 26), date(2026, 1, 1)

#: the words that name a level when the text counts its units
UNIT_WORDS = {Level.COUNTY: "县(区)", Level.TOWNSHIP: "乡镇(街道)", Level.NEW_COMMUNITY: "新型社区"}


def below(level: str, region: Any) -> bool:
    return SIGNIFICANT_DIGITS[Level(level)] > SIGNIFICANT_DIGITS[Level(region.level)]


def undefined_phrases(text: str, region: Any) -> list[str]:
    """Phrases that count something the region's level does not have."""
    found = []
    for level, word in UNIT_WORDS.items():
        if not below(level, region):
            pattern = rf"{re.escape(word)}(总数|建立综治中心)|\d+个{re.escape(word)}"
            found += [m.group(0) for m in re.finditer(pattern, text)]
    if region.level != Level.CITY:
        found += re.findall(
            r"市领导联系督导|督导组组长、副组长|\d+个督导组|督导组\d+个|\d+轮专项督导|专项督导\d+轮",
            text,
        )
    if region.level not in (Level.CITY, Level.COUNTY):
        found += re.findall(r"常委会会议|反腐败协调小组会议", text)
    return found


def regions(world: Any) -> list[Any]:
    return [world.city, world.county_a, world.township_a, world.village_a]


def test_a_county_dashboard_has_no_city_leaders_and_a_township_no_counties(
    world: Any, client: Any
) -> None:
    client.force_login(world.city_leader)
    county = client.get("/reports/", {"region": world.county_a.code}).content.decode()
    assert "市领导联系督导县(区)" not in county
    assert "乡镇(街道)总数" in county and "县(区)总数" not in county
    township = client.get("/reports/", {"region": world.township_a.code}).content.decode()
    assert "县(区)总数" not in township and "乡镇(街道)总数" not in township
    city = client.get("/reports/", {"region": world.city.code}).content.decode()
    assert "市领导联系督导县(区)" in city and "县(区)总数" in city


@pytest.mark.parametrize("index", range(4), ids=["city", "county", "township", "village"])
def test_every_figure_is_defined_at_the_level_shown(world: Any, client: Any, index: int) -> None:
    region = regions(world)[index]
    user = world.city_leader
    figures = [f for g in all_figures(user, region, AS_OF, START).values() for f in g]
    labels = " ".join(f"{f.label}{f.display}" for f in figures)
    assert undefined_phrases(labels, region) == []
    client.force_login(user)
    params = {"region": region.code, "as_of": AS_OF.isoformat(), "from": START.isoformat()}
    page = client.get("/reports/", params).content.decode()
    figures_part = page.split("驾驶舱</h1>")[1].split('<h2 class="h6 mt-4">图表</h2>')[0]
    figures_part = re.sub(r"<[^>]+>|\s+", "", figures_part)
    assert undefined_phrases(figures_part, region) == []
    api = client.get("/api/v1/reports/figures/", params).json()
    api_labels = " ".join(
        f"{f['label']}{f['value']}{f['unit']}" for group in api["figures"].values() for f in group
    )
    assert undefined_phrases(api_labels, region) == []
    text = briefing.build(user, region, AS_OF, START).text()
    assert undefined_phrases(text, region) == []
    # and a figure left out cannot be opened either
    for key in ("units_county", "leaders"):
        if key not in {f.key for f in figures}:
            assert client.get(f"/reports/records/{key}/", params).status_code == 404


def test_the_city_keeps_every_figure_its_level_has(world: Any) -> None:
    keys = {
        f.key for g in all_figures(world.city_leader, world.city, AS_OF, START).values() for f in g
    }
    assert {"leaders", "teams", "rounds", "units_county", "units_township"} <= keys
    assert {"meetings_standing_committee", "mechanisms", "training_bases"} <= keys


def test_the_briefing_counts_only_city_level_training_bases(world: Any, client: Any) -> None:
    from baolei.cadres import services

    for n, level in enumerate(["city", "county", "county"]):
        services.open_base(
            actor=world.a_clerk,
            name=f"甲县{n}号“领头雁”实训基地",
            region=world.village_a,
            level=level,
            opened_on=date(2026, 5, 1),
        )
    figures = {
        f.key: f
        for g in all_figures(world.city_leader, world.city, AS_OF, START).values()
        for f in g
    }
    bases = figures["training_bases"]
    assert bases.value == 1 and [r.label for r in bases.rows()] == ["甲县0号“领头雁”实训基地"]
    text = briefing.build(world.city_leader, world.city, AS_OF, START).text()
    assert "建立市级“领头雁”实训基地1个" in text
    client.force_login(world.city_leader)
    page = client.get("/cadres/training/").content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")
    listed = "".join(r for r in rows if "甲县" in r and "实训基地" in r)
    assert listed.count("<td>市级</td>") == 1 and listed.count("<td>县级</td>") == 2
