"""Fault tests: private servers stopped, restarted and killed under the production topology."""

from __future__ import annotations

import pytest

from maillage.testing.faults import (  # noqa: F401  # fixtures
    migrated_cluster,
    private_postgres,
    private_redis,
    topology_dir,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/tests/faults/" in str(item.path):
            item.add_marker(pytest.mark.faults)
