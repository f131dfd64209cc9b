"""``khet saraban destruction-list``: draft the year's destruction lists (run it yearly from cron)."""

from __future__ import annotations

import re

import click
from flask import Flask

from core.cli.base import with_app
from core.db import db
from core.i18n.thaidate import be_year
from core.org.models import OrgUnit
from core.plugins.offices import enabled_for_office
from plugins.saraban.retention import services
from plugins.saraban.retention.services import Drafted, RetentionError

BE_OFFSET = 543


@click.group("saraban")
def saraban() -> None:
    """Official correspondence (saraban)."""


@saraban.command("destruction-list")
@click.option(
    "--year",
    "year_text",
    metavar="YYYY",
    help="The year whose list to draft (C.E. or B.E.); last year by default.",
)
@click.option(
    "--office",
    "office_code",
    metavar="CODE",
    help="Only this office (its code); every office using saraban by default.",
)
@with_app
def destruction_list(app: Flask, year_text: str | None, office_code: str | None) -> None:
    """Draft the destruction list (บัญชีหนังสือขอทำลาย) of a year that has ended.

    Lists the letters whose retention ended in that year or earlier and that are on no earlier
    list, one list per office and year. Running it again changes nothing and says so.
    """
    year = _year(year_text)
    if year > services.closed_year():
        raise click.ClickException(
            f"{year} (B.E. {be_year(year)}) has not ended: a destruction list is drafted after 31 December."
        )
    offices = [_office(office_code)] if office_code else services.saraban_offices()
    if not offices:
        click.echo("No office has saraban switched on.")
        return
    for office_id in offices:
        try:
            outcome = services.draft_list(office_id, year)
        except RetentionError as error:
            raise click.ClickException(str(error.message)) from None
        db.session.commit()
        name = db.session.get(OrgUnit, office_id).name
        click.echo(f"{name}: {_said(outcome, year)}")


def _year(text: str | None) -> int:
    """A four-digit year, B.E. (from 2400) or C.E.; last year by default. One line when wrong."""
    if text is None:
        return services.closed_year()
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise click.ClickException(f"--year must be a year of four digits (e.g. 2025 or 2568), not {text!r}.")
    year = int(text)
    return year - BE_OFFSET if year >= 2400 else year


def _office(code: str) -> int:
    office = services.office_by_code(code.strip())
    if office is None:
        raise click.ClickException(f"No office has the code {code!r}.")
    if "saraban" not in enabled_for_office(office.id):
        raise click.ClickException(f"Saraban is not switched on for {office.name} ({code}).")
    return office.id


def _said(outcome: services.DraftOutcome, year: int) -> str:
    span = f"{year} (B.E. {be_year(year)})"
    if outcome.outcome is Drafted.DRAFTED:
        return f"drafted the destruction list of {span} with {outcome.count} letters."
    if outcome.outcome is Drafted.EXISTS:
        return f"the destruction list of {span} exists already; nothing changed."
    return f"no letter's retention ended in {span} or earlier; nothing to list."
