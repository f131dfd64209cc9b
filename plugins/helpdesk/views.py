"""Thin HTTP handlers of the ICT service centre; the work is done in ``services``."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from core.approvals.inbox import can_view as can_view_approval
from core.approvals.views import latest_request
from core.auth.permissions import can, require_permission
from core.auth.ratelimit import failed_attempt, guarded
from core.db import db, utcnow
from core.documents.download import download
from core.documents.pdf import render_pdf
from core.forms.base import LazyForms
from core.i18n import gettext as _
from core.i18n.filters import datetime_filter
from core.uploads import send_stored
from plugins.helpdesk import duties, incomplete, intake, opinion, phone, photos, repair, services, steps
from plugins.helpdesk.assets.services import office_units
from plugins.helpdesk.forms import (
    NO_UNIT,
    AnswerForm,
    AskForm,
    AssignForm,
    CallbackForm,
    CompleteForm,
    EntryForm,
    MergeForm,
    NoteForm,
    PartsForm,
    PhoneCallForm,
    ReopenForm,
    StatusForm,
    StepForm,
    TicketForm,
    TrackForm,
)
from plugins.helpdesk.models import (
    STATUS_LABELS,
    STEP_LABELS,
    EntryKind,
    PartsRequest,
    RequestType,
    Step,
    TicketStatus,
)
from plugins.helpdesk.permissions import ASSIGN, CREATE, WORK
from plugins.helpdesk.services import TicketError, TicketRequest

bp = Blueprint(
    "helpdesk", __name__, url_prefix="/helpdesk", template_folder="templates", static_folder="static"
)


@bp.app_template_filter("ticket_step")
def ticket_step(entry) -> str:
    """The step an entry records, in the reader's language, with the time it names."""
    label = str(STEP_LABELS[Step(entry.step)])
    return label % {"time": datetime_filter(entry.moment)} if entry.moment else label


@bp.route("/")
@require_permission(CREATE)
def index():
    view = request.args.get("show", "open")
    mine = request.args.get("mine") == "1"
    search = request.args.get("q", "")[:100]
    queue = units = unit = None
    if can(current_user, WORK) and current_user.office_id is not None:
        units = duties.queue_units(current_user.office_id)
        unit = next((u for u in units if u.id == request.args.get("unit", type=int)), None)
        queue = services.queue(
            current_user.office_id,
            view,
            assignee_id=current_user.id if mine else None,
            unit_id=unit.id if unit else None,
            before=request.args.get("before", type=int),
            search=search,
        )
    return render_template(
        "helpdesk/index.html",
        queue=queue,
        view=view,
        mine=mine,
        search=search,
        units=units,
        unit=unit,
        requests=services.requests_of(current_user),
        page_size=services.PAGE_SIZE,
    )


@bp.route("/new", methods=("GET", "POST"))
@require_permission(CREATE)
def new():
    if current_user.office_id is None:
        flash(_("Only people of an office or its schools can file a request."), "error")
        return redirect(url_for(".index"))
    form = TicketForm()
    if form.validate_on_submit():
        ticket_request = TicketRequest(
            request_type=RequestType(form.request_type.data),
            title=form.title.data,
            description=form.description.data or "",
            requester_phone=form.requester_phone.data or None,
            asset_number=(form.asset_number.data or "").strip() or None,
            requester_position=form.requester_position.data,
            account=form.account,
            service_at=form.service_at,
        )
        try:
            ticket, code = intake.file_request(
                current_user.office_id, ticket_request, current_user, form.photos.data
            )
        except TicketError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            return render_template("helpdesk/created.html", ticket=ticket, code=code)
    elif not form.is_submitted():
        form.requester_position.data = current_user.position
    return render_template("helpdesk/new.html", form=form)


