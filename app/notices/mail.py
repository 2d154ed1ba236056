"""E-mail beside in-app notices, when an SMTP server is configured (MAIL_SERVER)."""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from app.core.text import one_line

log = logging.getLogger(__name__)


def mail_enabled() -> bool:
    return bool(current_app.config["MAIL_SERVER"])


def send(recipients: list[str], subject: str, body: str) -> int:
    """Sends one message per recipient; returns how many were accepted by the server.

    A failing server is logged and reported as zero sent: a reminder in the app still works.
    """
    if not mail_enabled() or not recipients:
        return 0
    # A header is one line: CR/LF typed into a title would make EmailMessage refuse it (or,
    # with a lax policy, start a header of the user's choosing).
    subject = one_line(subject)
    config = current_app.config
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            for recipient in recipients:
                message = EmailMessage()
                message["From"] = config["MAIL_SENDER"]
                message["To"] = recipient
                message["Subject"] = subject
                message.set_content(body)
                smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("Sending e-mail through %s failed", config["MAIL_SERVER"])
        return 0
    return len(recipients)
