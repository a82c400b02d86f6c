"""Fault tests: private servers stopped, restarted and killed under the production topology."""

from maillage.testing.faults import (  # noqa: F401  # fixtures
    migrated_cluster,
    private_postgres,
    private_redis,
    topology_dir,
)
