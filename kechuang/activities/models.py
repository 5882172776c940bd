"""The innovation competitions, trainings, science popularisation and its spending (科技活动、科普) registry."""
