"""The bell, the list of one's own notifications, opening one and marking read — pages and API."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baolei.notices import services
from baolei.notices.models import Kind, Notification
from baolei.regions.models import Region


def tell(user: Any, text: str, link: str = "/regions/") -> Notification:
    record = Region.objects.order_by("pk").first()
    assert record is not None
    (notice,) = services.notify(Kind.RUN_DONE, record, [user], text, link)
    return notice


def test_the_bell_counts_my_unread_notices_in_one_query(world: Any, client: Any) -> None:
    tell(world.a_clerk, "第一条")
    tell(world.a_clerk, "第二条")
    tell(world.a_reviewer, "别人的")
    client.force_login(world.a_clerk)
    page = client.get("/regions/").content.decode()
    assert "2 条未读" in page
    from django.template import Context, Template

    request = client.get("/regions/").wsgi_request
    with CaptureQueriesContext(connection) as queries:
        rendered = Template("{% load notices %}{% unread_notices as n %}{{ n }}").render(
            Context({"request": request})
        )
    assert rendered == "2"
    assert len(queries) == 1


def test_the_list_shows_mine_unread_first_and_filters_unread(world: Any, client: Any) -> None:
    old = tell(world.a_clerk, "较早的通知")
    tell(world.a_clerk, "较新的通知")
    services.mark_read(actor=world.a_clerk, notice=tell(world.a_clerk, "已读的最新通知"))
    tell(world.a_reviewer, "审核员的通知")
    client.force_login(world.a_clerk)
    page = client.get("/notices/").content.decode()
    assert "审核员的通知" not in page and "乙县" not in page
    assert page.index("较新的通知") < page.index("较早的通知") < page.index("已读的最新通知")
    unread = client.get("/notices/", {"show": "unread"}).content.decode()
    assert "较早的通知" in unread and "已读的最新通知" not in unread
    assert client.get("/notices/", {"show": "bogus"}).status_code == 400
    assert old.read_at is None


def test_opening_marks_read_and_goes_to_the_record(world: Any, client: Any) -> None:
    notice = tell(world.a_clerk, "请签收", link="/clues/")
    client.force_login(world.a_clerk)
    assert client.get(f"/notices/{notice.pk}/open/").status_code == 405  # a GET changes nothing
    response = client.post(f"/notices/{notice.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/clues/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_link_elsewhere_is_not_followed(world: Any, client: Any) -> None:
    notice = tell(world.a_clerk, "外链", link="https://example.com/")
    client.force_login(world.a_clerk)
    assert client.post(f"/notices/{notice.pk}/open/")["Location"] == "/notices/"


def test_marking_one_and_all_read(world: Any, client: Any) -> None:
    first, second = tell(world.a_clerk, "一"), tell(world.a_clerk, "二")
    theirs = tell(world.a_reviewer, "三")
    client.force_login(world.a_clerk)
    assert client.post(f"/notices/{first.pk}/read/").status_code == 302
    assert Notification.objects.unread().filter(recipient=world.a_clerk).count() == 1
    response = client.post("/notices/read-all/", follow=True)
    assert "已全部标为已读（1 条）" in response.content.decode()
    second.refresh_from_db()
    theirs.refresh_from_db()
    assert second.read_at is not None and theirs.read_at is None


@pytest.mark.parametrize("path", ["/notices/{pk}/open/", "/notices/{pk}/read/"])
def test_another_users_notice_cannot_be_opened_or_marked(
    world: Any, client: Any, path: str
) -> None:
    theirs = tell(world.a_reviewer, "审核员的通知")
    client.force_login(world.a_clerk)
    assert client.post(path.format(pk=theirs.pk)).status_code == 404
    client.force_login(world.city_leader)  # a wider scope changes nothing
    assert client.post(path.format(pk=theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_lists_and_marks_only_my_own(world: Any, client: Any) -> None:
    mine, theirs = tell(world.a_clerk, "我的"), tell(world.a_reviewer, "别人的")
    tell(world.a_clerk, "另一条")
    client.force_login(world.a_clerk)
    listed = client.get("/api/v1/me/notices/").json()
    assert {row["text"] for row in listed["results"]} == {"我的", "另一条"}
    assert client.get(f"/api/v1/me/notices/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/me/notices/{theirs.pk}/read/").status_code == 404
    read = client.post(f"/api/v1/me/notices/{mine.pk}/read/")
    assert read.status_code == 200 and read.json()["read_at"]
    assert client.get("/api/v1/me/notices/", {"unread": "true"}).json()["count"] == 1
    assert client.post("/api/v1/me/notices/read-all/").json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_gets_no_notices(world: Any, client: Any) -> None:
    tell(world.a_clerk, "我的")
    assert client.get("/api/v1/me/notices/").status_code in (401, 403)
    assert client.get("/notices/").status_code == 302


def test_the_list_costs_the_same_queries_for_3_or_30(world: Any, client: Any) -> None:
    client.force_login(world.a_clerk)
    client.get("/notices/")  # the session and the calendar are read once
    costs = []
    for many in (3, 30):
        while Notification.objects.filter(recipient=world.a_clerk).count() < many:
            tell(world.a_clerk, "又一条")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/notices/").status_code == 200
        ours = [q for q in queries.captured_queries if "notices_notification" in q["sql"]]
        costs.append((len(queries), len(ours)))
    assert costs[0] == costs[1]
    assert costs[1][1] == 3  # the bell, the number of rows, the page of rows
