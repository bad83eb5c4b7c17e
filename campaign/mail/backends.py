"""Ways to hand a message over: an SMTP server, .eml files, or a list kept in memory."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from flask import Flask

from campaign.mail.deliverability import Outgoing


class MailBackend(Protocol):
    def open(self) -> None: ...

    def send(self, outgoing: Outgoing) -> None: ...

    def close(self) -> None: ...


class MemoryBackend:
    """Keeps sent messages in a list; for tests."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []
        self.recipients: list[str] = []
        self.envelope_senders: list[str] = []

    def open(self) -> None:
        pass

    def send(self, outgoing: Outgoing) -> None:
        self.sent.append(outgoing.email)
        self.recipients.append(outgoing.recipient)
        self.envelope_senders.append(outgoing.envelope_from)

    def close(self) -> None:
        pass


class FileBackend:
    """Writes each message as an .eml file that any mail program opens; for development."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)

    def send(self, outgoing: Outgoing) -> None:
        outbox_id = outgoing.email["X-Campaign-Outbox-Id"] or "message"
        path = self.directory / f"{outbox_id.zfill(8)}.eml"
        # The bytes SMTP would send (UTF-8 headers for a non-ASCII address, RFC 6532), with
        # the line ends of the machine's own files.
        path.write_bytes(outgoing.raw.replace(b"\r\n", b"\n"))

    def close(self) -> None:
        pass


class SmtpBackend:
    """Sends through an SMTP server, one connection per batch."""

    def __init__(self, host: str, port: int, username: str | None, password: str | None,
                 use_tls: bool, timeout: float = 30.0) -> None:
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.use_tls, self.timeout = use_tls, timeout
        self._connection: smtplib.SMTP | None = None

    def open(self) -> None:
        connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.use_tls:
            connection.starttls()
        if self.username:
            connection.login(self.username, self.password or "")
        self._connection = connection

    def send(self, outgoing: Outgoing) -> None:
        if self._connection is None:
            self.open()
        assert self._connection is not None
        # The envelope names the one recipient given, never what the headers parse to, and
        # the bytes go unchanged, as their DKIM signature covers them.
        options = ["SMTPUTF8", "BODY=8BITMIME"] if outgoing.smtputf8 else []
        self._connection.sendmail(outgoing.envelope_from, [outgoing.recipient], outgoing.raw,
                                  mail_options=options)

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.quit()
            except smtplib.SMTPException:
                self._connection.close()
            self._connection = None


def get_backend(app: Flask) -> MailBackend:
    """The application's backend, built once from MAIL_BACKEND."""
    backend = app.extensions.get("campaign.mail_backend")
    if backend is not None:
        return backend
    name = app.config["MAIL_BACKEND"]
    if name == "memory":
        backend = MemoryBackend()
    elif name == "file":
        backend = FileBackend(
            Path(app.config["MAIL_FILE_DIRECTORY"] or Path(app.instance_path) / "outbox")
        )
    elif name == "smtp":
        backend = SmtpBackend(
            app.config["MAIL_SERVER"],
            int(app.config["MAIL_PORT"]),
            app.config["MAIL_USERNAME"],
            app.config["MAIL_PASSWORD"],
            bool(app.config["MAIL_USE_TLS"]),
        )
    else:
        raise ValueError(f"MAIL_BACKEND must be smtp, file or memory, not {name!r}")
    app.extensions["campaign.mail_backend"] = backend
    return backend
