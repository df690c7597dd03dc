"""Every query parameter goes through baolei.core.params: a malformed or out-of-range
value is a 400 with a Chinese message, on pages and in the API, never a 500."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse

from baolei.core import params
from baolei.core.filters import FilterSet
from baolei.core.views_base import ScopedListView
from baolei.web.tests.test_scoping import ROUTES, Route, record_kwargs


def request(query: str) -> Any:
    return RequestFactory().get("/", QueryDict(query))


def test_integers_are_whole_and_within_the_database_range() -> None:
    assert params.integer(request("n=42"), "n") == 42
    assert params.integer(request(""), "n", 7) == 7
    assert params.integer(request("n=-9223372036854775808"), "n") == -(2**63)
    for bad in ("1.5", "1e40", "abc", "99999999999999999999", "9223372036854775808", "٣"):
        with pytest.raises(params.BadQuery) as refused:
            params.integer(request(f"n={bad}"), "n")
        assert "整数" in refused.value.messages()[0]
    with pytest.raises(params.BadQuery):
        params.identifier(request("id=0"), "id")


def test_days_are_iso_and_within_the_range_the_platform_means() -> None:
    assert params.day(request("d=2019-10-15"), "d") == date(2019, 10, 15)
    assert params.day(request(""), "d", date(2020, 1, 1)) == date(2020, 1, 1)
    for bad in ("0001-01-01", "9999-12-31", "1949-09-30", "2101-01-01", "20191015", "2019-02-30"):
        with pytest.raises(params.BadQuery) as refused:
            params.day(request(f"d={bad}"), "d")
        assert "1949-10-01 至 2100-12-31" in refused.value.messages()[0]
    with pytest.raises(params.BadQuery, match="截止日期不能早于起始日期"):
        params.period(request("from=2020-02-01&to=2020-01-01"), "from", "to", date.min, date.max)


def test_choices_text_and_pages() -> None:
    assert params.choice(request("by=source"), "by", ["category", "source"]) == "source"
    with pytest.raises(params.BadQuery, match="可选值为"):
        params.choice(request("by=x"), "by", ["category", "source"])
    with pytest.raises(params.BadQuery, match="空字符"):
        params.text(request("q=%00"), "q")
    with pytest.raises(params.BadQuery):
        params.text(request("q=" + "x" * 201), "q")
    assert params.page_number(request("page=last")) == "last"
    assert params.page_size(request("page_size=20"), 50, maximum=500) == 20
    for bad in ("1.5", "0", "501"):
        with pytest.raises(params.BadQuery):
            params.page_size(request(f"page_size={bad}"), 50, maximum=500)


#: The examples of the report, each a 500 before.
EXAMPLES = [
    "/api/v1/ledger/items/?owner_agency=99999999999999999999",
    "/api/v1/screening/organisations/?round=1e40",
    "/screening/organisations/?round=1e40",
    "/api/v1/supervision/problems/?round=99999999999999999999",
    "/supervision/problems/?round=1e40",
    "/api/v1/vetting/candidates/?run=99999999999999999999",
    "/vetting/candidates/?run=1e40",
    "/reports/?as_of=0001-01-01",
    "/reports/briefing.docx?as_of=9999-12-31",
    "/reports/briefing/?from=0001-01-01",
    "/api/v1/reports/figures/?as_of=0001-01-01",
    "/api/v1/reports/briefing.docx?as_of=9999-12-31",
    "/api/v1/regions/?page_size=1.5",
    "/regions/?page_size=1.5",
    "/ledger/?owner_agency=99999999999999999999",
    "/ledger/?deadline_from=0001-01-01",
    "/cases/statistics/?from=0001-01-01",
    "/clues/statistics/?by=nothing",
    "/coordination/meetings/?start=9999-12-31",
    "/api/v1/cases/statistics/?to=9999-12-31",
    "/api/v1/supervision/problems/summary/?source=nowhere",
]


@pytest.mark.parametrize("url", EXAMPLES)
def test_each_reported_parameter_is_a_400_in_chinese(world: Any, client: Any, url: str) -> None:
    client.force_login(world.city_leader)
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code)
    text = response.content.decode()
    if url.startswith("/api/"):
        assert any(
            "\u4e00" <= ch <= "\u9fff" for value in response.json().values() for ch in str(value)
        ), text
    else:
        assert "查询条件有误" in text


def list_routes() -> list[Route]:
    """Every list page with a FilterSet, and every API list route."""
    found = []
    for route in ROUTES:
        if route.kwargs and record_kwargs(route) or "format" in route.kwargs:
            continue
        cls = route.view_class
        if (
            cls is not None
            and issubclass(cls, ScopedListView)
            and cls.filterset_class
            or route.name == "audit:events"
            or route.name.startswith("api:")
            and route.name.endswith("-list")
        ):
            found.append(route)
    return found


LISTS = list_routes()
#: Values that broke some parameter somewhere: past the database's integers, a float in
#: exponent form, days no calendar of ours holds, a NUL that PostgreSQL refuses.
BAD_VALUES = ["99999999999999999999", "1e40", "0001-01-01", "9999-12-31", "-1", "%00", "x" * 300]


def filterset_of(route: Route) -> Any:
    cls = route.view_class
    filterset = getattr(cls, "filterset_class", None)
    if filterset is None and getattr(cls, "filterset_fields", None):
        from baolei.core.filters import FilterBackend

        view = cls()
        view.request = None
        filterset = FilterBackend().get_filterset_class(view, cls.queryset)
    return filterset


def test_the_walk_finds_page_and_api_lists() -> None:
    names = {r.name for r in LISTS}
    assert {"ledger:list", "api:ledger-item-list", "api:vetting-candidate-list"} <= names
    assert len(LISTS) > 40


@pytest.mark.parametrize("route", LISTS, ids=lambda r: r.name)
def test_no_bad_parameter_value_makes_a_list_fail(route: Route, world: Any, client: Any) -> None:
    """Every filter of every list, and paging, sorting and export, given bad values."""
    url = reverse(route.name)
    for persona in ("city_leader", "sysadmin", "auditadmin"):
        client.force_login(world.users[persona])
        if client.get(url).status_code == 200:
            break
    else:
        pytest.fail(f"no persona may open {url}")
    filterset = filterset_of(route)
    names = list(filterset.base_filters) if filterset else []
    names += ["page", "page_size", "sort", "export", "ordering", "search"]
    for name in names:
        for value in BAD_VALUES:
            response = client.get(url, {name: value.replace("%00", "\x00")})
            assert response.status_code < 500, (url, name, value, response.status_code)
    for name in ("page", "page_size"):
        response = client.get(url, {name: "1.5"})
        assert response.status_code == 400, (url, name, response.status_code)
    if filterset is None:
        return
    for name, item in filterset.base_filters.items():
        bounded = django_filters.NumberFilter | django_filters.ModelChoiceFilter
        if isinstance(item, bounded | django_filters.DateFilter):
            response = client.get(url, {name: "99999999999999999999"})
            assert response.status_code == 400, (url, name, response.status_code)


def all_filtersets() -> list[type]:
    import baolei.urls  # noqa: F401 - every view, and so every FilterSet, is imported

    found, queue = [], [django_filters.FilterSet]
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if cls.__module__.startswith("baolei.") and cls is not FilterSet:
            found.append(cls)
    return found


def test_every_filterset_is_built_on_the_bounded_base() -> None:
    filtersets = all_filtersets()
    assert len(filtersets) > 20
    outside = [f"{c.__module__}.{c.__name__}" for c in filtersets if not issubclass(c, FilterSet)]
    assert not outside, f"built on django_filters.FilterSet directly: {outside}"
    for cls in filtersets:
        for name, item in cls.base_filters.items():
            if isinstance(item, django_filters.NumberFilter | django_filters.DateFilter):
                assert item.field_class.__module__ == "baolei.core.filters", (cls, name)


def test_no_view_reads_a_query_parameter_around_the_helper() -> None:
    """Views and filters read the query through baolei.core.params or a FilterSet only."""
    import pathlib
    import re

    root = pathlib.Path(params.__file__).resolve().parents[1]
    pattern = re.compile(r"(request\.GET|query_params)\s*(\.get\(|\[)")
    readers = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts and path.name != "params.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not readers, f"read the query through baolei.core.params: {readers}"


def test_a_search_with_a_nul_character_is_refused(world: Any, client: Any) -> None:
    from baolei.cadres.models import EvaluationCampaign

    campaign = world.outsider_rows[EvaluationCampaign]
    client.force_login(world.city_leader)
    response = client.get(reverse("cadres:campaign", kwargs={"pk": campaign.pk}), {"q": "\x00"})
    assert response.status_code == 400
