"""Thin handlers of routing and endorsing; the work is in ``services`` and ``proposals``.

Each view finds the letter through ``find_letter`` (another office's letter, or a secret one the
person may not read, is a 404), checks the person's part in it, and answers bad input with a
translated message on the letter's page, changing nothing.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from core.approvals.engine import ApprovalError, capacity
from core.approvals.messages import refusal
from core.approvals.models import RequestStatus
from core.audit import record
from core.audit.types import PASSWORD_CONFIRM_FAILED
from core.auth.passwords import verify_password
from core.auth.permissions import require_permission
from core.db import db
from core.documents.download import download
from core.i18n import gettext as _
from core.uploads import send_stored
from plugins.saraban.documents import ACTING_THAI
from plugins.saraban.models import Letter
from plugins.saraban.routing import proposals, services
from plugins.saraban.routing.events import ENDORSED_PDF_DOWNLOADED
from plugins.saraban.routing.forms import (
    AcknowledgeForm,
    DoneForm,
    EndorseForm,
    ProposalForm,
    ReviseForm,
    RouteForm,
)
from plugins.saraban.routing.models import Proposal, Routing
from plugins.saraban.routing.services import RECEIVE, Recipient
from plugins.saraban.services import LetterError, find_letter, office_units, staff_choices

bp = Blueprint("saraban_routing", __name__, url_prefix="/saraban/routing")


@bp.route("/inbox")
@require_permission(RECEIVE)
def inbox():
    """หนังสือถึงฉัน: what waits for the person's acknowledgement, the most urgent first."""
    return render_template("saraban/routing/inbox.html", routings=services.inbox(current_user))


@bp.post("/letters/<int:letter_id>/route")
@login_required
def route(letter_id: int):
    letter = _readable(letter_id)
    if not services.may_route(current_user, letter):
        abort(403)
    form = RouteForm(prefix="route")
    _targets(form.to, letter.office_id)
    if _valid(form):
        _apply(
            lambda: services.route(
                letter, current_user, _recipient(letter, form.to.data), form.instruction.data
            ),
            _("The letter is sent on."),
        )
    return _back(letter)


@bp.post("/routings/<int:routing_id>/acknowledge")
@login_required
def acknowledge(routing_id: int):
    routing = _routing(routing_id)
    if _valid(AcknowledgeForm()):
        _apply(lambda: services.acknowledge(routing, current_user), _("Acknowledged."))
    return _back(routing.letter)


@bp.post("/routings/<int:routing_id>/done")
@login_required
def done(routing_id: int):
    routing = _routing(routing_id)
    form = DoneForm(prefix=f"done-{routing_id}")
    if _valid(form):
        _apply(
            lambda: services.report_done(routing, current_user, form.note.data),
            _("What was done is recorded."),
        )
    return _back(routing.letter)


@bp.route("/letters/<int:letter_id>/stamped.pdf")
@login_required
def stamped(letter_id: int):
    """The received letter with its receipt stamp, drawn now if the background has not yet."""
    letter = _readable(letter_id)
    try:
        copy = services.stamp(letter, current_user)
    except LetterError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return _back(letter)
    if copy is None:
        abort(404)
    db.session.commit()
    return send_stored(copy.file, inline=True)


@bp.route("/letters/<int:letter_id>/propose", methods=("GET", "POST"))
@require_permission(proposals.PROPOSE)
def propose(letter_id: int):
    letter = _readable(letter_id)
    if not proposals.may_propose(current_user, letter):
        flash(_("The letter is already with the superiors, or you cannot propose it."), "error")
        return _back(letter)
    form = ProposalForm()
    groups = proposals.office_groups(letter.office_id)
    form.group.choices = [(group.id, group.name) for group in groups]
    if request.method == "GET":
        group = proposals.matter_group(letter, current_user)
        form.group.data = group.id if group is not None else None
    if form.validate_on_submit():
        note = proposals.Note(form.background.data or "", form.facts.data or "", form.proposal.data or "")
        if _apply(
            lambda: proposals.propose(letter, current_user, form.group.data, note),
            _("The letter is proposed to the superiors."),
        ):
            return _back(letter)
    else:
        _form_errors(form)
    return render_template("saraban/routing/propose.html", letter=letter, form=form)


