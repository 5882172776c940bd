"""Luzhai demo records of the innovation competitions, trainings, science popularisation and its spending (科技活动、科普) registry (演示数据); see kechuang/orgs/demo.py."""


def load(loader, orgs: dict) -> None:
    """Upsert this registry's demo records through ``loader.upsert`` (idempotent)."""


def counts() -> dict:
    """The demo facts of this registry, computed from the records."""
    return {}
