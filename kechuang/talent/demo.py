"""Luzhai demo records of the talents, S&T commissioners and their service logs (科技人才储备库、科技特派员) registry (演示数据); see kechuang/orgs/demo.py."""


def load(loader, orgs: dict) -> None:
    """Upsert this registry's demo records through ``loader.upsert`` (idempotent)."""


def counts() -> dict:
    """The demo facts of this registry, computed from the records."""
    return {}
