"""Secure health messaging (MSSanté) behind an interface.

No MSSanté operator is reachable from here. The local backend keeps messages in the platform
(the recipient is notified in-app, the outbox is inspectable in tests); the SMTP backend talks
to an operator's mail server with the platform's certificate (README, "MSSanté").
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SmtpEmailBackend
from django.utils.functional import cached_property
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MSSanteAttachment:
    name: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class MSSanteMessage:
    to: str
    subject: str
    body: str
    attachments: tuple[MSSanteAttachment, ...] = field(default_factory=tuple)


class MSSanteError(Exception):
    """The operator refused or could not be reached: the delivery is marked failed."""


class MSSanteBackend(Protocol):
    def send(self, message: MSSanteMessage) -> None: ...


class LocalMSSanteBackend:
    """The embedded default: keeps the message in memory.

    It logs that a message left, without its address or content (both are health data).
    """

    outbox: ClassVar[list[MSSanteMessage]] = []

    def send(self, message: MSSanteMessage) -> None:
        if "@" not in message.to:
            raise MSSanteError("not an MSSanté address")
        type(self).outbox.append(message)
        logger.info(
            "mssante message kept (local backend)", extra={"attachments": len(message.attachments)}
        )


class SmtpMSSanteBackend:
    """An MSSanté operator's SMTP server over TLS with the platform's client certificate.

    Settings: MSSANTE_SMTP_HOST, MSSANTE_SMTP_PORT, MSSANTE_SENDER, MSSANTE_CLIENT_CERT and
    MSSANTE_CLIENT_KEY (paths), MSSANTE_CA_FILE (the IGC Santé chain).
    """

    def send(self, message: MSSanteMessage) -> None:
        connection = _CertificateSmtpBackend(
            host=settings.MSSANTE_SMTP_HOST,
            port=settings.MSSANTE_SMTP_PORT,
            use_tls=True,
            timeout=30,
        )
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.MSSANTE_SENDER,
            to=[message.to],
            connection=connection,
        )
        for attachment in message.attachments:
            email.attach(attachment.name, attachment.content, attachment.mimetype)
        try:
            email.send(fail_silently=False)
        except (OSError, ssl.SSLError) as error:
            raise MSSanteError(type(error).__name__) from error


class _CertificateSmtpBackend(SmtpEmailBackend):
    """Django's SMTP backend with the IGC Santé chain and the platform's client certificate."""

    @cached_property
    def ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=settings.MSSANTE_CA_FILE or None)
        if settings.MSSANTE_CLIENT_CERT:
            context.load_cert_chain(
                settings.MSSANTE_CLIENT_CERT, settings.MSSANTE_CLIENT_KEY or None
            )
        return context


def send_mssante(message: MSSanteMessage) -> None:
    """Send through the configured backend. Raises MSSanteError when it does not go."""
    backend: MSSanteBackend = import_string(settings.MSSANTE_BACKEND)()
    backend.send(message)
