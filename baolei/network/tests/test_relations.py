"""Entering and removing relations: who may, and what is refused, in Chinese."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from baolei.accounts.models import Role
from baolei.conftest import make_user
from baolei.network import services
from baolei.network.models import Relation
from baolei.people.models import Person


def add(actor: Any, a: Person, b: Person, **fields: Any) -> Relation:
    values = {"kind": "close", "source": "走访记录", **fields}
    return services.add_relation(actor=actor, person_a=a, person_b=b, **values)


def messages(exc: ValidationError) -> list[str]:
    return [m for ms in exc.message_dict.values() for m in ms]


def test_a_relation_is_stored_once_in_order_with_who_entered_it(world: Any, gang: Any) -> None:
    relation = add(world.a_reviewer, gang.director, gang.boss, detail="常在一起吃饭")
    assert relation.person_a_id < relation.person_b_id
    assert relation.region == world.village_a
    assert relation.entered_by == world.a_reviewer
    assert relation.entering_agency == world.agencies["a_office"]
    assert relation.history.get().history_user == world.a_reviewer
    assert relation.kind_label == "密切交往（常在一起吃饭）"


def test_a_person_with_themselves_is_refused(world: Any, gang: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        add(world.a_clerk, gang.boss, gang.boss)
    assert "不能登记人员与其本人的关系。" in messages(refused.value)


def test_the_same_relation_twice_is_refused_either_way_round(world: Any, gang: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        add(world.a_clerk, gang.brother, gang.boss, kind="kin")
    assert "黄某与黄某二之间已登记“亲属”关系。" in messages(refused.value)
    add(world.a_clerk, gang.brother, gang.boss, kind="funds")  # another kind is another relation


def test_a_relation_beginning_tomorrow_is_refused(world: Any, gang: Any) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        add(world.a_clerk, gang.boss, gang.bystander, began_on=tomorrow)
    assert "关系起始日期不能晚于今天。" in messages(refused.value)


def test_a_relation_without_source_or_kind_is_refused(world: Any, gang: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        add(world.a_clerk, gang.boss, gang.bystander, source=" ", kind="lover")
    found = messages(refused.value)
    assert "请选择关系类型。" in found
    assert any(m.startswith("请填写信息来源") for m in found)


def test_a_person_out_of_scope_is_refused(world: Any, gang: Any) -> None:
    outsider = world.outsider_rows[Person]
    with pytest.raises(PermissionDenied, match="所选人员不在您的管理范围内"):
        add(world.a_clerk, gang.boss, outsider)


def test_a_city_relation_across_counties_lies_in_the_city(world: Any, gang: Any) -> None:
    relation = add(world.police_clerk, gang.boss, world.outsider_rows[Person])
    assert relation.region == world.city
    assert not Relation.objects.visible_to(world.a_clerk).filter(pk=relation.pk).exists()
    assert not Relation.objects.visible_to(world.b_clerk).filter(pk=relation.pk).exists()
    assert Relation.objects.visible_to(world.city_leader).filter(pk=relation.pk).exists()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("a_clerk", True),
        ("a_reviewer", True),
        ("police_clerk", True),
        ("discipline_clerk", True),
        ("city_leader", False),
        ("a_sysadmin", False),
        ("auditadmin", False),
    ],
)
def test_who_may_enter_relations(world: Any, gang: Any, persona: str, allowed: bool) -> None:
    user = world.users[persona]
    if allowed:
        assert add(user, gang.boss, gang.bystander).pk
        return
    with pytest.raises(PermissionDenied, match="可以登记或导入人员关系"):
        add(user, gang.boss, gang.bystander)


def test_removal_by_the_entering_agency_or_a_reviewer_above(world: Any, gang: Any) -> None:
    first, second, third = gang.relations[:3]
    keys = [first.pk, second.pk, third.pk]
    with pytest.raises(PermissionDenied, match="只有录入单位或上级单位的审核员可以删除"):
        services.remove_relation(actor=world.police_clerk, relation=first)
    with pytest.raises(PermissionDenied, match="该关系不在您的管理范围内"):
        services.remove_relation(actor=world.b_clerk, relation=first)
    with pytest.raises(PermissionDenied, match="可以删除人员关系"):
        services.remove_relation(actor=world.city_leader, relation=first)
    services.remove_relation(actor=world.a_clerk, relation=first)
    services.remove_relation(actor=world.a_reviewer, relation=second)
    police_reviewer = make_user("police_reviewer", world.agencies["city_police"], Role.REVIEWER)
    services.remove_relation(actor=police_reviewer, relation=third)
    assert not Relation.objects.filter(pk__in=keys).exists()
    removed = Relation.history.filter(id=keys[0], history_type="-").get()
    assert removed.history_user == world.a_clerk
