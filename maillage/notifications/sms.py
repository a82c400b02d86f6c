"""SMS sending behind an interface.

No provider is reachable from here: the logging backend is the embedded default, and a real one
is a class with the same `send` (see README, "SMS").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str


class SmsBackend(Protocol):
    def send(self, message: SmsMessage) -> None: ...


class LoggingSmsBackend:
    """Logs that an SMS would leave, without its number or text (they are personal data)."""

    def send(self, message: SmsMessage) -> None:
        logger.info("sms sent (logging backend)", extra={"length": len(message.body)})


class LocmemSmsBackend:
    """Keeps messages in memory, for tests (like Django's locmem e-mail backend)."""

    outbox: ClassVar[list[SmsMessage]] = []

    def send(self, message: SmsMessage) -> None:
        self.outbox.append(message)


def get_sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


def send_sms(*, to: str, body: str) -> None:
    get_sms_backend().send(SmsMessage(to=to, body=body))
