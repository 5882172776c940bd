"""The talents, S&T commissioners and their service logs (科技人才储备库、科技特派员) registry."""
