"""Reads of notices and messages."""

from kechuang.core.access import restrict

from .models import Message, Notice


def notice_list(*, user):
    return restrict(Notice, user).select_related("region", "author")


def messages_for(*, user):
    """A user's own messages; no one else's are ever read (so no region scope applies)."""
    return Message.objects.filter(user=user) if user.is_authenticated else Message.objects.none()
