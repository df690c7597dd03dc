"""Ledger numbers as an office writes them (台账〔2026〕0001号, 督改〔2026〕0001号), and the
machine-made numbers items carried before still finding them."""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError

from baolei.accounts.models import Role
from baolei.conftest import make_user
from baolei.ledger.models import LedgerItem, SourceKind
from baolei.ledger.tests.builders import make_item
from baolei.ledger.tests.test_pages import ledger_file
from baolei.supervision import services as supervision
from baolei.supervision.models import ProblemScope, ProblemSource

renumbering = importlib.import_module("baolei.ledger.migrations.0004_office_numbers")


@pytest.fixture(autouse=True)
def frozen_today() -> Any:
    with time_machine.travel(date(2026, 11, 26), tick=False) as traveller:
        yield traveller


def listed(client: Any, user: Any, q: str) -> str:
    client.force_login(user)
    page = client.get("/ledger/", {"q": q})
    assert page.status_code == 200
    return page.content.decode()


def test_items_are_numbered_by_year_in_order(world: Any) -> None:
    keys = [make_item(world, title=f"事项{n}").key for n in range(3)]
    assert keys == ["台账〔2026〕0001号", "台账〔2026〕0002号", "台账〔2026〕0003号"]


def test_each_kind_of_item_counts_on_its_own(world: Any) -> None:
    office = make_user("city_office_clerk", world.agencies["city_office"], Role.CLERK)
    make_item(world)
    problem = supervision.create_problem(
        actor=office,
        source=ProblemSource.CENTRAL,
        scope=ProblemScope.COMMON,
        number="共性01",
        region=world.city,
        description="线索核查不深不细",
        deadline=date(2026, 12, 31),
        received_on=date(2026, 6, 1),
        units=[(world.agencies["a_office"], "甲县扫黑办主任"), (world.agencies["b_office"], "乙")],
    )
    assert sorted(problem.items.values_list("key", flat=True)) == [
        "督改〔2026〕0001号",
        "督改〔2026〕0002号",
    ]
    assert make_item(world, title="又一事项").key == "台账〔2026〕0002号"


def test_numbering_goes_on_past_9999(world: Any) -> None:
    make_item(world, key="台账〔2026〕9999号")
    assert make_item(world, title="第一万项").key == "台账〔2026〕10000号"
    assert make_item(world, title="第一万零一项").key == "台账〔2026〕10001号"


def test_a_number_already_imported_is_skipped(world: Any) -> None:
    make_item(world, key="台账〔2026〕0001号")
    make_item(world, key="台账〔2026〕0002号", title="导入的事项")
    LedgerItem.objects.filter(key="台账〔2026〕0001号").update(key="台账〔2026〕0003号")
    # the greatest number is 0003 now, and 0002 sits below it
    assert make_item(world, title="新事项").key == "台账〔2026〕0004号"


def test_a_number_typed_without_padding_finds_the_item(world: Any, client: Any) -> None:
    wanted = make_item(world, title="整治村霸")
    other = make_item(world, title="换届把关")
    page = listed(client, world.a_clerk, "台账〔2026〕1号")
    assert wanted.title in page and other.title not in page


def old_items(world: Any) -> dict[str, LedgerItem]:
    """Items as they were numbered before office numbers, and one an office imported."""
    keys = {
        "TZ2025-00007": SourceKind.NONE,
        "WT-central-共性01-8": SourceKind.SUPERVISION,
        "YCYC-3-510121100200": SourceKind.SCREENING,
        "JX-002": SourceKind.NONE,
    }
    return {
        key: make_item(world, key=key, title=f"原{key}", source_kind=kind)
        for key, kind in keys.items()
    }


def test_migration_gives_office_numbers_and_keeps_the_old_ones(world: Any) -> None:
    make_item(world, title="已有新编号")  # 台账〔2026〕0001号
    items = old_items(world)
    renumbering.renumber(apps, None)
    now = {k: LedgerItem.objects.get(pk=i.pk) for k, i in items.items()}
    assert [(k, i.key, i.former_key) for k, i in now.items()] == [
        ("TZ2025-00007", "台账〔2025〕0001号", "TZ2025-00007"),
        ("WT-central-共性01-8", "督改〔2026〕0001号", "WT-central-共性01-8"),
        ("YCYC-3-510121100200", "整顿〔2026〕0001号", "YCYC-3-510121100200"),
        ("JX-002", "JX-002", ""),
    ]
    assert make_item(world, title="迁移后登记").key == "台账〔2026〕0002号"
    renumbering.restore(apps, None)
    assert LedgerItem.objects.get(pk=items["TZ2025-00007"].pk).key == "TZ2025-00007"


def test_old_numbers_still_found_by_the_list_filter(world: Any, client: Any) -> None:
    items = old_items(world)
    renumbering.renumber(apps, None)
    page = listed(client, world.a_clerk, "WT-central-共性01-8")
    assert "督改〔2026〕0001号" in page and items["TZ2025-00007"].title not in page
    page = listed(client, world.a_clerk, "TZ2025-00007")
    assert "台账〔2025〕0001号" in page and items["JX-002"].title not in page
    detail = client.get(f"/ledger/{items['TZ2025-00007'].pk}/").content.decode()
    assert "（原编号 TZ2025-00007）" in detail


def test_a_sheet_with_old_numbers_updates_the_renumbered_items(world: Any, client: Any) -> None:
    item = make_item(world, key="TZ2025-00007", title="整治村霸")
    before = LedgerItem.objects.count()
    renumbering.renumber(apps, None)
    row = [
        "TZ2025-00007",
        "整治村霸（更新）",
        "510121100200",
        "甲县扫黑办",
        "李明",
        "",
        "2026-12-31",
        "未启动",
    ]
    client.force_login(world.a_clerk)
    assert client.post("/ledger/import/", {"file": ledger_file([row])}).status_code == 302
    item.refresh_from_db()
    assert item.key == "台账〔2025〕0001号" and item.title == "整治村霸（更新）"
    assert LedgerItem.objects.count() == before


def test_a_unit_named_twice_on_a_problem_is_refused(world: Any) -> None:
    """One rectification item per unit of a problem."""
    office = make_user("city_office_clerk", world.agencies["city_office"], Role.CLERK)
    unit = world.agencies["a_office"]
    with pytest.raises(ValidationError, match="责任单位重复：甲县扫黑办"):
        supervision.create_problem(
            actor=office,
            source=ProblemSource.CENTRAL,
            scope=ProblemScope.COMMON,
            number="共性02",
            region=world.city,
            description="打伞破网力度不够",
            deadline=date(2026, 12, 31),
            received_on=date(2026, 6, 1),
            units=[(unit, "甲县扫黑办主任"), (unit, "甲县扫黑办副主任")],
        )
    assert not LedgerItem.objects.filter(key__startswith="督改").exists()
