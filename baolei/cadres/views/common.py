"""Helpers shared by the cadre pages."""

from __future__ import annotations

from baolei.regions.models import Region


def county_of(region: Region) -> str:
    township = region.parent
    return township.parent.name if township and township.parent else ""


#: The import layout (身份证号码 masked): an export edited and uploaded is an import.
