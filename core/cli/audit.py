"""``khet audit``: prove the audit trail intact, seal it, and purge old traffic data."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask

from core.cli.base import with_app


@click.group("audit")
def audit() -> None:
    """Verify, seal and purge the audit trail."""


@audit.command("verify")
@click.option(
    "--seals",
    "seal_paths",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Seal files or folders of them to check the trail against (repeatable).",
)
@with_app
def audit_verify(app: Flask, seal_paths: tuple[Path, ...]) -> None:
    """Walk every chain; exit 1 naming the first event that does not verify."""
    from core.audit.chain import verify_chain
    from core.audit.models import AuditChain
    from core.audit.retention import check_seals, read_seals
    from core.db import db

    connection = db.session.connection()
    problems = []
    for chain in AuditChain:
        report = verify_chain(connection, chain)
        if report.problem:
            problems.append(report.problem)
        else:
            click.echo(f"{chain}: {report.checked} events verified, head {report.head_hash[:16]}…")
    if seal_paths and not problems:
        try:
            seals = read_seals(_seal_files(seal_paths))
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        problem = check_seals(connection, seals)
        if problem:
            problems.append(problem)
        else:
            click.echo(f"{len(seals)} seals match.")
    for problem in problems:
        click.echo(f"BROKEN: {problem}", err=True)
    sys.exit(1 if problems else 0)


def _seal_files(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("audit-seal-*.json")) if path.is_dir() else [path])
    return files


@audit.command("seal")
@click.option(
    "--output",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Folder for the seal file, or - to print it (to mail it, say). Default: <instance>/audit-seals.",
)
@with_app
def audit_seal(app: Flask, output: Path | None) -> None:
    """Write the head hash of each chain to a file kept outside the database (run it daily)."""
    from core.audit.retention import AuditIntegrityError, make_seal, write_seal
    from core.db import db

    try:
        seal = make_seal(db.session.connection())
    except AuditIntegrityError as exc:
        raise click.ClickException(f"not sealed: {exc}") from None
    db.session.commit()
    if output is not None and str(output) == "-":
        click.echo(json.dumps(seal, indent=2, sort_keys=True))
        return
    path = write_seal(seal, output or Path(app.instance_path) / "audit-seals")
    click.echo(f"Sealed: {path}")


@audit.command("purge")
@click.option("--dry-run", is_flag=True, help="Only say how many events would go.")
@with_app
def audit_purge(app: Flask, dry_run: bool) -> None:
    """Delete traffic events older than KHET_AUDIT_RETENTION_DAYS (at least 90); record history stays."""
    from core.audit.retention import AuditIntegrityError, purge_traffic
    from core.db import db
    from core.state import khet

    days = khet().settings.audit_retention_days
    try:
        result = purge_traffic(db.session.connection(), days, dry_run=dry_run)
    except AuditIntegrityError as exc:
        raise click.ClickException(f"nothing purged: {exc}") from None
    db.session.commit()
    verb = "Would remove" if dry_run else "Removed"
    click.echo(f"{verb} {result.removed} traffic events older than {days} days.")
