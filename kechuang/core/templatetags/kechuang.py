"""Template helpers: money in 万元, choice labels, role checks for the navigation."""

from django import template

from kechuang.core.access import may as _may
from kechuang.core.access import permitted
from kechuang.core.units import to_wan

register = template.Library()


@register.filter
def wan(yuan):
    """元 → '1,234.56' in 万元; empty stays empty."""
    return amount(to_wan(yuan))


@register.filter
def amount(value):
    """An amount already in 万元 (a table's money column) as '1,234.56'; empty stays empty."""
    return "" if value is None or value == "" else f"{value:,.2f}"


@register.simple_tag(takes_context=True)
def can(context, action, model_label):
    from django.apps import apps

    user = context["request"].user
    return permitted(user, apps.get_model(model_label), action)


@register.simple_tag(takes_context=True)
def may(context, action, obj):
    return _may(context["request"].user, action, obj)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (pagination, sorting)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        params[key] = value
    return params.urlencode()
