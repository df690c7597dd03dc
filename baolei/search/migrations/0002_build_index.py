"""Build the index over the records already in the database (after the ledger's
renumbering, so that both its new and its former numbers are indexed)."""

from django.db import migrations


def build(apps, schema_editor):
    from baolei.search import index

    index.rebuild(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_term_index"),
        ("accounts", "0004_api_tokens"),
        ("regions", "0001_initial"),
        ("people", "0001_initial"),
        ("clues", "0001_initial"),
        ("cases", "0001_initial"),
        ("ledger", "0004_office_numbers"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
