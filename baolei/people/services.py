"""Every write to a person record, and the one way to read a full number.

Writes are kept by record history (which holds no numbers); each look at a full
ID or phone number is an entry in the security log.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from baolei.accounts.models import Role, User
from baolei.audit.models import Action
from baolei.audit.services import record_event
from baolei.core import policy
from baolei.people import crypto, idnumber, phone
from baolei.people.models import ID_COLUMN, PHONE_COLUMN, Person, Sex, id_number_key
from baolei.regions.models import Region

EDITORS = (Role.CLERK, Role.REVIEWER)
UNMASKERS = (Role.LEADER, Role.REVIEWER)
FIELDS = (
    "name",
    "id_number",
    "sex",
    "birth_date",
    "ethnicity",
    "education",
    "party_member",
    "phone",
    "region",
    "note",
)
#: What a user may ask to see in full, and the column each is stored in.
REVEALABLE = {
    "id_number": ("id_number_encrypted", ID_COLUMN),
    "phone": ("phone_encrypted", PHONE_COLUMN),
}


def can_unmask(user: Any) -> bool:
    """Full ID and phone numbers are for leaders and reviewers only; everyone else sees masks."""
    return policy.allows(user, "people.reveal")


def require_visible(actor: User, person: Person) -> None:
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("该人员不在您的管理范围内。")


def require_editor(actor: User, person: Person | None = None) -> None:
    policy.require(actor, "people.edit")
    if person is not None:
        require_visible(actor, person)


@transaction.atomic
def create_person(*, actor: User, name: str, region: Region, **fields: Any) -> Person:
    """A person is placed in a village or community inside the actor's scope; see apply()."""
    require_editor(actor)
    return apply(actor, Person(), {"name": name, "region": region, **fields})


@transaction.atomic
def update_person(*, actor: User, person: Person, **fields: Any) -> Person:
    """Only the fields given change; ``id_number=""`` or ``phone=""`` removes the number."""
    require_editor(actor, person)
    return apply(actor, person, fields)


def apply(actor: User, person: Person, fields: dict[str, Any]) -> Person:
    """An ID number is valid (GB 11643), registered once, and agrees with the birth
    date and sex, which are read from it when left empty."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    before = numbers(person)
    assign_plain_fields(person, fields)
    errors: dict[str, str] = {}
    if "region" in fields:
        errors.update(place(actor, person, fields["region"]))
    if "phone" in fields:
        errors.update(set_phone(person, fields["phone"] or ""))
    if "id_number" in fields:
        errors.update(set_id_number(actor, person, fields["id_number"] or ""))
        if person.id_number_hash != before[0]:
            # A new number brings its own birth date and sex unless they are given.
            person.birth_date = fields.get("birth_date")
            person.sex = fields.get("sex") or ""
    errors.update(agree_with_id_number(person))
    if not person.name:
        errors["name"] = "请填写姓名。"
    if errors:
        raise ValidationError(errors)
    person.full_clean()
    after = numbers(person)
    changed = [
        label for label, old, new in zip(NUMBER_LABELS, before, after, strict=True) if old != new
    ]
    return save(actor, person, changed)


def assign_plain_fields(person: Person, fields: dict[str, Any]) -> None:
    for key in ("name", "ethnicity", "note"):
        if key in fields:
            setattr(person, key, (fields[key] or "").strip())
    for key in ("sex", "education"):
        if key in fields:
            setattr(person, key, fields[key] or "")
    if "party_member" in fields:
        person.party_member = bool(fields["party_member"])
    if "birth_date" in fields:
        person.birth_date = fields["birth_date"]


NUMBER_LABELS = ("身份证号码", "联系电话")


def numbers(person: Person) -> tuple[str, str]:
    """What tells the numbers of a record apart: the ID's keyed hash and the phone."""
    token = person.phone_encrypted
    return person.id_number_hash, crypto.decrypt(token, column=PHONE_COLUMN) if token else ""


