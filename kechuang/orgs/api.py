"""API of the organisation master file (extended in orgs/api.py only)."""

from ninja import Router

router = Router(tags=["单位档案"])