@bp.post("/proposals/<int:proposal_id>/revise")
@login_required
def revise(proposal_id: int):
    proposal = _proposal(proposal_id)
    form = ReviseForm(prefix="revise")
    if _valid(form):
        note = proposals.Note(form.background.data or "", form.facts.data or "", form.proposal.data or "")
        _apply(
            lambda: proposals.revise(proposal, current_user, note, form.version.data),
            _("The revised note is sent up again."),
        )
    return _back(proposal.letter)


@bp.post("/proposals/<int:proposal_id>/endorse")
@login_required
def endorse(proposal_id: int):
    proposal = _proposal(proposal_id)
    if not proposals.may_endorse(current_user, proposal):
        abort(403)
    form = EndorseForm(prefix="endorse")
    _targets(form.to, proposal.office_id)
    form.decision.choices = _decisions(proposal)
    if not _valid(form):
        return _back(proposal.letter)
    decision = form.decision.data
    signs = decision not in (proposals.RETURN, proposals.CONSULT)
    if signs and not _signature_checked(form.password.data or ""):
        return _back(proposal.letter)
    _apply(
        lambda: proposals.endorse(
            proposal,
            current_user,
            proposals.Choice(
                decision, form.comment.data or "", _recipient_or_none(proposal.letter, form.to.data)
            ),
            expected_version=form.version.data,
            signed=signs,
        ),
        _("Your endorsement is signed and recorded.") if signs else _("Recorded."),
    )
    return _back(proposal.letter)


@bp.route("/proposals/<int:proposal_id>/endorsed.pdf")
@login_required
def endorsed(proposal_id: int):
    """The letter's PDF with the note and the signed endorsements drawn on it."""
    proposal = _proposal(proposal_id)
    try:
        data = proposals.endorsed_pdf(proposal)
    except LetterError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return _back(proposal.letter)
    record(
        ENDORSED_PDF_DOWNLOADED,
        subject=("saraban.letter", proposal.letter_id),
        data={"proposal": proposal.id},
    )
    db.session.commit()
    letter = proposal.letter
    return download(data, f"เกษียน {letter.number}-{letter.be_year}.pdf", "pdf", inline=True)


WIDGET_LETTERS = 5
WIDGET_COUNT = 100  # the count says "99+" beyond: no count runs over a long history


def inbox_widget() -> str:
    """The dashboard's box: how many letters wait for the person, and the most urgent of them."""
    user = current_user._get_current_object()
    count = services.waiting_count(user, WIDGET_COUNT)
    return render_template(
        "saraban/routing/_widget.html",
        count=count,
        shown_max=WIDGET_COUNT - 1,
        routings=services.inbox(user, WIDGET_LETTERS) if count else [],
    )


# --- the panel on the letter's page ----------------------------------------------------------


def routing_panel(letter: Letter) -> Markup:
    """The letter page's routing and endorsements: what happened, and what the reader may do.

    The letter page has checked that the reader may read the letter.
    """
    user = current_user._get_current_object()
    routings = services.routings_of(letter)
    may_route = services.may_route(user, letter)
    route_form = RouteForm(prefix="route")
    if may_route:
        _targets(route_form.to, letter.office_id)
    mine = {routing.id for routing in routings if services.acts_for(user, routing)}
    letter_proposals = proposals.proposals_of(letter)
    endorsing = {}
    for proposal in letter_proposals:
        if proposals.may_endorse(user, proposal):
            form = EndorseForm(prefix="endorse", version=proposal.request.version)
            form.decision.choices = _decisions(proposal)
            _targets(form.to, letter.office_id)
            endorsing[proposal.id] = (form, capacity(proposal.request, user))
    html = render_template(
        "saraban/routing/_panel.html",
        letter=letter,
        routings=routings,
        mine=mine,
        may_route=may_route,
        route_form=route_form,
        acknowledge_form=AcknowledgeForm(),
        done_form=lambda routing: DoneForm(prefix=f"done-{routing.id}"),
        stamped=services.stamped_copy(letter),
        letter_pdf=services.letter_pdf(letter),
        proposals=letter_proposals,
        trail=proposals.trail,
        endorsing=endorsing,
        revise_form=_revise_form,
        may_propose=proposals.may_propose(user, letter),
        returned=RequestStatus.RETURNED,
        thai_day=services.thai_day,
        acting_thai=ACTING_THAI,
    )
    return Markup(html)


