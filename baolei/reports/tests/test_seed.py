"""The seed scenario: the city of the 2019 article, built from records in an empty
database, states every figure of the article."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from docx import Document

from baolei.regions.models import Level
from baolei.reports import briefing
from baolei.reports.figures import all_figures
from baolei.reports.tests.links import assert_links_count_their_figures

SEED_SENTENCES = [
    "确定软弱涣散村(社区)党组织112个（其中村109个、社区3个），“一村一策”已整顿提升112个",
    "动态调整不胜任、不合格的118人",
    "“领头雁”实训基地8个",
    "8个县(区)、85个乡镇(街道)、5个新型社区全部建立综治中心",
    "4次常委会会议、2次扫黑除恶专项斗争领导小组会议、10次领导小组专题会议、2次反腐败协调小组会议",
    "由8名市领导联系督导县(区)，16名干部担任组长、副组长，组成8个督导组，先后组织开展6轮专项督导",
    "截至10月15日，公安机关新侦办黑社会性质组织案6件，涉恶犯罪案4件，抓获犯罪嫌疑人132人",
    "查扣冻结各类涉案财产从督导前的580万元增加到3.6亿元",
    "检察机关新提起公诉黑社会性质组织案1件，恶势力犯罪案3件",
    "法院一审判决并认定黑社会性质组织案5件，恶势力犯罪案2件；二审审结并认定黑社会性质组织案5件，恶势力犯罪案3件",
    "共性问题20项，已完成整改16项（含长期坚持整改9项）",
    "个性问题13项，已完成整改12项（含长期坚持整改6项）",
]


#: The seed city is built once for the module (see ``built_once``); one worker runs it.
pytestmark = pytest.mark.xdist_group("reports-seed")


@pytest.fixture(scope="module")
def seed_city(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[None]:
    from django.core.management import call_command

    from baolei.conftest import built_once

    with built_once(django_db_blocker, tmp_path_factory):
        call_command("demo", "--scenario", "seed", "--quiet-accounts")
        yield


@pytest.fixture
def seed(seed_city: None, db: Any) -> None:
    return seed_city


def briefing_command(out: Any) -> Any:
    """The seed city's briefing as of the article's day, written by the command."""
    from django.core.management import call_command

    args = ["--user", "city_leader", "--as-of", "2019-10-15", "--format", "docx"]
    call_command("report", "briefing", *args, "--out", str(out))
    return out


def test_seed_scenario_briefing_states_every_figure_of_the_article(
    seed: None, tmp_path: Any, client: Any
) -> None:
    """Built from records in a fresh database: nothing in the template is a typed-in number."""
    out = briefing_command(tmp_path / "seed.docx")
    text = "".join(p.text for p in Document(str(out)).paragraphs)
    for sentence in SEED_SENTENCES:
        assert sentence in text, sentence
    assert briefing_command(tmp_path / "again.docx").read_bytes() == out.read_bytes()
    from baolei.accounts.models import User
    from baolei.regions.models import Region

    checked = assert_links_count_their_figures(
        client,
        User.objects.get(username="city_leader"),
        Region.objects.get(level="city"),
        date(2019, 10, 15),
    )
    assert checked > 40


def test_the_seed_states_eight_city_level_bases(seed: None) -> None:
    from baolei.accounts.models import User
    from baolei.cadres.models import BaseLevel, TrainingBase
    from baolei.demo.management.commands.demo import SEED_DATE
    from baolei.regions.models import Region

    leader = User.objects.get(username="city_leader")
    city = Region.objects.get(level=Level.CITY)
    start = date(2019, 1, 1)
    figures = {f.key: f for g in all_figures(leader, city, SEED_DATE, start).values() for f in g}
    assert figures["training_bases"].value == 8
    assert TrainingBase.objects.filter(level=BaseLevel.CITY).count() == 8
    assert "建立市级“领头雁”实训基地8个" in briefing.build(leader, city, SEED_DATE, start).text()
