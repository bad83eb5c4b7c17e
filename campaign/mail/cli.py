"""`flask mail send` drains the outbox once; `flask mail worker` keeps draining it, one thread
per transport, so that a slow webhook receiver never holds back a confirmation mail."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections import Counter
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from campaign.extensions import db
from campaign.mail.bounces import parse_bounce, read_imap, record_bounce
from campaign.mail.delivery import TRANSPORTS, drain_outbox
from campaign.mail.services import erase_old_messages, pending_count

mail_cli = AppGroup("mail", help="Deliver the messages waiting in the outbox.")
log = logging.getLogger(__name__)

# How often a worker erases the personal data of messages past their retention period.
ERASE_EVERY_SECONDS = 3600
# The longest pause after rounds that only failed (a mail server that is down).
MAX_PAUSE_SECONDS = 60.0


@mail_cli.command("send")
def send_command() -> None:
    """Send every message that is due, once."""
    sent, failed = drain_outbox()
    click.echo(f"sent {sent}, failed attempts {failed}, still queued {pending_count()}")


@mail_cli.command("bounces")
@click.option("--file", "files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Read this .eml file instead of the IMAP mailbox (repeatable).")
@click.option("--delete", is_flag=True,
              help="Delete each message from the mailbox once recorded (default: mark it read).")
def bounces_command(files: tuple[str, ...], delete: bool) -> None:
    """Read bounces and complaints from the bounce mailbox over IMAP (BOUNCE_IMAP_*), mark
    the messages they are about and suppress the addresses that bounced for good or
    complained."""
    config = current_app.config
    if files:
        source = ((Path(name).read_bytes(), lambda: None) for name in files)
    else:
        try:
            source = read_imap(config, delete=delete)
        except RuntimeError as error:
            raise click.UsageError(str(error)) from None
    tally: Counter = Counter()
    for raw, done in source:
        outcome = record_bounce(parse_bounce(raw, config))
        db.session.commit()
        done()  # only once recorded: a message that failed is read again next time
        tally[outcome.bounce.kind] += 1
        tally["suppressed"] += outcome.suppressed is not None
    click.echo(f"read {sum(tally[k] for k in ('hard', 'soft', 'complaint', 'unknown'))} "
               f"messages: {tally['hard']} hard bounces, {tally['soft']} soft bounces, "
               f"{tally['complaint']} complaints, {tally['unknown']} not reports; "
               f"{tally['suppressed']} addresses suppressed")


@mail_cli.command("worker")
@click.option("--interval", type=float, default=None, help="Seconds between polls when idle.")
@click.option("--transport", "transports", type=click.Choice(TRANSPORTS), multiple=True,
              help="Deliver only this transport (mail or http); both by default.")
def worker_command(interval: float | None, transports: tuple[str, ...]) -> None:
    """Keep sending due messages until stopped (SIGINT or SIGTERM)."""
    interval = interval or current_app.config["MAIL_WORKER_INTERVAL"]
    transports = transports or TRANSPORTS
    stopping = threading.Event()

    def stop(signum, frame):
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(f"mail worker: backend {current_app.config['MAIL_BACKEND']}, transports "
               f"{', '.join(transports)}, polling every {interval}s")
    app = current_app._get_current_object()
    threads = [threading.Thread(target=_deliver_until_stopped,
                                args=(app, transport, interval, stopping),
                                name=f"outbox-{transport}", daemon=True)
               for transport in transports]
    for thread in threads:
        thread.start()
    while not stopping.is_set() and any(thread.is_alive() for thread in threads):
        stopping.wait(0.5)
    stopping.set()
    for thread in threads:
        thread.join(timeout=30)
    click.echo("mail worker: stopped")


def _deliver_until_stopped(app, transport: str, interval: float,
                           stopping: threading.Event) -> None:
    """One transport's loop, in its own application context and database session. Nothing a
    message or the database does ends it: it logs, pauses and goes on."""
    with app.app_context():
        failing_rounds = 0
        next_erasure = 0.0
        while not stopping.is_set():
            try:
                if transport == "mail" and time.monotonic() >= next_erasure:
                    erase_old_messages(app.config["OUTBOX_RETENTION_DAYS"])
                    db.session.commit()
                    next_erasure = time.monotonic() + ERASE_EVERY_SECONDS
                sent, failed = drain_outbox((transport,))
            except Exception as error:  # the worker must outlive anything one round meets
                db.session.rollback()
                log.error("mail worker (%s): a round failed: %s", transport,
                          type(error).__name__)
                click.echo(f"mail worker: {transport} round failed ({type(error).__name__}); "
                           f"retrying", err=True)
                sent, failed = 0, 1
            finally:
                db.session.remove()
            if sent:
                click.echo(f"mail worker: sent {sent} ({transport})")
                failing_rounds = 0
                continue
            failing_rounds = failing_rounds + 1 if failed else 0
            stopping.wait(min(interval * 2 ** failing_rounds, max(interval, MAX_PAUSE_SECONDS)))