@bp.app_context_processor
def _panel_slot() -> dict[str, object]:
    return {"saraban_routing_panel": routing_panel}


def _revise_form(proposal: Proposal) -> ReviseForm:
    return ReviseForm(
        prefix="revise",
        version=proposal.request.version,
        background=proposal.background,
        facts=proposal.facts,
        proposal=proposal.proposal,
    )


# --- helpers -------------------------------------------------------------------------------


def _readable(letter_id: int) -> Letter:
    letter = find_letter(current_user, letter_id)
    if letter is None:
        abort(404)
    return letter


def _routing(routing_id: int) -> Routing:
    routing = db.session.get(Routing, routing_id)
    if routing is None or find_letter(current_user, routing.letter_id) is None:
        abort(404)
    return routing


def _proposal(proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.request is None or find_letter(current_user, proposal.letter_id) is None:
        abort(404)
    return proposal


def _targets(field, office_id: int) -> None:
    """The units (their registries) and people of the office a letter may go to."""
    field.choices = {
        _("Units"): [
            (f"unit:{unit.id}", unit.name)
            for unit in office_units(office_id)
            if unit.kind in services.ROUTABLE_UNITS
        ],
        _("People"): [(f"user:{id}", label) for id, label in staff_choices(office_id)],
    }
    field.choices = {
        None: [("", "—")],
        **{label: options for label, options in field.choices.items() if options},
    }


def _decisions(proposal: Proposal) -> list[tuple[str, str]]:
    offered = [(decision.key, str(decision.title)) for decision in proposals.choices(proposal)]
    return [
        *offered,
        (proposals.RETURN, _("Return to the proposer")),
        (proposals.CONSULT, _("Ask for an opinion")),
    ]


def _recipient(letter: Letter, value: str) -> Recipient:
    kind, _colon, number = (value or "").partition(":")
    if kind not in ("unit", "user") or not number.isdigit():
        raise LetterError(_("Choose one unit or one person to send the letter to."))
    return services.recipient(
        letter.office_id, int(number) if kind == "unit" else None, int(number) if kind == "user" else None
    )


def _recipient_or_none(letter: Letter, value: str | None) -> Recipient | None:
    return _recipient(letter, value) if value else None


def _signature_checked(password: str) -> bool:
    """The typed password signs the decision; a wrong one counts as a failed attempt."""
    if verify_password(current_user.password_hash, password):
        return True
    g.login_failed = True  # counted by the rate limiter (core.auth.ratelimit)
    record(PASSWORD_CONFIRM_FAILED, subject=("core.user", current_user.id))
    db.session.commit()
    flash(_("The password is incorrect: nothing was signed."), "error")
    return False


def _valid(form) -> bool:
    if form.validate_on_submit():
        return True
    _form_errors(form)
    return False


def _apply(step, done: str) -> bool:
    """Run one step and commit it, or roll it back and say why; never a 500 for bad input."""
    try:
        step()
    except LetterError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return False
    except ApprovalError as error:
        db.session.rollback()
        flash(refusal(error), "error")
        return False
    db.session.commit()
    flash(done, "success")
    return True


def _back(letter: Letter):
    return redirect(url_for("saraban.letter", letter_id=letter.id) + "#routing")


def _form_errors(form) -> None:
    if request.method == "POST":
        form.flash_errors()
