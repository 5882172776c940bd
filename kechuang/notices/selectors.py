"""Reads of notices and messages."""

from django.core.cache import cache

from kechuang.core.access import restrict

from .models import Message, Notice


def notice_list(*, user):
    return restrict(Notice, user).select_related("region", "author")


def messages_for(*, user):
    """A user's own messages; no one else's are ever read (so no region scope applies)."""
    return Message.objects.filter(user=user) if user.is_authenticated else Message.objects.none()


# The unread count in every page's menu is read from the database at most this often per user and process. The
# message services forget it when they write, so the process that sent or read a message shows the new count at
# once; the other processes show it within UNREAD_SECONDS.
UNREAD_SECONDS = 15


def unread_count(*, user) -> int:
    key = _unread_key(user.pk)
    return cache.get_or_set(key, lambda: messages_for(user=user).filter(read_at__isnull=True).count(), UNREAD_SECONDS)


def forget_unread(user_ids) -> None:
    cache.delete_many([_unread_key(pk) for pk in user_ids])


def _unread_key(user_id: int) -> str:
    return f"notices:unread:{user_id}"
