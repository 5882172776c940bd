"""Ranked units as people type them: a credit code, a name in the register, or a unit outside the register.

The same rules serve the forms, the API and the Excel import. A unit written ``名称（统一社会信用代码）`` (as the
export writes it) is found by its code. Units are looked up in the whole register, not only the user's scope:
naming a partner from another county links the record to it, and that partner's own users then see it.
"""

import re

from django.db.models import Count
from django.utils.translation import gettext

from kechuang.core.importkit import FULL_WIDTH
from kechuang.core.validators import normalise_uscc, uscc_error
from kechuang.orgs.models import Organisation

__all__ = ["UnitNotFound", "UnitResolver", "parse_unit", "resolve_units", "split_list", "unit_text"]

SEPARATORS = re.compile(r"[、，,；;\n\r]+")
WITH_CODE = re.compile(r"^(?P<name>.*?)\s*[（(]\s*(?P<code>[0-9A-Za-z]{18})\s*[)）]$")


class UnitNotFound(ValueError):
    """A unit named by a credit code that is not in the register."""


def split_list(text) -> list[str]:
    """Entries separated by 、，, ; or new lines, without blanks."""
    return [part.strip() for part in SEPARATORS.split(str(text or "").translate(FULL_WIDTH)) if part.strip()]


def parse_unit(token: str) -> tuple[str | None, str]:
    """(credit code or None, name) of one typed unit."""
    token = token.strip()
    if found := WITH_CODE.match(token):
        return normalise_uscc(found.group("code")), found.group("name").strip()
    if uscc_error(token) is None:
        return normalise_uscc(token), ""
    return None, token


class UnitResolver:
    """Looks up many typed units with two queries (imports resolve every row's units at once)."""

    def __init__(self, tokens):
        parsed = [parse_unit(token) for token in tokens]
        codes = {code for code, _ in parsed if code}
        names = {name for code, name in parsed if not code}
        self.by_code = {o.uscc: o for o in Organisation.objects.filter(uscc__in=codes)} if codes else {}
        self.by_name = {}
        if names:
            unique = Organisation.objects.filter(name__in=names).values("name").annotate(n=Count("pk")).filter(n=1)
            self.by_name = {o.name: o for o in Organisation.objects.filter(name__in=unique.values("name"))}

    def resolve(self, tokens) -> list[tuple[Organisation | None, str]]:
        """Each typed unit as (organisation, "") when the register holds it, else (None, name)."""
        units = []
        for token in tokens:
            code, name = parse_unit(token)
            if code:
                if code not in self.by_code:
                    raise UnitNotFound(
                        gettext("统一社会信用代码 {code} 不在单位档案中；不在档案中的单位请直接写单位名称").format(
                            code=code
                        )
                    )
                units.append((self.by_code[code], ""))
            elif name in self.by_name:
                units.append((self.by_name[name], ""))
            else:
                units.append((None, name))
        return units


def resolve_units(tokens) -> list[tuple[Organisation | None, str]]:
    tokens = list(tokens)
    return UnitResolver(tokens).resolve(tokens)


def unit_text(row) -> str:
    """A ranked unit as the forms and the export write it: ``名称（统一社会信用代码）`` or the bare name."""
    if row.organisation_id:
        return f"{row.organisation.name}（{row.organisation.uscc}）"
    return row.name
