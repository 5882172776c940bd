"""Writes of notices and messages."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from kechuang.accounts.models import User
from kechuang.core.audit import audit_bulk, audit_write, snapshot
from kechuang.core.choices import AuditAction
from kechuang.core.i18n import stored_text
from kechuang.core.services import record_create, record_update

from .models import Message, Notice
from .selectors import forget_unread


def notice_create(*, actor, **fields) -> Notice:
    return record_create(actor=actor, instance=Notice(author=actor, **fields))


def notice_update(*, actor, notice: Notice, data: dict) -> Notice:
    return record_update(actor=actor, instance=notice, data=data)


def notice_recipients(notice: Notice):
    """Active users whose region or organisation lies in the notice's subtree and whose role it names."""
    users = User.objects.filter(is_active=True).filter(
        Q(region__path__startswith=notice.region.path) | Q(organisation__region__path__startswith=notice.region.path)
    )
    return users.filter(role__in=notice.role_list()) if notice.roles else users


@transaction.atomic
def reminders_send(*, today: datetime.date | None = None, days: int = 3) -> int:
    """One reminder message per recipient for every published notice whose deadline is within ``days``."""
    today = today or timezone.localdate()
    due = Notice.objects.filter(
        published=True, deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days)
    )
    created = 0
    for notice in due.select_related("region"):
        # Messages are stored rows: they are written in the installation's language.
        title = stored_text(format_lazy(gettext_lazy("截止提醒：{title}"), title=notice.title))
        body = stored_text(format_lazy(gettext_lazy("请于 {deadline:%Y年%m月%d日} 前完成。"), deadline=notice.deadline))
        already = Message.objects.filter(notice=notice).values("user_id")
        for uid in notice_recipients(notice).exclude(pk__in=already).values_list("pk", flat=True):
            message = Message.objects.create(
                user_id=uid,
                notice=notice,
                deadline=notice.deadline,
                link=notice.get_absolute_url(),
                title=title,
                body=body,
            )
            audit_write(actor=None, action=AuditAction.CREATE, instance=message, before=None, after=snapshot(message))
            forget_unread([uid])
            created += 1
    return created


@transaction.atomic
def messages_send(
    *, users, title: str, body: str = "", link: str = "", deadline: datetime.date | None = None, topic: str = ""
) -> int:
    """One in-app message to each of ``users`` (a queryset), audited; with a ``topic``, users who already got that
    topic are left out, so a reminder goes out once however often it is sent. Returns the number of messages."""
    if topic:
        users = users.exclude(pk__in=Message.objects.filter(topic=topic).values("user_id"))
    messages = [
        Message(user_id=uid, title=title, body=body, link=link, deadline=deadline, topic=topic)
        for uid in users.values_list("pk", flat=True).distinct()
    ]
    Message.objects.bulk_create(messages)
    audit_bulk(actor=None, action=AuditAction.CREATE, entries=[(m, None, snapshot(m)) for m in messages])
    forget_unread(m.user_id for m in messages)
    return len(messages)


def message_mark_read(*, user, message: Message) -> None:
    if message.user_id == user.pk and message.read_at is None:
        Message.objects.filter(pk=message.pk).update(read_at=timezone.now())
        forget_unread([user.pk])
