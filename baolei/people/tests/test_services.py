"""Registering and changing people: the rules the services enforce."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from baolei.people import crypto
from baolei.people.models import ID_COLUMN, UNREADABLE, Person, Sex
from baolei.people.queries import find_by_id_number
from baolei.people.services import create_person, reveal_number, update_person
from baolei.people.tests.conftest import ID_A, PHONE_A

PLAIN_ID = re.compile(r"\d{17}[\dX]")


def refused(call: Any, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value.message_dict


def test_wrong_check_character_is_refused_on_the_id_field(world: Any) -> None:
    errors = refused(
        create_person,
        actor=world.a_clerk,
        name="王五",
        region=world.village_a,
        id_number="529901198503021235",
    )
    assert errors == {"id_number": ["身份证号码校验位错误，应为 6"]}
    assert not Person.objects.exists() or not Person.objects.filter(name="王五").exists()


def test_fifteen_digit_number_is_stored_as_eighteen(world: Any) -> None:
    person = create_person(
        actor=world.a_clerk, name="王五", region=world.village_a, id_number=" 529901850302123 "
    )
    assert find_by_id_number("529901198503021236") == person
    assert reveal_number(actor=world.city_leader, person=person, field="id_number") == ID_A
    assert (person.birth_date, person.sex) == (date(1985, 3, 2), Sex.MALE)
    assert person.id_number_masked == "5299**********1236"


def test_birth_date_contradicting_the_id_number_is_refused(world: Any) -> None:
    errors = refused(
        create_person,
        actor=world.a_clerk,
        name="王五",
        region=world.village_a,
        id_number=ID_A,
        birth_date=date(1985, 3, 3),
        sex=Sex.FEMALE,
    )
    assert errors == {
        "birth_date": ["出生日期与身份证号码不符：身份证号码中的出生日期为1985年3月2日。"],
        "sex": ["性别与身份证号码不符：按身份证号码应为“男”。"],
    }


def test_matching_birth_date_and_sex_are_accepted(world: Any) -> None:
    person = create_person(
        actor=world.a_clerk,
        name="王五",
        region=world.village_a,
        id_number=ID_A,
        birth_date=date(1985, 3, 2),
        sex=Sex.MALE,
    )
    assert person.pk


def test_an_unidentified_person_needs_no_number(world: Any) -> None:
    person = create_person(actor=world.a_clerk, name="绰号“老三”", region=world.village_a)
    assert (person.id_number_masked, person.sex, person.birth_date) == ("", "", None)
    assert create_person(actor=world.a_clerk, name="无名氏", region=world.village_a).pk


def test_a_number_is_registered_once_and_only_visible_owners_are_named(
    world: Any, person_a: Person
) -> None:
    same = {"name": "李四", "region": world.village_a, "id_number": "529901850302123"}
    errors = refused(create_person, actor=world.a_reviewer, **same)
    assert errors == {"id_number": ["该身份证号码已登记为“甲县李四”（甲县一村），请勿重复登记。"]}
    outsider = {"name": "李四", "region": world.village_b, "id_number": ID_A}
    errors = refused(create_person, actor=world.b_clerk, **outsider)
    assert errors == {"id_number": ["该身份证号码已在其他地区登记，请联系上级扫黑办核实。"]}


def test_the_database_refuses_a_second_record_of_one_number(world: Any, person_a: Person) -> None:
    copy = Person(
        name="复制",
        region=world.village_a,
        id_number_encrypted=person_a.id_number_encrypted,
        id_number_hash=person_a.id_number_hash,
        sex=person_a.sex,
        birth_date=person_a.birth_date,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_the_database_refuses_a_plain_number_in_the_hash_column(world: Any) -> None:
    row = Person(
        name="明文",
        region=world.village_a,
        id_number_encrypted="x",
        id_number_hash=ID_A,
        sex=Sex.MALE,
        birth_date=date(1985, 3, 2),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_raw_tables_hold_no_plain_number(world: Any, person_a: Person) -> None:
    update_person(actor=world.a_clerk, person=person_a, id_number="52010219780412567x")
    update_person(actor=world.a_clerk, person=person_a, birth_date=None, sex="", note="改")
    for table in ("people_person", "people_historicalperson"):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            cells = " ".join(str(cell) for row in cursor.fetchall() for cell in row)
        assert "甲县李四" in cells, table  # the rows were read
        assert not PLAIN_ID.search(cells), table
        assert PHONE_A not in cells, table


def test_ciphertexts_differ_and_belong_to_their_column(settings: Any) -> None:
    first, second = (crypto.encrypt(ID_A, column=ID_COLUMN) for _ in range(2))
    assert first != second and ID_A not in first
    assert crypto.decrypt(first, column=ID_COLUMN) == ID_A
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(first, column="people.person.phone")
    settings.FIELD_ENCRYPTION_KEY = "another key of at least thirty-two characters"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(first, column=ID_COLUMN)


def test_a_record_under_another_key_shows_as_unreadable(
    world: Any, person_a: Person, settings: Any
) -> None:
    settings.FIELD_ENCRYPTION_KEY = "another key of at least thirty-two characters"
    assert person_a.id_number_masked == UNREADABLE
    assert find_by_id_number(ID_A) is None


def test_changing_the_number_rederives_and_history_keeps_no_number(
    world: Any, person_a: Person
) -> None:
    update_person(
        actor=world.a_reviewer,
        person=person_a,
        id_number="529901200109304561",
    )
    person_a.refresh_from_db()
    assert (person_a.birth_date, person_a.sex) == (date(2001, 9, 30), Sex.FEMALE)
    latest = person_a.history.first()
    assert latest.history_user == world.a_reviewer
    assert latest.history_change_reason == "身份证号码有变更（号码不记入修改记录）"
    assert not hasattr(latest, "id_number_encrypted")


def test_only_given_fields_change_and_empty_removes_a_number(world: Any, person_a: Person) -> None:
    update_person(actor=world.a_clerk, person=person_a, note="外出务工")
    person_a.refresh_from_db()
    assert person_a.id_number_masked == "5299**********1236" and person_a.note == "外出务工"
    assert person_a.history.first().history_change_reason is None
    update_person(actor=world.a_clerk, person=person_a, phone="")
    person_a.refresh_from_db()
    assert person_a.phone_masked == ""
    assert person_a.history.first().history_change_reason == "联系电话有变更（号码不记入修改记录）"


def test_bad_phone_and_future_birth_date_are_refused(world: Any) -> None:
    errors = refused(
        create_person,
        actor=world.a_clerk,
        name="王五",
        region=world.village_a,
        phone="1381234",
        birth_date=date(2999, 1, 1),
    )
    assert errors == {
        "phone": ["联系电话应为11位手机号码，或带区号的固定电话（如 0851-86801234）"],
        "birth_date": ["出生日期不能晚于今天。"],
    }


def test_region_must_be_a_village_in_scope(world: Any) -> None:
    errors = refused(create_person, actor=world.a_clerk, name="王五", region=world.village_b)
    assert errors == {"region": ["所选区划不在您的管理范围内。"]}
    errors = refused(create_person, actor=world.a_clerk, name="王五", region=world.township_a)
    assert errors == {"region": ["请选择人员所在的村或社区。"]}


def test_only_clerks_and_reviewers_write(world: Any, person_a: Person) -> None:
    with pytest.raises(PermissionDenied):
        create_person(actor=world.city_leader, name="王五", region=world.village_a)
    with pytest.raises(PermissionDenied):
        update_person(actor=world.b_clerk, person=person_a, note="越权")
