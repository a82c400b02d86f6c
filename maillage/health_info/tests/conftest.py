"""Fixtures of the health library tests: two editors, so that one can review the other."""

from __future__ import annotations

import pytest

from maillage.accounts.models import User
from maillage.health_info.tests.factories import editor, gp_editor


@pytest.fixture
def author(db: None) -> User:
    return editor(first_name="Paul", last_name="Simon")


@pytest.fixture
def reviewer(db: None) -> User:
    return gp_editor(first_name="Hélène", last_name="Grandjean")
