"""Operator commands: seed, create-admin, worker."""

import logging
import socket
import time

import click

from memi.extensions import db


def register_cli(app):
    @app.cli.command("seed")
    def seed():
        """Insert the category taxonomy (idempotent)."""
        from memi.categories.services import seed_taxonomy

        added = seed_taxonomy()
        db.session.commit()
        click.echo(f"Seeded taxonomy: {added} new rows.")

    @app.cli.command("create-admin")
    @click.option("--email", required=True)
    @click.option("--password", required=True)
    @click.option("--name", default="Admin")
    def create_admin(email, password, name):
        """Create an admin account (or promote an existing one)."""
        from memi.auth.services import create_admin as create
        from memi.errors import DomainError

        try:
            user = create(email, password, name)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
            raise click.ClickException(f"{exc.message} {details}".strip())
        click.echo(f"Admin ready: {user.email} (id {user.id})")

    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="Deliver what is due and exit.")
    def worker(once):
        """Deliver queued email from the outbox, retrying with backoff while SMTP is down."""
        from memi.mail.services import deliver_due

        # smtplib has no timeout of its own; a stuck SMTP server must not stall the worker forever.
        socket.setdefaulttimeout(app.config["MAIL_TIMEOUT"])
        log = logging.getLogger("memi.worker")
        poll = app.config["WORKER_POLL_SECONDS"]
        log.info("worker started (poll every %ss)", poll)
        while True:
            try:
                sent, failed = deliver_due()
            except Exception:
                db.session.rollback()
                log.exception("worker round failed")
                sent = failed = 0
            finally:
                db.session.remove()
            if once:
                click.echo(f"sent {sent}, failed {failed}")
                return
            if not sent:
                time.sleep(poll)
