from __future__ import annotations

import pytest

from maillage.consultations.models import PracticeAvailability
from maillage.directory.models import Practice


@pytest.fixture
def availability(practice: Practice) -> PracticeAvailability:
    """The treating clinician's practice receives online requests, seven days a week."""
    every_day = [["00:00", "23:59"]]
    return PracticeAvailability.objects.create(
        practice=practice,
        opening_hours={str(day): every_day for day in range(7)},
        daily_capacity=3,
        answer_within_working_hours=8,
    )
