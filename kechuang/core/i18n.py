"""Translation helpers: lists joined the way the active language joins them, and text that is stored."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext


def join_list(items) -> str:
    """Items joined with the language's enumeration comma: 甲、乙 in Chinese, "a, b" in English."""
    return pgettext("list separator", "、").join(str(item) for item in items)


def stored_text(message) -> str:
    """Text written into a log or another stored row: always in the installation's language (LANGUAGE_CODE),
    whatever language the acting user has chosen, so the trail reads and searches the same for everyone."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message)


class TranslatedHelpMixin:
    """For management commands: ``help`` may be lazy text, but argparse formats only a real str."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