@bp.route("/phone", methods=("GET", "POST"))
@require_permission(WORK)
def phone_call():
    """A technician writes down a call as it happens (ขอคำปรึกษาทางโทรศัพท์)."""
    if current_user.office_id is None:
        abort(403)
    form = PhoneCallForm()
    form.caller_unit.choices = [(NO_UNIT, "—")] + [
        (u.id, u.name) for u in office_units(current_user.office_id)
    ]
    if form.validate_on_submit():
        call = phone.PhoneCall(
            caller_name=form.caller_name.data,
            question=form.question.data,
            details=form.details.data or "",
            caller_phone=form.caller_phone.data or None,
            caller_unit_id=form.caller_unit.data or None,
            advice=form.advice.data if form.outcome.data == form.ANSWERED else None,
            callback_at=form.callback_at,
        )
        try:
            ticket, code = phone.record_call(current_user.office_id, call, current_user)
        except TicketError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            return render_template("helpdesk/created.html", ticket=ticket, code=code)
    return render_template("helpdesk/phone.html", form=form)


@bp.route("/callbacks")
@require_permission(WORK)
def callbacks():
    """The call-backs promised and not yet made, soonest first; late ones stand out."""
    if current_user.office_id is None:
        abort(403)
    mine = request.args.get("mine") == "1"
    return render_template(
        "helpdesk/callbacks.html",
        tickets=phone.callbacks_due(current_user.office_id, current_user.id if mine else None),
        mine=mine,
        now=utcnow(),
    )


@bp.post("/<number>/answer")
@require_permission(WORK)
def answer(number: str):
    ticket = _worked(number)
    form = AnswerForm()
    return _submitted(form, number, lambda: phone.answer(ticket, current_user, form.advice.data))


@bp.post("/<number>/callback")
@require_permission(WORK)
def callback(number: str):
    ticket = _worked(number)
    form = CallbackForm()
    return _submitted(
        form, number, lambda: phone.promise_callback(ticket, current_user, form.callback_at, form.reason.data)
    )


@bp.route("/<number>")
@login_required
def show(number: str):
    ticket = _visible(number)
    worker = services.can_work(current_user, ticket)
    can_assign = worker and can(current_user, ASSIGN)
    return render_template(
        "helpdesk/ticket.html",
        ticket=ticket,
        worker=worker,
        can_assign=can_assign,
        can_see_assets=can(current_user, "helpdesk.asset.view"),
        entries=[e for e in ticket.entries if worker or not e.internal],
        forms=LazyForms(
            status=lambda: _status_form(ticket),
            assign=lambda: _assign_form(ticket),
            entry=EntryForm,
            reopen=ReopenForm,
            merge=MergeForm,
            answer=AnswerForm,
            callback=CallbackForm,
            step=lambda: _step_form(ticket),
            note=NoteForm,
            parts=PartsForm,
            ask=AskForm,
            complete=lambda: _complete_form(ticket),
        ),
        can_branch=worker and repair.can_branch(ticket),
        vendor=repair.vendor_of(ticket),
        parts_requests=repair.requests_of(ticket) if ticket.request_type == RequestType.REPAIR else [],
        can_ask=worker
        and ticket.requester_id is not None
        and TicketStatus(ticket.status) in incomplete.ASKABLE,
        missing=incomplete.what_is_missing(ticket),
        opinion=opinion.opinion_of(ticket) if ticket.request_type == RequestType.GENERAL else None,
        photos=photos.photos_of(ticket, staff=worker),
        max_photos=photos.MAX_PHOTOS,
        phone_open=ticket.request_type == RequestType.PHONE and TicketStatus(ticket.status) in _ANSWERABLE,
        kinds=EntryKind,
        status_labels=STATUS_LABELS,
    )


@bp.route("/<number>.pdf")
@login_required
def form_pdf(number: str):
    """The repair form (แบบฟอร์มแจ้งซ่อม) or the service request form, filled in, for the file."""
    ticket = _visible(number)
    record = [e for e in ticket.entries if e.kind in (EntryKind.STATUS, EntryKind.STEP) and not e.internal]
    data = render_pdf(
        "helpdesk/ticket_print.html",
        ticket=ticket,
        steps=record,
        parts_requests=repair.requests_of(ticket),
        opinion=opinion.opinion_of(ticket),
        status_labels=STATUS_LABELS,
    )
    return download(data, f"{ticket.number}.pdf", "pdf")


