"""Thin handlers of equipment loans; the work is in ``services``."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from core.approvals.views import latest_request
from core.auth.permissions import can, require_permission
from core.db import db
from core.documents.download import download
from core.documents.pdf import render_pdf
from core.i18n import gettext as _
from plugins.helpdesk.loans import services
from plugins.helpdesk.loans.forms import LoanForm, ReturnForm
from plugins.helpdesk.loans.models import CONDITION_LABELS, Condition, Loan, LoanStatus
from plugins.helpdesk.loans.services import LEND, LoanError

BORROW = "helpdesk.ticket.create"  # whoever may ask the centre for a service may borrow from it

bp = Blueprint("helpdesk_loans", __name__, url_prefix="/helpdesk/loans")


@bp.route("/")
@require_permission(BORROW)
def index():
    lender = can(current_user, LEND) and current_user.office_id is not None
    return render_template(
        "helpdesk/loans/index.html",
        mine=services.loans_of(current_user),
        open_loans=services.open_loans(current_user.office_id) if lender else None,
    )


@bp.route("/new", methods=("GET", "POST"))
@require_permission(BORROW)
def new():
    form = LoanForm()
    if form.validate_on_submit():
        try:
            loan = services.request_loan(
                current_user,
                form.items.data,
                form.purpose.data,
                form.start_on.data,
                form.due_on.data,
                (form.asset_number.data or "").strip() or None,
            )
        except LoanError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Loan %(number)s was sent for approval.", number=loan.number), "success")
            return redirect(url_for(".show", loan_id=loan.id))
    return render_template("helpdesk/loans/new.html", form=form)


@bp.route("/<int:loan_id>")
@login_required
def show(loan_id: int):
    loan = _visible(loan_id)
    return render_template(
        "helpdesk/loans/loan.html",
        loan=loan,
        lender=can(current_user, LEND),
        return_form=ReturnForm(),
        statuses=LoanStatus,
        conditions=CONDITION_LABELS,
    )


@bp.post("/<int:loan_id>/hand-out")
@require_permission(LEND)
def hand_out(loan_id: int):
    loan = _visible(loan_id)
    _apply(lambda: services.hand_out(loan, current_user))
    return redirect(url_for(".show", loan_id=loan_id))


@bp.post("/<int:loan_id>/return")
@require_permission(LEND)
def take_back(loan_id: int):
    loan = _visible(loan_id)
    form = ReturnForm()
    if form.validate_on_submit():
        _apply(lambda: services.take_back(loan, current_user, Condition(form.condition.data), form.note.data))
    return redirect(url_for(".show", loan_id=loan_id))


@bp.route("/<int:loan_id>.pdf")
@login_required
def form_pdf(loan_id: int):
    """The loan form as printed for the file, with the approval filled in."""
    loan = _visible(loan_id)
    request = latest_request(services.SUBJECT, loan.id)
    data = render_pdf(
        "helpdesk/loans/loan_print.html", loan=loan, approval=request, conditions=CONDITION_LABELS
    )
    return download(data, f"{loan.number}.pdf", "pdf")


def _visible(loan_id: int) -> Loan:
    loan = db.session.get(Loan, loan_id)
    if loan is None or not services.can_view(current_user, loan):
        abort(404)
    return loan


def _apply(step) -> None:
    try:
        step()
    except LoanError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Saved."), "success")
