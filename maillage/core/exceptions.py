"""Domain errors raised by services and translated into responses at the edges (STYLE rule 5)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A use case refused: the message is safe to show to the user (no health data)."""

    default_message: str | Promise = ""

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))


class NotAllowed(DomainError):
    """The actor may not perform this action (translated to 403 or 404 by the view)."""

    default_message = _("Vous ne pouvez pas faire cela.")
