"""Luzhai demo records of the innovation carriers and their tenants (创新载体) registry (演示数据); see kechuang/orgs/demo.py."""


def load(loader, orgs: dict) -> None:
    """Upsert this registry's demo records through ``loader.upsert`` (idempotent)."""


def counts() -> dict:
    """The demo facts of this registry, computed from the records."""
    return {}
