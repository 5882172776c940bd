"""Luzhai demo records of the S&T achievements, conversions, technology contracts, awards (科技成果、技术合同、科技奖励) registry (演示数据); see kechuang/orgs/demo.py."""


def load(loader, orgs: dict) -> None:
    """Upsert this registry's demo records through ``loader.upsert`` (idempotent)."""


def counts() -> dict:
    """The demo facts of this registry, computed from the records."""
    return {}
