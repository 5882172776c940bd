"""The registries' tabs on an organisation's master-file page (一企一档).

A registry app registers a ``Section`` in its ``AppConfig.ready()``; the page shows one tab per section
whose records the user may view, with the section's table over the records ``restrict()`` lets through.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from kechuang.core.access import permitted, restrict

__all__ = ["Section", "register_section", "sections_for"]


@dataclass(frozen=True)
class Section:
    """One tab: ``records(queryset, organisation)`` narrows the user's restricted queryset to the organisation."""

    tab: str  # the tab's anchor (#patents)
    title: str
    model: type[models.Model]
    table: type  # a kechuang.core.tables.Table
    records: Callable[[models.QuerySet, models.Model], models.QuerySet]
    create_url: Callable[[models.Model], str] | None = None  # organisation → the page adding a record for it


_sections: list[Section] = []


def register_section(section: Section) -> None:
    if all(s.tab != section.tab for s in _sections):
        _sections.append(section)


def sections_for(*, user, organisation) -> list[dict]:
    """The tabs the user may see on this organisation's page, each with its table and record count."""
    shown = []
    for section in _sections:
        if not permitted(user, section.model, "view"):
            continue
        rows = list(section.records(restrict(section.model, user), organisation))
        may_add = section.create_url is not None and permitted(user, section.model, "add")
        shown.append(
            {
                "section": section,
                "table": section.table(rows),
                "count": len(rows),
                "create_url": section.create_url(organisation) if may_add else None,
            }
        )
    return shown