@bp.post("/<number>/step")
@require_permission(WORK)
def step(number: str):
    ticket = _worked(number)
    form = _step_form(ticket)
    return _submitted(
        form, number, lambda: steps.record_step(ticket, Step(form.step.data), current_user, form.note.data)
    )


@bp.post("/<number>/vendor")
@require_permission(WORK)
def to_vendor(number: str):
    ticket = _worked(number)
    form = NoteForm()
    return _submitted(form, number, lambda: repair.send_to_vendor(ticket, current_user, form.note.data))


@bp.post("/<number>/vendor/back")
@require_permission(WORK)
def from_vendor(number: str):
    ticket = _worked(number)
    form = NoteForm()
    return _submitted(form, number, lambda: repair.back_from_vendor(ticket, current_user, form.note.data))


@bp.post("/<number>/parts")
@require_permission(WORK)
def parts(number: str):
    ticket = _worked(number)
    form = PartsForm()
    return _submitted(
        form,
        number,
        lambda: repair.request_parts(
            ticket, current_user, form.items.data, form.estimated_cost.data, form.reason.data
        ),
    )


@bp.post("/<number>/ask")
@require_permission(WORK)
def ask(number: str):
    ticket = _worked(number)
    form = AskForm()
    return _submitted(form, number, lambda: incomplete.ask_requester(ticket, current_user, form.missing.data))


@bp.post("/<number>/complete")
@login_required
def complete(number: str):
    """The requester gives what the technician asked for."""
    ticket = _visible(number)
    form = CompleteForm()
    if form.validate_on_submit() and not form.check(ticket):
        form.flash_errors()
        return redirect(url_for(".show", number=number))
    return _submitted(
        form,
        number,
        lambda: incomplete.complete(
            ticket,
            current_user,
            form.message.data,
            position=form.requester_position.data,
            account=form.account_details() if ticket.request_type == RequestType.ACCOUNT else None,
        ),
    )


@bp.route("/parts/<int:parts_id>")
@login_required
def parts_request(parts_id: int):
    """A parts request as its deciders see it: what, how much, why, for which repair, and its chain."""
    parts = db.session.get(PartsRequest, parts_id)
    approval = latest_request(repair.SUBJECT, parts_id) if parts is not None else None
    sees_ticket = parts is not None and services.can_view(current_user, parts.ticket)
    if parts is None or not (
        sees_ticket or (approval is not None and can_view_approval(approval, current_user))
    ):
        abort(404)
    return render_template("helpdesk/parts.html", parts=parts, ticket=parts.ticket, sees_ticket=sees_ticket)


@bp.post("/<number>/status")
@require_permission(WORK)
def status(number: str):
    ticket = _worked(number)
    form = _status_form(ticket)
    return _submitted(
        form,
        number,
        lambda: services.change_status(ticket, TicketStatus(form.status.data), current_user, form.note.data),
    )


@bp.post("/<number>/assign")
@require_permission(ASSIGN)
def assign(number: str):
    ticket = _worked(number)
    form = AssignForm()
    people, form.assignee.choices = _assign_choices(ticket)
    return _submitted(form, number, lambda: services.assign(ticket, people[form.assignee.data], current_user))


@bp.post("/<number>/entries")
@login_required
def add_entry(number: str):
    ticket = _visible(number)
    form = EntryForm()
    internal = bool(form.internal.data) and services.can_work(current_user, ticket)

    def reply() -> None:
        entry = services.add_entry(ticket, current_user, form.body.data, internal=internal)
        photos.attach(ticket, form.photos.data or [], current_user, entry)

    return _submitted(form, number, reply)


@bp.route("/<number>/photos/<int:photo_id>")
@login_required
def photo(number: str, photo_id: int):
    """A photo of the ticket, shown whole; only to those who see the ticket, and audited."""
    return send_stored(_photo(number, photo_id).file, inline=True)


@bp.route("/<number>/photos/<int:photo_id>/small")
@login_required
def photo_thumbnail(number: str, photo_id: int):
    found = _photo(number, photo_id)
    return send_stored(found.thumbnail or found.file, inline=True)


@bp.post("/<number>/reopen")
@login_required
def reopen(number: str):
    ticket = _visible(number)
    form = ReopenForm()
    return _submitted(form, number, lambda: services.reopen(ticket, current_user, form.reason.data))


