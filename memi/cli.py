"""Operator commands: seed, create-admin, demo-data, worker, sweep-media, translate (extract/update/compile)."""

import logging
import socket
import time
from datetime import timedelta

import click
from flask_babel import force_locale

from memi import catalogue, demo
from memi.auth.services import create_admin as create
from memi.categories.services import seed_taxonomy
from memi.errors import DomainError
from memi.extensions import db
from memi.jobs import runner, tasks
from memi.mail.services import deliver_due
from memi.uploads.sweep import sweep_orphans


def register_cli(app):
    @app.cli.command("seed")
    def seed():
        """Insert the category taxonomy (idempotent)."""

        added = seed_taxonomy()
        db.session.commit()
        click.echo(f"Seeded taxonomy: {added} new rows.")

    @app.cli.command("create-admin")
    @click.option("--email", required=True)
    @click.option("--password", required=True)
    @click.option("--name", default="Admin")
    def create_admin(email, password, name):
        """Create an admin account (or promote an existing one)."""

        try:
            user = create(email, password, name)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            with force_locale("en"):  # operator commands speak English, like the rest of the CLI
                details = "; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in exc.fields.items())
                raise click.ClickException(f"{exc.message} {details}".strip()) from None
        click.echo(f"Admin ready: {user.email} (id {user.id})")

    @app.cli.command("demo-data")
    @click.option("--users", default=50, show_default=True, type=click.IntRange(min=1), help="Demo sellers to add.")
    @click.option("--products", default=500, show_default=True, type=click.IntRange(min=0), help="Listings to add.")
    @click.option("--seed", default=None, type=int, help="Random seed, for the same data again.")
    @click.option("--photos/--no-photos", default=True, show_default=True, help="Attach generated photos.")
    def demo_data(users, products, seed, photos):
        """Add demo sellers and realistic listings (for trying the app and for `make bench`).

        Sellers sign in as demo<n>@memi.test with the password "demo-password". Runs `flask seed`'s
        taxonomy first if there are no categories.
        """

        started = time.perf_counter()
        stats = demo.generate(
            users=users,
            products=products,
            seed=demo.DEFAULT_SEED if seed is None else seed,
            with_photos=photos,
            log=click.echo,
        )
        db.session.commit()
        commit_done = time.perf_counter()
        demo.analyze()
        db.session.commit()
        click.echo(
            f"Added {stats['users']} users, {stats['products']} listings, {stats['images']} photo rows, "
            f"{stats['terms']} vocabulary words in {time.perf_counter() - started:.1f}s "
            f"(commit {commit_done - started - stats['timings']['total']:.1f}s, "
            f"index clean-up and analyze {time.perf_counter() - commit_done:.1f}s). Password: {demo.DEMO_PASSWORD}"
        )

    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="Deliver the email that is due and exit.")
    def worker(once):
        """Run the background jobs (memi.jobs): the email outbox relay every WORKER_POLL_SECONDS (SMTP
        failures retried with backoff), the orphan media sweep every MEDIA_SWEEP_INTERVAL_SECONDS, and
        whatever else is queued. Stops gracefully on SIGTERM or SIGINT."""
        # smtplib has no timeout of its own; a stuck SMTP server must not stall the worker forever.
        socket.setdefaulttimeout(app.config["MAIL_TIMEOUT"])
        if once:
            try:
                sent, failed = deliver_due()
            except Exception:
                db.session.rollback()
                logging.getLogger("memi.worker").exception("worker round failed")
                sent, failed = 0, 1
            finally:
                db.session.remove()
            click.echo(f"sent {sent}, failed {failed}")
            return
        tasks.apply_config(app.config)
        log = logging.getLogger("memi.worker")
        log.info(
            "worker started (%s queue, %s threads, poll every %ss)",
            runner.backend(app.config),
            app.config["JOBS_WORKERS"],
            app.config["WORKER_POLL_SECONDS"],
        )
        runner.run_consumer(
            app,
            workers=app.config["JOBS_WORKERS"],
            periodic=app.config["JOBS_PERIODIC"],
            shutdown_timeout=app.config["JOBS_SHUTDOWN_SECONDS"],
        )

    @app.cli.command("sweep-media")
    @click.option("--dry-run", is_flag=True, help="List the orphan files, delete nothing.")
    @click.option(
        "--older-than-hours",
        type=click.FloatRange(min=0),
        default=None,
        help="Age from which an orphan is deleted (default MEDIA_SWEEP_AGE_HOURS).",
    )
    def sweep_media(dry_run, older_than_hours):
        """Delete stored photo files that no listing or profile refers to and that are older than a day."""

        older_than = None if older_than_hours is None else timedelta(hours=older_than_hours)
        try:
            result = sweep_orphans(older_than=older_than, dry_run=dry_run)
        except DomainError as exc:  # storage unreachable
            raise click.ClickException(exc.message)
        for key in result.deleted:
            click.echo(f"{'orphan' if dry_run else 'deleted'} {key}")
        click.echo(
            f"{len(result.deleted)} orphan file(s) {'found' if dry_run else 'deleted'}; "
            f"{result.checked} checked, {result.referenced} in use, {result.young} too recent to judge; "
            f"{result.expired_drafts} expired photo draft(s) {'found' if dry_run else 'removed'}."
        )

    @app.cli.group("translate")
    def translate():
        """Translation catalogues: extract, update, compile (see memi/catalogue.py)."""

    @translate.command("extract")
    def translate_extract():
        """Extract every marked message into memi/translations/messages.pot."""

        template = catalogue.write_template()
        click.echo(f"{len(catalogue.msgids(template))} messages in {catalogue.TEMPLATE.relative_to(catalogue.ROOT)}")

    @translate.command("update")
    def translate_update():
        """Extract, then merge the new messages into every locale's messages.po."""

        template = catalogue.write_template()
        for locale, po in catalogue.update(template).items():
            missing = sum(1 for m in po if m.id and (not m.string or m.fuzzy or not all(m.string)))
            click.echo(f"{locale}: {len(catalogue.msgids(po))} messages, {missing} to translate or check")

    @translate.command("compile")
    @click.option("--force", is_flag=True, help="Compile even the catalogues whose .mo is up to date.")
    def translate_compile(force):
        """Compile each messages.po into messages.mo (fuzzy entries left out)."""

        compiled = catalogue.compile_catalogs(force=force)
        click.echo(f"compiled: {', '.join(compiled) or 'nothing (up to date)'}")

    @translate.command("merge")
    @click.argument("directory", type=click.Path(exists=True, file_okay=False))
    def translate_merge(directory):
        """Take the translations of DIRECTORY/<locale>/LC_MESSAGES/messages.po (a translator's copy) for
        our messages that have none yet; then run `flask translate compile`."""

        for locale, count in catalogue.merge_translations(directory).items():
            click.echo(f"{locale}: {count} translations merged")

    @translate.command("init")
    @click.argument("locale")
    def translate_init(locale):
        """Start the catalogue of a new language from messages.pot."""

        catalogue.init(locale)
        click.echo(f"{catalogue.po_path(locale).relative_to(catalogue.ROOT)} created")
