"""Notices reach the region and roles they are aimed at; reminders go out once before the deadline."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.accounts.models import User
from kechuang.notices.models import Message, Notice
from kechuang.notices.selectors import notice_list
from kechuang.notices.services import messages_send, notice_create, reminders_send

TODAY = datetime.date(2026, 3, 1)


@pytest.fixture
def notice(bureau, regions):
    return notice_create(
        actor=bureau,
        title="2026年度高企申报通知",
        body="请按时申报",
        region=regions["450223"],
        roles=",enterprise,",
        deadline=TODAY + datetime.timedelta(days=2),
        published=True,
    )


def test_enterprises_in_the_region_see_it_others_do_not(notice, make_user, make_org):
    inside = make_user("enterprise", organisation=make_org(region="450223100"), region="450223100")
    outside = make_user("enterprise", organisation=make_org("柳城企业", region="450222"), region="450222")
    expert = make_user("expert")
    assert list(notice_list(user=inside)) == [notice]
    assert not notice_list(user=outside).exists()
    assert not notice_list(user=expert).exists()  # aimed at enterprises only
    assert list(notice_list(user=make_user("leader"))) == [notice]  # bureau roles oversee their region's notices


def test_drafts_are_visible_to_the_bureau_only(bureau, regions, make_user, make_org):
    draft = notice_create(actor=bureau, title="草稿", body="待定", region=regions["450223"], roles="", published=False)
    enterprise = make_user("enterprise", organisation=make_org(region="450223100"), region="450223100")
    assert draft in notice_list(user=bureau)
    assert draft not in notice_list(user=enterprise)


def test_reminders_once_per_recipient(notice, make_user, make_org):
    target = make_user("enterprise", organisation=make_org(region="450223100"), region="450223100")
    make_user("bureau_staff")  # not an enterprise: not reminded
    assert reminders_send(today=TODAY, days=3) == 1
    assert reminders_send(today=TODAY, days=3) == 0
    message = Message.objects.get(user=target)
    assert message.title == "截止提醒：2026年度高企申报通知" and message.deadline == notice.deadline


def test_no_reminder_too_early_or_after_the_deadline(notice, make_user, make_org):
    make_user("enterprise", organisation=make_org(region="450223100"), region="450223100")
    assert reminders_send(today=TODAY - datetime.timedelta(days=10), days=3) == 0
    assert reminders_send(today=TODAY + datetime.timedelta(days=3), days=3) == 0


def test_remind_command_and_message_pages(notice, make_user, make_org, login, capsys):
    user = make_user("enterprise", organisation=make_org(region="450223100"), region="450223100")
    Notice.objects.filter(pk=notice.pk).update(deadline=datetime.date.today() + datetime.timedelta(days=1))
    call_command("remind", "--days", "3")
    assert "已生成 1 条提醒" in capsys.readouterr().out
    client = login(user)
    assert "截止提醒" in client.get("/notices/messages/").content.decode()
    message = Message.objects.get(user=user)
    assert client.get(f"/notices/messages/{message.pk}/").status_code == 302
    message.refresh_from_db()
    assert message.read_at is not None
    other = login(make_user("enterprise", organisation=make_org("另一企业"), region="450223100"))
    assert other.get(f"/notices/messages/{message.pk}/").status_code == 404


def test_bureau_publishes_from_the_web(login, bureau, regions):
    client = login(bureau)
    response = client.post(
        "/notices/new/",
        {
            "title": "科普周活动",
            "body": "内容",
            "region": regions["450223"].pk,
            "role_choices": ["enterprise", "provider"],
            "published": "on",
        },
    )
    assert response.status_code == 302
    notice = Notice.objects.get(title="科普周活动")
    assert notice.roles == ",enterprise,provider," and notice.author == bureau


def test_enterprise_user_without_own_region_sees_the_notice_it_is_reminded_of(notice, make_user, make_org, login):
    user = make_user("enterprise", organisation=make_org(region="450223100"), region=None)
    assert reminders_send(today=TODAY, days=3) == 1
    message = Message.objects.get(user=user)
    assert login(user).get(message.link).status_code == 200


def _badge(client) -> str:
    html = client.get("/").content.decode()
    bell = html[html.index('title="站内消息"') :]
    found = re.match(r'[^>]*><i class="bi bi-bell"></i>(?: <span class="badge bg-danger">(\d+)</span>)?', bell)
    return found.group(1) or ""


def test_the_menu_counts_unread_messages_and_follows_sending_and_reading(bureau, login):
    client = login(bureau)
    assert _badge(client) == ""
    messages_send(users=User.objects.filter(pk=bureau.pk), title="请审核年报")
    messages_send(users=User.objects.filter(pk=bureau.pk), title="请确认数据质量")
    assert _badge(client) == "2"
    with CaptureQueriesContext(connection) as queries:
        assert _badge(client) == "2"
    counts = [q for q in queries.captured_queries if "COUNT(" in q["sql"] and "notices_message" in q["sql"]]
    assert not counts  # counted once, then kept (the home page lists the newest messages itself)
    message = Message.objects.filter(user=bureau).first()
    assert client.get(f"/notices/messages/{message.pk}/").status_code in (200, 302)
    assert _badge(client) == "1"


def test_a_message_written_by_another_process_counts_within_the_window(bureau, login):
    """The background worker and `kechuang remind` run in processes of their own: the web process notices their
    messages when its count expires (UNREAD_SECONDS), which deleting the key stands in for here."""
    client = login(bureau)
    assert _badge(client) == ""
    Message.objects.create(user=bureau, title="后台导入已完成")
    assert _badge(client) == ""
    cache.delete(f"notices:unread:{bureau.pk}")
    assert _badge(client) == "1"