@bp.post("/<number>/merge")
@require_permission(WORK)
def merge(number: str):
    duplicate = _worked(number)
    form = MergeForm()
    if form.validate_on_submit():
        into = services.find(form.into.data.strip(), current_user)
        if into is None:
            flash(_("There is no ticket %(number)s.", number=form.into.data), "error")
        else:
            _apply(lambda: services.merge(duplicate, into, current_user))
    else:
        form.flash_errors()
    return redirect(url_for(".show", number=number))


@bp.route("/track", methods=("GET", "POST"))
@guarded(lambda: "ticket:" + (request.form.get("number") or "").strip())
def track():
    """Anyone with the number and its code follows the ticket, without signing in."""
    form = TrackForm()
    ticket = None
    if form.validate_on_submit():
        ticket = services.find_with_code(None, form.number.data, form.code.data)
        if ticket is None:
            failed_attempt()
            flash(_("No ticket has this number and code. Check both and try again."), "error")
    return render_template(
        "helpdesk/track.html",
        form=form,
        ticket=ticket,
        entries=[e for e in ticket.entries if not e.internal] if ticket else [],
        kinds=EntryKind,
        status_labels=STATUS_LABELS,
    )


def _visible(number: str):
    ticket = services.find(number, current_user)
    if ticket is None:
        abort(404)
    return ticket


def _photo(number: str, photo_id: int):
    ticket = _visible(number)
    found = photos.photo_of(ticket, photo_id, staff=services.can_work(current_user, ticket))
    if found is None:
        abort(404)
    return found


def _worked(number: str):
    ticket = _visible(number)
    if not services.can_work(current_user, ticket):
        abort(403)
    return ticket


_ANSWERABLE = {TicketStatus.NEW, TicketStatus.ACCEPTED, TicketStatus.IN_PROGRESS}


# Reached through their own actions, which record what the manual asks (the vendor, the parts).
_OWN_ACTION = {TicketStatus.WAITING_PARTS, TicketStatus.AT_VENDOR, TicketStatus.WAITING_REQUESTER}


def _next(ticket) -> list[TicketStatus]:
    following = services.NEXT[TicketStatus(ticket.status)] - _OWN_ACTION
    return [s for s in TicketStatus if s in following]


def _assign_choices(ticket) -> tuple[dict, list | dict]:
    """The office's technicians by id, and the assignment list: those on duty for the ticket's
    kind of request first (an option group each when there are any)."""
    people = services.technicians(ticket.office_id)
    on_duty, others = duties.duty_first(people, ticket.office_id, ticket.request_type)
    by_id = {person.id: person for person in people}
    if not on_duty:
        return by_id, [(p.id, p.name) for p in others]
    groups = {_("On duty for this kind of request"): [(p.id, p.name) for p in on_duty]}
    if others:
        groups[_("Other technicians")] = [(p.id, p.name) for p in others]
    return by_id, groups


def _status_form(ticket) -> StatusForm:
    form = StatusForm()
    form.status.choices = [(s.value, STATUS_LABELS[s]) for s in _next(ticket)]
    return form


def _assign_form(ticket) -> AssignForm:
    form = AssignForm()
    form.assignee.choices = _assign_choices(ticket)[1]
    return form


def _complete_form(ticket) -> CompleteForm:
    """The requester's form, filled with what the request holds."""
    form = CompleteForm(formdata=None)
    form.requester_position.data = ticket.requester_position
    if ticket.account is not None:
        for name, value in ticket.account.details().values().items():
            form[name if name != "kind" else "account_kind"].data = value
    return form


def _step_form(ticket) -> StepForm:
    form = StepForm()
    form.step.choices = [(s.value, STEP_LABELS[s]) for s in steps.next_steps(ticket)]
    return form


def _submitted(form, number: str, step):
    """A form of the ticket's page: a valid one applies ``step``, a refused one says why."""
    if form.validate_on_submit():
        _apply(step)
    else:
        form.flash_errors()
    return redirect(url_for(".show", number=number))


def _apply(step) -> None:
    try:
        step()
    except TicketError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("Saved."), "success")
