from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from baolei.audit.models import Action, SecurityEvent
from baolei.regions.models import Level, Region
from baolei.regions.services import import_regions

GOOD = """区划代码,名称,层级,上级代码
520100000000,示例市,city,
520102000000,南城区,county,520100000000
520102001000,中华街道,township,520102000000
520102001001,富水社区,community,520102001000
520102001201,杨柳村,村,520102001000
"""


def write(tmp_path: Path, text: str, name: str = "regions.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_good_file_creates_the_tree(tmp_path: Path) -> None:
    result = import_regions(write(tmp_path, GOOD))
    assert result.ok and result.created == 5
    village = Region.objects.get(code="520102001201")
    assert village.level == Level.VILLAGE
    assert village.parent.code == "520102001000"
    assert list(
        Region.objects.subtree(Region.objects.get(code="520102000000")).values_list(
            "code", flat=True
        )
    ) == ["520102000000", "520102001000", "520102001001", "520102001201"]
    assert SecurityEvent.objects.filter(action=Action.IMPORT).count() == 1


@pytest.mark.django_db
def test_one_bad_row_changes_nothing_and_names_the_line(tmp_path: Path) -> None:
    bad = GOOD + "52010200120,短代码村,village,\n"
    result = import_regions(write(tmp_path, bad))
    assert not result.ok
    assert result.errors == [(7, "区划代码“52010200120”不是12位数字")]
    assert Region.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("520102001202,错层村,township,", "层级“乡镇(街道)”与区划代码 520102001202 不符"),
        ("520102001001,重复社区,community,", "区划代码 520102001001 与第5行重复"),
        ("520102009201,孤村,village,", "上级区划 520102009000 不存在"),
        ("520102001203,某村,乡村,", "层级“乡村”无法识别"),
        (
            "520102001204,错上级村,village,520102000000",
            "上级代码 520102000000 与区划代码不符（应为 520102001000）",
        ),
    ],
)
def test_each_rule_reports_its_row(tmp_path: Path, row: str, message: str) -> None:
    result = import_regions(write(tmp_path, GOOD + row + "\n"))
    assert result.errors == [(7, message)]
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_xlsx_is_read_like_csv(tmp_path: Path) -> None:
    book = Workbook()
    for line in GOOD.strip().splitlines():
        book.active.append(line.split(","))
    path = tmp_path / "regions.xlsx"
    book.save(path)
    assert import_regions(path).created == 5


@pytest.mark.django_db
def test_reimport_renames_and_does_not_duplicate(tmp_path: Path) -> None:
    import_regions(write(tmp_path, GOOD))
    result = import_regions(write(tmp_path, GOOD.replace("杨柳村", "杨柳新村")))
    assert (result.created, result.updated) == (0, 1)
    assert Region.objects.get(code="520102001201").name == "杨柳新村"
    assert Region.objects.get(code="520102001201").history.count() == 2


@pytest.mark.django_db
def test_command_prints_every_bad_row_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = GOOD + "5201020012x1,坏村,village,\n520102001299,,village,\n"
    with pytest.raises(CommandError, match="共 2 处错误"):
        call_command("regions", "import", str(write(tmp_path, bad)))
    err = capsys.readouterr().err
    assert "第7行：区划代码“5201020012x1”不是12位数字" in err
    assert "第8行：名称为空" in err
    assert not Region.objects.exists()
