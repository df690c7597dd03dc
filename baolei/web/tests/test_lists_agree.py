"""Every list agrees with the records it lists: a sample of each list's rows compared with
the record's own page (pages) or detail (API), column by column where both show it.

A list's numbers and derived columns (amounts, counts, stage, status) come from annotations
that a join can multiply or a missing annotation leave blank; the record's page computes
them on its own. The walk covers every list route of the resolver, as the city leader, over
the fixed cast (which holds a row of every scoped model)."""

from __future__ import annotations

import re
from typing import Any

import lxml.html
import pytest
from django.urls import Resolver404, resolve

from baolei.core.views_base import ScopedDetailView, ScopedListView
from baolei.web.tests.test_scoping import ROUTES

SAMPLE = 5

LIST_PAGES = [
    r
    for r in ROUTES
    if not r.kwargs
    and r.view_class is not None
    and issubclass(r.view_class, ScopedListView)
    and not r.name.startswith("api:")
]
API_LISTS = [r for r in ROUTES if r.name.startswith("api:") and r.name.endswith("-list")]

#: columns that must have been compared on these lists (the derived ones), so that a page
#: which stops showing them on the record's page cannot drop out of the walk unnoticed
REQUIRED = {
    "cases:list": {"当前阶段", "嫌疑人", "查扣冻结"},
    "ledger:list": {"整改状态"},
    "vetting:runs": {"状态", "疑似命中", "村干部数", "比对人员数"},
    "cadres:bases": {"级别", "培训期数", "培训人数"},
}


def text(node: Any) -> str:
    return re.sub(r"\s+", "", node.text_content())


def table_rows(page: str) -> tuple[list[str], list[Any]]:
    tree = lxml.html.fromstring(page)
    for table in tree.iter("table"):
        head = table.xpath("./thead/tr/th")
        if head:
            rows = [r for r in table.xpath("./tbody/tr") if r.xpath("./td//a[@href]")]
            return [text(th) for th in head], rows
    return [], []


def record_page(row: Any) -> str | None:
    for href in row.xpath("./td//a/@href"):
        path = href.split("?")[0]
        try:
            match = resolve(path)
        except Resolver404:
            continue
        view = getattr(match.func, "view_class", None)
        if view is not None and issubclass(view, ScopedDetailView) and "?" not in href:
            return path
    return None


def described(page: str) -> dict[str, str]:
    tree = lxml.html.fromstring(page)
    fields = {}
    for dt in tree.iter("dt"):
        dd = dt.getnext()
        if dd is not None and dd.tag == "dd":
            fields[text(dt)] = text(dd)
    return fields


NUMBER = re.compile(r"-?[\d,]*\d(\.\d+)?(%|元|万元|亿元)?")
#: headers of derived columns: a state computed from the record's events or children
DERIVED = ("状态", "阶段", "结论", "级别", "等次", "预警")


def checked(header: str, cell: str) -> bool:
    """Numbers and derived columns are compared; names, dates and free text are not."""
    return bool(NUMBER.fullmatch(cell)) or any(word in header for word in DERIVED)


def agrees(cell: str, shown: str) -> bool:
    """The record's page states the same number first, or begins with the same state;
    a blank cell agrees only with a blank record."""
    if NUMBER.fullmatch(cell):
        first = NUMBER.search(shown)
        return first is not None and first.group(0).replace(",", "") == cell.replace(",", "")
    if not cell:
        return shown in ("", "—")
    return shown.startswith(cell)


@pytest.fixture
def cast(world: Any) -> Any:
    from baolei.web.tests.lists_cast import build

    build(world)
    return world


def test_every_list_page_agrees_with_its_records_pages(cast: Any, client: Any) -> None:
    client.force_login(cast.city_leader)
    compared: dict[str, set[str]] = {}
    disagreements = []
    for route in LIST_PAGES:
        from django.urls import reverse

        page = client.get(reverse(route.name))
        if page.status_code != 200:  # a list for other roles (security administrator)
            continue
        headers, rows = table_rows(page.content.decode())
        for row in rows[:SAMPLE]:
            url = record_page(row)
            if url is None:
                continue
            fields = described(client.get(url).content.decode())
            cells = [text(td) for td in row.xpath("./td")]
            for header, cell in zip(headers, cells, strict=False):
                if header in fields and checked(header, cell):
                    compared.setdefault(route.name, set()).add(header)
                    if not agrees(cell, fields[header]):
                        disagreements.append(
                            f"{route.name} {url} {header}: 列表“{cell}”，详情“{fields[header]}”"
                        )
    assert not disagreements, "\n".join(disagreements)
    for name, headers in REQUIRED.items():
        assert headers <= compared.get(name, set()), (name, compared.get(name))


def test_every_api_list_agrees_with_its_details(cast: Any, client: Any) -> None:
    from django.urls import NoReverseMatch, reverse

    client.force_login(cast.city_leader)
    disagreements, compared = [], 0
    for route in API_LISTS:
        detail = route.name.removesuffix("-list") + "-detail"
        response = client.get(reverse(route.name))
        if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
            continue
        body = response.json()
        rows = body.get("results", body) if isinstance(body, dict) else body
        if not isinstance(rows, list):
            continue
        for row in rows[:SAMPLE]:
            if not isinstance(row, dict) or "id" not in row:
                continue
            try:
                url = reverse(detail, kwargs={"pk": row["id"]})
            except NoReverseMatch:
                continue
            one = client.get(url).json()
            for key, value in row.items():
                if key in one:
                    compared += 1
                    if one[key] != value:
                        disagreements.append(
                            f"{route.name} {row['id']} {key}: {value!r} ≠ {one[key]!r}"
                        )
    assert not disagreements, "\n".join(disagreements)
    assert compared > 0


def test_the_walk_finds_the_lists() -> None:
    names = {r.name for r in LIST_PAGES}
    assert set(REQUIRED) <= names
    assert {"api:case-list", "api:ledger-item-list"} <= {r.name for r in API_LISTS}
