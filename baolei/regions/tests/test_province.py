"""A province above the cities: its office sees every city, each city only itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.conftest import make_region, make_user
from baolei.people.models import Person
from baolei.regions.models import Level, Region, parent_code
from baolei.regions.services import import_regions
from baolei.regions.tests.test_import import GOOD, write


@pytest.fixture
def province(world: Any) -> dict[str, Any]:
    """The cast's city under a province, and a second city of that province."""
    top = make_region("510000000000", "某省", Level.PROVINCE, None)
    Region.objects.filter(pk=world.city.pk).update(parent=top)
    other = make_region("510200000000", "另一市", Level.CITY, top)
    county = make_region("510203000000", "另一市丙区", Level.COUNTY, other)
    township = make_region("510203100000", "丙区一镇", Level.TOWNSHIP, county)
    village = make_region("510203100200", "丙区一村", Level.VILLAGE, township)
    Person.objects.create(name="另一市的人", region=village)
    office = Agency.objects.create(name="某省扫黑办", kind=AgencyKind.CAMPAIGN_OFFICE, region=top)
    return {
        "region": top,
        "other_city": other,
        "leader": make_user("province_leader", office, Role.LEADER),
        "clerk": make_user("province_clerk", office, Role.CLERK),
    }


def test_the_province_sees_every_city_and_a_city_only_itself(
    world: Any, province: dict[str, Any]
) -> None:
    clerk = province["clerk"]
    assert clerk.scope_prefix == "51"
    cities = Region.objects.visible_to(clerk).filter(level=Level.CITY)
    assert set(cities.values_list("name", flat=True)) == {"某市", "另一市"}
    assert Person.objects.visible_to(clerk).filter(name="另一市的人").exists()
    assert not Person.objects.visible_to(world.city_leader).filter(name="另一市的人").exists()
    assert not Region.objects.visible_to(world.city_leader).filter(level=Level.PROVINCE).exists()


def test_province_pages_answer_at_province_level(
    world: Any, province: dict[str, Any], login: Any
) -> None:
    client = login(province["leader"])
    home = client.get(reverse("web:home")).content.decode()
    assert "某市" in home and "另一市" in home
    dashboard = client.get(reverse("reports:dashboard"))
    assert dashboard.status_code == 200
    figures = client.get(reverse("api-figures")).json()
    assert figures["region"] == "510000000000"
    shown = {f["key"] for group in figures["figures"].values() for f in group}
    assert "teams" not in shown and "units_county" in shown  # city-only figures are not
    people = client.get(reverse("people:list"), {"page_size": 200}).content.decode()
    assert "另一市的人" in people
    assert "另一市的人" not in login(world.city_leader).get(reverse("people:list")).content.decode()


@pytest.mark.django_db
def test_a_province_imports_above_its_cities_and_a_city_still_imports_alone(
    tmp_path: Path,
) -> None:
    assert parent_code("520100000000") == "520000000000"
    assert parent_code("520000000000") is None
    alone = import_regions(write(tmp_path, GOOD))
    assert alone.ok and Region.objects.get(code="520100000000").parent is None
    with_province = GOOD.replace("5201", "5301").replace(
        "530100000000,示例市,city,\n",
        "530000000000,示例省,省,\n530100000000,示例市,city,530000000000\n",
    )
    result = import_regions(write(tmp_path, with_province))
    assert result.ok and result.created == 6
    city = Region.objects.get(code="530100000000")
    assert city.parent is not None and city.parent.level == Level.PROVINCE
