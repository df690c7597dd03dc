"""A record page's 修改记录 reads as a person would write it: Chinese field names, the
related record's name instead of its id, （空） for nothing, bookkeeping left out."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import lxml.html
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baolei.accounts.models import Agency, AgencyKind, Role
from baolei.cadres import services as cadre_services
from baolei.cadres.models import Reason
from baolei.cadres.tests.conftest import appoint
from baolei.conftest import make_user
from baolei.ledger import services as ledger_services
from baolei.ledger.tests.builders import make_item


def history_lines(page: str) -> list[str]:
    tree = lxml.html.fromstring(page)
    section = tree.xpath("//section[h2='修改记录']")[0]
    return [
        re.sub(r"\s+", " ", div.text_content()).strip()
        for div in section.xpath(".//tbody/tr/td[4]/div")
    ]


def test_ledger_item_history_names_fields_and_agencies(world: Any, client: Any) -> None:
    item = make_item(world)
    police = world.agencies["a_police"]
    ledger_services.update_item(
        actor=world.a_clerk,
        item=item,
        version=item.version,
        owner_agency=police,
        title="清理村霸线索",
    )
    client.force_login(world.a_clerk)
    lines = history_lines(client.get(f"/ledger/{item.pk}/").content.decode())
    assert "责任单位：甲县扫黑办 → 甲县公安局" in lines
    assert "事项：整改村级组织软弱涣散问题 → 清理村霸线索" in lines
    assert not any(line.startswith("版本") for line in lines), lines
    assert not any(re.search(rf"→ {police.pk}$", line) for line in lines), lines


def test_adjustment_history_names_the_deciding_user_and_the_successor(
    world: Any, client: Any
) -> None:
    agency = Agency.objects.create(
        name="某市委组织部", kind=AgencyKind.ORGANISATION, region=world.city
    )
    reviewer = make_user("org_reviewer", agency, Role.REVIEWER)
    reviewer.name = "组织部赵审核"
    reviewer.save()
    secretary = appoint(world, "王书记", 11)
    successor = appoint(world, "李接任", 12, post="member").person
    adjustment = cadre_services.propose_adjustment(
        actor=world.a_clerk,
        appointment=secretary,
        reason=Reason.INCOMPETENT,
        details="不胜任",
        on=date(2026, 5, 1),
    )
    cadre_services.decide_adjustment(
        actor=reviewer, adjustment=adjustment, decision="approved", on=date(2026, 5, 5)
    )
    cadre_services.execute_adjustment(
        actor=world.a_clerk, adjustment=adjustment, on=date(2026, 5, 10), successor=successor
    )
    adjustment.refresh_from_db()
    client.force_login(world.a_clerk)
    lines = history_lines(client.get(f"/cadres/adjustments/{adjustment.pk}/").content.decode())
    text = "\n".join(lines)
    assert "决定人：（空） → 组织部赵审核" in lines, text
    assert f"执行人：（空） → {world.a_clerk}" in lines, text
    assert f"继任任职：（空） → {adjustment.successor}" in lines, text
    assert "李接任" in str(adjustment.successor)
    assert "decided by" not in text and "executed by" not in text
    assert not re.search(r"→ \d+$", text, re.M), text
    assert "版本" not in text


def test_history_costs_the_same_queries_for_two_edits_or_eight(world: Any, client: Any) -> None:
    item = make_item(world)
    agencies = [
        world.agencies["a_police"],
        world.agencies["a_office"],
    ]
    client.force_login(world.a_clerk)

    def edit(times: int) -> None:
        for n in range(times):
            current = type(item).objects.get(pk=item.pk)
            ledger_services.update_item(
                actor=world.a_clerk,
                item=current,
                version=current.version,
                owner_agency=agencies[n % 2],
                responsible_person=f"负责人{n}",
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/ledger/{item.pk}/").status_code == 200
        return len(captured)

    edit(2)
    queries()  # the first page of a session also loads what later pages find cached
    few = queries()
    edit(6)
    assert queries() == few
