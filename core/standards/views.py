"""The survey page (no sign-in needed), the director's report and the operation plan."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from core.audit import record as audit
from core.auth.permissions import has_installation_scope, require_permission
from core.db import db
from core.i18n import gettext as _
from core.i18n.collation import thai_order
from core.i18n.fiscal import fiscal_year
from core.i18n.thaidate import today
from core.org.models import OrgUnit, OrgUnitKind
from core.standards import presentation
from core.standards.events import REPORT_EXPORTED
from core.standards.forms import SurveyForm
from core.standards.plan import operation_plan
from core.standards.report import build_report
from core.standards.survey import (
    QUESTIONNAIRE,
    LinkProblem,
    SurveyAnswersError,
    SurveyLinkError,
    record_for_token,
    submit,
)

REPORT = "core.standards.report"
FIRST_YEAR, LAST_YEAR = 2500, 2700  # Buddhist Era: anything outside is a typing slip

bp = Blueprint("standards", __name__)

LINK_STATUS = {LinkProblem.INVALID: 404, LinkProblem.EXPIRED: 410, LinkProblem.ANSWERED: 409}


@bp.route("/survey/<token>", methods=("GET", "POST"))
def survey(token: str):
    """The requester rates a finished service; the signed link stands in for signing in."""
    try:
        service = record_for_token(token)
    except SurveyLinkError as exc:
        return render_template("core/standards/survey_closed.html", problem=exc.problem), LINK_STATUS[
            exc.problem
        ]
    form = SurveyForm()
    if form.validate_on_submit():
        scores = {a.key: getattr(form, a.key.replace(".", "__")).data for x in QUESTIONNAIRE for a in x.items}
        respondent = current_user if current_user.is_authenticated else None
        try:
            submit(service, scores, form.comment.data, respondent)
        except SurveyLinkError as exc:
            return render_template("core/standards/survey_closed.html", problem=exc.problem), 409
        except SurveyAnswersError:  # the form checks the same; kept for a forged request
            abort(400)
        db.session.commit()
        return render_template("core/standards/survey_thanks.html", service=service)
    return render_template(
        "core/standards/survey.html", service=service, form=form, questionnaire=QUESTIONNAIRE
    )


@bp.route("/reports/services")
@require_permission(REPORT)
def report():
    office, offices = _office()
    year, quarter, problems = _period()
    result = build_report(office.id, year, quarter) if office else None
    return render_template(
        "core/standards/report.html",
        report=result,
        office=office,
        offices=offices,
        years=_years(),
        problems=problems,
        **(presentation.report_context(result) if result else {}),
    )


@bp.route("/reports/services.<any(pdf, xlsx):kind>")
@require_permission(REPORT)
def report_file(kind: str):
    office, _offices = _office()
    if office is None:
        abort(404)
    year, quarter, _problems = _period()
    result = build_report(office.id, year, quarter)
    audit(REPORT_EXPORTED, data={"office": office.id, "year": year, "quarter": quarter, "format": kind})
    db.session.commit()
    return presentation.report_download(result, office, kind)


@bp.route("/reports/plan")
@bp.route("/reports/plan.<any(pdf):kind>")
@require_permission(REPORT)
def plan(kind: str | None = None):
    office, offices = _office()
    year, _quarter, problems = _period()
    rows = operation_plan(office.id) if office else []
    if kind == "pdf" and office is not None:
        audit(REPORT_EXPORTED, data={"office": office.id, "year": year, "plan": True, "format": kind})
        db.session.commit()
        return presentation.plan_download(rows, office, year)
    return render_template(
        "core/standards/plan.html",
        rows=rows,
        office=office,
        offices=offices,
        year=year,
        years=_years(),
        problems=problems,
        plan_months=presentation.plan_months,
    )


def _office() -> tuple[OrgUnit | None, list[OrgUnit]]:
    """The reader's own office; an installation administrator chooses with ``?office=``."""
    if not has_installation_scope(current_user, REPORT):
        return current_user.office, []
    offices = list(
        db.session.scalars(
            select(OrgUnit).where(OrgUnit.kind == OrgUnitKind.OFFICE).order_by(thai_order(OrgUnit.name))
        )
    )
    wanted = request.args.get("office", type=int)
    chosen = next((o for o in offices if o.id == wanted), offices[0] if offices else None)
    return chosen, offices


def _period() -> tuple[int, int | None, list[str]]:
    """The fiscal year and quarter asked for; nonsense falls back to the current year, said so."""
    current = fiscal_year(today())
    year = request.args.get("year", type=int, default=current)
    quarter = request.args.get("quarter", type=int)
    problems = []
    if not FIRST_YEAR <= year <= LAST_YEAR:
        year = current
        problems.append(_("Give the fiscal year in the Buddhist Era, for example %(year)d.", year=current))
    if quarter is not None and quarter not in (1, 2, 3, 4):
        quarter = None
        problems.append(_("A fiscal year has quarters 1 to 4; the whole year is shown."))
    return year, quarter, problems


def _years() -> list[int]:
    current = fiscal_year(today())
    return list(range(current, current - 6, -1))
