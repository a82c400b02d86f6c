"""Work stoppages prescribed in telemedicine: 3 days at most, two exceptions (checklist A9)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

import pytest
from django.utils import translation

from maillage.billing.sick_notes import SickNoteTooLong, check_sick_note

JUSTIFIED = "Patient alité, sans moyen de transport jusqu'au cabinet."


@pytest.mark.parametrize(
    ("days", "ongoing", "treating_doctor", "justification", "refused"),
    [
        pytest.param(0, 0, False, "", False, id="none"),
        pytest.param(3, 0, False, "", False, id="3-days"),
        pytest.param(1, 2, False, "", False, id="1-plus-2-ongoing"),
        pytest.param(4, 0, False, "", True, id="4-days-by-another-doctor"),
        pytest.param(2, 2, False, "", True, id="2-plus-2-ongoing"),
        pytest.param(0, 4, False, "", True, id="0-days-on-an-ongoing-4"),
        pytest.param(4, 0, True, "", False, id="4-days-by-the-treating-doctor"),
        pytest.param(4, 10, True, "", False, id="renewal-by-the-treating-doctor"),
        pytest.param(2, 3, False, JUSTIFIED, False, id="justified-prolongation"),
        pytest.param(4, 0, False, JUSTIFIED, True, id="justification-does-not-cover-a-new-one"),
        pytest.param(2, 3, False, "   \n", True, id="blank-justification"),
    ],
)
def test_sick_note_guard(
    days: int, ongoing: int, treating_doctor: bool, justification: str, refused: bool
) -> None:
    expectation: AbstractContextManager[object] = (
        pytest.raises(SickNoteTooLong) if refused else nullcontext()
    )
    with expectation:
        check_sick_note(
            days=days,
            ongoing_days=ongoing,
            prescriber_is_treating_doctor=treating_doctor,
            impossibility_justification=justification,
        )


def test_the_refusal_names_the_limit_and_both_exceptions() -> None:
    with translation.override("fr"), pytest.raises(SickNoteTooLong) as refused:
        check_sick_note(
            days=4,
            ongoing_days=0,
            prescriber_is_treating_doctor=False,
            impossibility_justification="",
        )
    message = str(refused.value.message)
    assert "3 jours" in message
    assert "médecin traitant" in message
    assert "impossibilité" in message


@pytest.mark.parametrize(("days", "ongoing"), [(-1, 0), (0, -1)])
def test_negative_days_are_a_programming_error(days: int, ongoing: int) -> None:
    with pytest.raises(ValueError, match="negative"):
        check_sick_note(
            days=days,
            ongoing_days=ongoing,
            prescriber_is_treating_doctor=True,
            impossibility_justification=JUSTIFIED,
        )
