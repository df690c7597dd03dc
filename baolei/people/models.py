"""People on record (人员信息), with ID and phone numbers encrypted at rest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Self

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from baolei.core.scoping import ScopedQuerySet
from baolei.people import crypto, idnumber, phone
from baolei.regions.models import Region

#: Associated data and hash label of each encrypted column.
ID_COLUMN = "people.person.id_number"
PHONE_COLUMN = "people.person.phone"
#: Shown instead of a masked number that the configured key cannot decrypt.
UNREADABLE = "（密钥不符，无法显示）"


class Sex(models.TextChoices):
    MALE = idnumber.MALE, "男"
    FEMALE = idnumber.FEMALE, "女"


class Education(models.TextChoices):
    PRIMARY = "primary", "小学及以下"
    JUNIOR_SECONDARY = "junior_secondary", "初中"
    SENIOR_SECONDARY = "senior_secondary", "高中/中专"
    JUNIOR_COLLEGE = "junior_college", "大专"
    UNDERGRADUATE = "undergraduate", "本科"
    POSTGRADUATE = "postgraduate", "研究生"


def id_number_key(number: str) -> str:
    """The keyed hash of a canonical 18-character ID number, as stored for lookup."""
    return crypto.lookup_hash(number, column=ID_COLUMN)


class PersonQuerySet(ScopedQuerySet):
    region_field = "region"

    def with_id_number(self, number: str) -> Self:
        """Rows whose ID number equals ``number`` (15 or 18 digits, any spelling)."""
        try:
            canonical = idnumber.validate(number)
        except idnumber.IdNumberError:
            return self.none()
        return self.filter(id_number_hash=id_number_key(canonical))


class Person(models.Model):
    """A person on record — village cadre, suspect or clue subject — placed in a village."""

    name = models.CharField("姓名", max_length=50)
    id_number_encrypted = models.TextField("身份证号码（密文）", blank=True, editable=False)
    id_number_hash = models.CharField(
        "身份证号码（检索码）", max_length=64, blank=True, editable=False
    )
    sex = models.CharField("性别", max_length=8, choices=Sex.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    ethnicity = models.CharField("民族", max_length=20, blank=True)
    education = models.CharField("文化程度", max_length=20, choices=Education.choices, blank=True)
    party_member = models.BooleanField("中共党员", default=False)
    phone_encrypted = models.TextField("联系电话（密文）", blank=True, editable=False)
    region = models.ForeignKey(
        Region, verbose_name="所属村（社区）", on_delete=models.PROTECT, related_name="people"
    )
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)

    objects = PersonQuerySet.as_manager()
    # Record history keeps no number, not even encrypted: a changed number shows as
    # the change reason only, so history can be shown to every reader of the record.
    history = HistoricalRecords(
        excluded_fields=["id_number_encrypted", "id_number_hash", "phone_encrypted"]
    )

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员信息"
        ordering = ["name", "pk"]
        # The list's order: its first page is read off this index instead of sorting
        # every person in scope (a province's 280,000: 180 ms to a few).
        indexes = [models.Index(fields=["name", "id"], name="person_name_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="person_id_number_once",
                violation_error_message="该身份证号码已登记。",
            ),
            models.CheckConstraint(
                condition=Q(id_number_hash__regex=r"^([0-9a-f]{64})?$"),
                name="person_id_number_hash_only",
                violation_error_message="身份证号码只能以检索码形式保存。",
            ),
            models.CheckConstraint(
                condition=Q(id_number_hash="", id_number_encrypted="")
                | (~Q(id_number_hash="") & ~Q(id_number_encrypted="")),
                name="person_id_number_hash_with_ciphertext",
                violation_error_message="身份证号码的密文与检索码必须同时保存。",
            ),
            models.CheckConstraint(
                condition=Q(id_number_hash="") | (Q(birth_date__isnull=False) & ~Q(sex="")),
                name="person_id_number_gives_birth_and_sex",
                violation_error_message="登记了身份证号码的人员必须有出生日期和性别。",
            ),
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_date__gte=date(1900, 1, 1)),
                name="person_born_after_1900",
                violation_error_message="出生日期不能早于1900年。",
            ),
            models.CheckConstraint(
                condition=Q(sex__in=["", *Sex.values]),
                name="person_sex_valid",
                violation_error_message="性别只能是男或女。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_id_number(self) -> bool:
        return bool(self.id_number_encrypted)

    @property
    def has_phone(self) -> bool:
        return bool(self.phone_encrypted)

    @property
    def id_number_masked(self) -> str:
        """5201**********123X: the form every page, export and API shows."""
        return masked(self.id_number_encrypted, ID_COLUMN, idnumber.mask)

    @property
    def phone_masked(self) -> str:
        """138****1234: the form every page, export and API shows."""
        return masked(self.phone_encrypted, PHONE_COLUMN, phone.mask)


def masked(token: str, column: str, mask: Callable[[str], str]) -> str:
    if not token:
        return ""
    try:
        plain = crypto.decrypt(token, column=column)
    except crypto.DecryptionError:
        return UNREADABLE
    return mask(plain)
