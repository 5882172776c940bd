"""/api/v1/carriers: the innovation carriers and their tenants (创新载体) registry."""

from ninja import Router

router = Router(tags=["创新载体"])
