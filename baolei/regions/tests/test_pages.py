from __future__ import annotations

import io
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from baolei.audit.models import Action, SecurityEvent


def test_home_shows_scope_and_coverage(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    page = client.get("/").content.decode()
    assert "甲县" in page and "甲县一镇" in page
    assert "1/1" in page  # county-level and township-level centres of county A


def test_region_list_filters_sorts_and_pages(
    world: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.city_leader)
    with django_assert_max_num_queries(16):  # 4 of them the navigation's to-do badges
        page = client.get(
            reverse("regions:list"), {"level": "village", "sort": "-code"}
        ).content.decode()
    assert page.index("乙县二村") < page.index("甲县一村")
    assert "<td>510121100000</td>" not in page  # the township itself is filtered out


def test_region_export_is_an_office_ledger(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    response = client.get(reverse("regions:list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "行政区划表"
    assert "A1:F1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]] == ["序号", "区划代码", "名称", "层级", "上级", "综治中心"]
    assert [c.value for c in sheet[3]][:3] == [1, "510121000000", "甲县"]
    assert SecurityEvent.objects.filter(action=Action.EXPORT, actor="a_clerk").exists()


def test_region_page_shows_history(world: Any, client: Any) -> None:
    region = world.township_a
    region.name = "甲县新一镇"
    region.save()
    client.force_login(world.a_clerk)
    page = client.get(reverse("regions:detail", args=[region.code])).content.decode()
    assert "名称：甲县一镇 → 甲县新一镇" in page
    assert "甲县新一镇" in page


def test_centre_list_shows_coverage(
    world: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.city_leader)
    with django_assert_max_num_queries(16):  # 4 of them the navigation's to-do badges
        page = client.get(reverse("regions:centres")).content.decode()
    assert "2/2" in page  # both counties have a centre
    assert "1/2" in page  # one of two townships


def test_pages_load_no_asset_from_outside(world: Any, client: Any) -> None:
    client.force_login(world.auditadmin)
    import re

    for url in ("/", "/regions/", "/audit/", "/accounts/login/"):
        page = client.get(url).content.decode()
        external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', page)
        assert external == [], f"{url} loads {external}"


def test_village_page_links_to_its_team(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    page = client.get(reverse("regions:detail", args=[world.village_a.code])).content.decode()
    assert f'href="/cadres/villages/{world.village_a.code}/"' in page
