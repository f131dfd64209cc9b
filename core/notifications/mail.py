"""Core's ``email`` channel: plain-text mail through the SMTP server of ``KHET_SMTP_URL``.

Without an SMTP server the message is written to the log instead and the delivery is
marked ``logged``: a development machine or a fresh installation never fails on e-mail.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from core.auth.models import User
from core.config import Settings, SmtpSettings
from core.i18n import gettext as _
from core.notifications.models import DeliveryStatus, Notification
from core.plugins.contributions import NotificationChannel
from core.state import khet

log = logging.getLogger(__name__)

SMTP_TIMEOUT = 30  # seconds: a server that does not answer fails the attempt, which is retried
SUBJECT_LENGTH = 150
FALLBACK_SENDER = "khet@localhost"  # only ever seen in the log


def compose(notification: Notification, recipient: User, settings: Settings) -> EmailMessage:
    """The message in the recipient's language (the caller has selected it)."""
    return message_to(
        recipient.name,
        recipient.email,
        _subject(notification),
        _body(notification, settings.base_url),
        settings,
    )


def message_to(name: str, address: str, subject: str, body: str, settings: Settings) -> EmailMessage:
    """A plain-text message from Khet to one person."""
    sender = settings.mail_from or FALLBACK_SENDER
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = Address(display_name=name, addr_spec=address)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid("khet", domain=parseaddr(sender)[1].partition("@")[2] or "localhost")
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    message.set_content(body)
    return message


def _subject(notification: Notification) -> str:
    subject = f"{notification.title}: {notification.text}"
    return subject if len(subject) <= SUBJECT_LENGTH else subject[: SUBJECT_LENGTH - 1] + "…"


def _body(notification: Notification, base_url: str | None) -> str:
    lines = [notification.text, ""]
    if notification.url and base_url:
        lines += [_("Open it in Khet: %(url)s", url=base_url + notification.url), ""]
    else:
        lines += [_("Sign in to Khet to see it."), ""]
    lines += ["-- ", _("Khet sent this message automatically; please do not reply to it.")]
    return "\n".join(lines)


def send_smtp(smtp: SmtpSettings, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    if smtp.tls:
        server: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=SMTP_TIMEOUT, context=context)
    else:
        server = smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT)
    with server:
        if smtp.starttls:
            server.starttls(context=context)
        if smtp.username:
            server.login(smtp.username, smtp.password or "")
        server.send_message(message)


def send_email(notification: Notification, recipient: User) -> DeliveryStatus:
    settings = khet().settings
    return send_message(compose(notification, recipient, settings), settings)


def send_message(message: EmailMessage, settings: Settings) -> DeliveryStatus:
    """Send through the SMTP server, or write to the log when there is none."""
    if settings.smtp is None:
        # A warning, so that it shows with Python's default logging (no set-up needed to see it).
        log.warning(
            "KHET_SMTP_URL is not set: e-mail logged, not sent\nTo: %s\nSubject: %s\n\n%s",
            message["To"],
            message["Subject"],
            message.get_content(),
        )
        return DeliveryStatus.LOGGED
    send_smtp(settings.smtp, message)
    return DeliveryStatus.SENT


def _has_address(recipient: User) -> bool:
    return bool(recipient.email)


EMAIL_CHANNEL = NotificationChannel("email", send=send_email, reaches=_has_address)
