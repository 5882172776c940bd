"""What the management commands share."""

from django.core.management.base import CommandError
from django.utils.translation import gettext


def command_actor(username: str | None):
    """The active account named by a command's ``--user``, or None (the system) when none is named."""
    from kechuang.accounts.models import User

    if not username:
        return None
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(gettext("账号“{username}”不存在或已停用").format(username=username))
    return actor
