"""Path converters. ``<id:pk>`` is ``<int:pk>`` limited to the digits a 64-bit key can have: a longer number in a
URL is a page that does not exist (404), not a number the database driver refuses to bind (SQLite: 500)."""

from django.urls.converters import IntConverter


class IdConverter(IntConverter):
    regex = "[0-9]{1,18}"
