"""`flask mail send` drains the outbox once; `flask mail worker` keeps draining it."""

from __future__ import annotations

import signal
import time

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from campaign.extensions import db
from campaign.mail.services import drain_outbox, pending_count

mail_cli = AppGroup("mail", help="Deliver the messages waiting in the outbox.")


@mail_cli.command("send")
def send_command() -> None:
    """Send every message that is due, once."""
    sent, failed = drain_outbox()
    click.echo(f"sent {sent}, failed attempts {failed}, still queued {pending_count()}")


@mail_cli.command("worker")
@click.option("--interval", type=float, default=None, help="Seconds between polls when idle.")
def worker_command(interval: float | None) -> None:
    """Keep sending due messages until stopped (SIGINT or SIGTERM)."""
    interval = interval or current_app.config["MAIL_WORKER_INTERVAL"]
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(f"mail worker: backend {current_app.config['MAIL_BACKEND']}, polling every "
               f"{interval}s")
    while not stopping:
        try:
            sent, _failed = drain_outbox()
        except OperationalError as error:
            db.session.rollback()
            click.echo(f"mail worker: database unavailable ({error.orig!r}); retrying", err=True)
            sent = 0
        if sent:
            click.echo(f"mail worker: sent {sent}")
        else:
            time.sleep(interval)
    click.echo("mail worker: stopped")
