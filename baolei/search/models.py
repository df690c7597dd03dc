"""The search index: terms that point at records, looked up by equality."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    CLUE = "clue", "问题线索"
    CASE = "case", "案件"
    LEDGER = "ledger", "台账事项"
    REGION = "region", "行政区划"
    AGENCY = "agency", "单位"
    PERSON = "person", "人员"


class Term(models.Model):
    """One term of one record (a character pair of its name, a piece of its number, its
    pinyin initials, an ID number's lookup hash); derived, rebuilt by ``search_index``."""

    kind = models.CharField("记录类别", max_length=8, choices=Kind.choices)
    record_id = models.PositiveBigIntegerField("记录号")
    term = models.CharField("检索词", max_length=80)

    class Meta:
        verbose_name = "检索词"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record_id", "term"],
                name="search_term_once_per_record",
                violation_error_message="检索词重复。",
            )
        ]
        indexes = [models.Index(fields=["term", "kind", "record_id"], name="search_term_lookup")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.record_id} {self.term}"
