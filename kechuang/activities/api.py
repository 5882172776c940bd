"""/api/v1/activities: the innovation competitions, trainings, science popularisation and its spending (科技活动、科普) registry."""

from ninja import Router

router = Router(tags=["科技活动"])
