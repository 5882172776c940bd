"""/api/v1/talent: the talents, S&T commissioners and their service logs (科技人才储备库、科技特派员) registry."""

from ninja import Router

router = Router(tags=["科技人才"])