def place(actor: User, person: Person, region: Region) -> dict[str, str]:
    if not Region.objects.visible_to(actor).filter(pk=region.pk).exists():
        return {"region": "所选区划不在您的管理范围内。"}
    if not region.is_village_level:
        return {"region": "请选择人员所在的村或社区。"}
    person.region = region
    return {}


def set_id_number(actor: User, person: Person, raw: str) -> dict[str, str]:
    if not raw.strip():
        person.id_number_encrypted = person.id_number_hash = ""
        return {}
    try:
        number = idnumber.validate(raw, today=timezone.localdate())
    except idnumber.IdNumberError as exc:
        return {"id_number": exc.message}
    key = id_number_key(number)
    if key == person.id_number_hash:
        return {}
    other = Person.objects.filter(id_number_hash=key).exclude(pk=person.pk).first()
    if other is not None:
        return {"id_number": already_registered(actor, other)}
    person.id_number_encrypted = crypto.encrypt(number, column=ID_COLUMN)
    person.id_number_hash = key
    return {}


def already_registered(actor: User, other: Person) -> str:
    # Whom the number belongs to is told only to those who may see that record.
    if Person.objects.visible_to(actor).filter(pk=other.pk).exists():
        return f"该身份证号码已登记为“{other.name}”（{other.region.name}），请勿重复登记。"
    return "该身份证号码已在其他地区登记，请联系上级扫黑办核实。"


def set_phone(person: Person, raw: str) -> dict[str, str]:
    if not raw.strip():
        person.phone_encrypted = ""
        return {}
    try:
        number = phone.validate(raw)
    except phone.PhoneError as exc:
        return {"phone": exc.message}
    person.phone_encrypted = crypto.encrypt(number, column=PHONE_COLUMN)
    return {}


def agree_with_id_number(person: Person) -> dict[str, str]:
    """Birth date and sex are read from the ID number when empty, and must agree with it."""
    errors = {}
    if person.birth_date and person.birth_date > timezone.localdate():
        errors["birth_date"] = "出生日期不能晚于今天。"
    if not person.id_number_encrypted:
        return errors
    number = crypto.decrypt(person.id_number_encrypted, column=ID_COLUMN)
    born, sex = idnumber.birth_date(number), idnumber.sex(number)
    if person.birth_date is None:
        person.birth_date = born
    elif person.birth_date != born:
        errors["birth_date"] = (
            f"出生日期与身份证号码不符：身份证号码中的出生日期为{chinese_date(born)}。"
        )
    if not person.sex:
        person.sex = sex
    elif person.sex != sex:
        errors["sex"] = f"性别与身份证号码不符：按身份证号码应为“{Sex(sex).label}”。"
    return errors


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def save(actor: User, person: Person, changed_numbers: list[str]) -> Person:
    person._history_user = actor  # type: ignore[attr-defined]
    # History holds no numbers; the change reason says that one was entered or changed.
    reason = (
        "、".join(changed_numbers) + "有变更（号码不记入修改记录）" if changed_numbers else None
    )
    person._change_reason = reason  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        # Two clerks registering one number at the same moment: the constraint decides.
        raise ValidationError({"id_number": "该身份证号码已登记，请勿重复登记。"}) from None
    return person


def reveal_number(
    *, actor: User, person: Person, field: str, request: HttpRequest | None = None
) -> str:
    """查看完整号码: only for can_unmask(); every look, and every refusal, is in the security log."""
    require_visible(actor, person)
    attr, column = REVEALABLE[field]
    target = f"人员信息 {person.pk} {person.name}"
    if not can_unmask(actor):
        record_event(
            Action.ACCESS_DENIED,
            actor=actor,
            request=request,
            success=False,
            target=target,
            detail={"person": person.pk, "field": field},
        )
        raise PermissionDenied("只有领导或审核员可以查看完整号码。")
    token = getattr(person, attr)
    if not token:
        raise ValidationError({field: "未登记该号码。"})
    value = crypto.decrypt(token, column=column)
    record_event(
        Action.SENSITIVE_VIEW,
        actor=actor,
        request=request,
        target=target,
        detail={"person": person.pk, "field": field},
    )
    return value
