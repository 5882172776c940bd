"""/api/v1/ip: the patents, other IP (知识产权) registry."""

from ninja import Router

router = Router(tags=["知识产权"])
