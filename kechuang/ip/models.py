"""The patents, other IP (知识产权) registry."""
