"""Machine-made ledger numbers (TZ2026-00007, WT-central-共性01-8, YCYC-3-…, DEMO-…)
become office numbers (台账〔2026〕0007号, 督改〔2026〕0008号, 整顿〔2026〕0003号); the old
number is kept in ``former_key`` so that it still finds the item. Numbers an office
imported with its own sheet are left as they are."""

import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

MACHINE = re.compile(r"^(TZ\d{4}-\d+|WT-.+|YCYC-.+|DEMO-.+)$")
TZ_KEY = re.compile(r"^TZ(\d{4})-")
OFFICE = re.compile(r"^(.*〔\d{4}〕)(\d+)号$")
PREFIXES = {"none": "台账", "supervision": "督改", "screening": "整顿", "meeting": "议定"}


def renumber(apps, schema_editor):
    LedgerItem = apps.get_model("ledger", "LedgerItem")
    zone = ZoneInfo(settings.TIME_ZONE)
    last: dict[str, int] = {}
    for key in LedgerItem.objects.filter(key__contains="〔").values_list("key", flat=True):
        match = OFFICE.match(key)
        if match:
            last[match[1]] = max(last.get(match[1], 0), int(match[2]))
    rows = LedgerItem.objects.order_by("created_at", "pk").only("key", "source_kind", "created_at")
    for item in rows.iterator():
        if not MACHINE.match(item.key):
            continue
        stamped = TZ_KEY.match(item.key)
        year = int(stamped[1]) if stamped else item.created_at.astimezone(zone).year
        head = f"{PREFIXES.get(item.source_kind, '台账')}〔{year}〕"
        last[head] = last.get(head, 0) + 1
        LedgerItem.objects.filter(pk=item.pk).update(
            key=f"{head}{last[head]:04d}号", former_key=item.key
        )


def restore(apps, schema_editor):
    LedgerItem = apps.get_model("ledger", "LedgerItem")
    for item in LedgerItem.objects.exclude(former_key="").only("former_key"):
        LedgerItem.objects.filter(pk=item.pk).update(key=item.former_key, former_key="")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_former_key")]

    operations = [migrations.RunPython(renumber, restore)]
