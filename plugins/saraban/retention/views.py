"""Thin handlers of the destruction lists; the work is done in ``services``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from core.audit import record as audit
from core.auth.permissions import can
from core.db import db
from core.documents.download import download
from core.i18n import gettext as _
from plugins.saraban.models import Letter, LetterStatus
from plugins.saraban.retention import exports, services
from plugins.saraban.retention.events import LIST_EXPORTED
from plugins.saraban.retention.forms import (
    PERMANENTLY,
    ActionForm,
    ArchivesForm,
    DestroyForm,
    DraftForm,
    KeepForm,
    SendForm,
    TakeOffForm,
)
from plugins.saraban.retention.models import DestructionItem, DestructionList, ItemStatus, ListStatus
from plugins.saraban.retention.services import MANAGE, RetentionError
from plugins.saraban.views import year_label

bp = Blueprint("saraban_retention", __name__, url_prefix="/saraban/retention", template_folder="../templates")


def may_see_lists(view: Callable) -> Callable:
    """Records staff and the committee (and the head of the office) read the lists."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not services.may_see_lists(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def manages(view: Callable) -> Callable:
    """The records staff's actions."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.office_id is None or not can(current_user, MANAGE):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


@bp.app_template_global()
def destruction_note(letter: Letter) -> str:
    """For a destroyed register entry: ทำลายแล้ว and the list it went with."""
    if letter.status != LetterStatus.DESTROYED:
        return ""
    under = services.destroyed_under(letter)
    if under is None:
        return _("Destroyed")
    return _("Destroyed under the destruction list of %(year)s", year=_year(under.year))


@bp.route("/")
@may_see_lists
def index():
    year = services.closed_year()
    return render_template(
        "saraban/retention/index.html",
        lists=services.lists_of(current_user.office_id),
        closed_year=year,
        draft_form=DraftForm(year=str(year)) if can(current_user, MANAGE) else None,
        has_closed_list=services.list_of_year(current_user.office_id, year) is not None,
        year_label=_year,
    )


@bp.post("/draft")
@manages
def draft():
    form = DraftForm()
    year = services.closed_year()
    if not form.validate_on_submit() or form.year.data != str(year):
        flash(_("The form was incomplete; nothing was changed."), "error")
        return redirect(url_for(".index"))
    outcome = services.draft_list(current_user.office_id, year, current_user)
    db.session.commit()
    if outcome.outcome is services.Drafted.NOTHING:
        flash(
            _(
                "No letter's retention ended in %(year)s or earlier: there is nothing to list.",
                year=_year(year),
            ),
            "info",
        )
        return redirect(url_for(".index"))
    if outcome.outcome is services.Drafted.EXISTS:
        flash(_("The list of %(year)s exists already; nothing was changed.", year=_year(year)), "info")
    else:
        flash(
            _(
                "The list of %(year)s is drafted with %(count)s letters.",
                year=_year(year),
                count=outcome.count,
            ),
            "success",
        )
    return redirect(url_for(".show", list_id=outcome.destruction_list.id))


@bp.route("/<int:list_id>")
@may_see_lists
def show(list_id: int):
    found = _list(list_id)
    status = _shown_status(found)
    after = request.args.get("after", 0, type=int)
    items = services.items_page(found, status, after)
    manager = can(current_user, MANAGE)
    committee = (
        services.committee_members(found.office_id) if manager and found.status == ListStatus.DRAFT else []
    )
    send_form = SendForm()
    send_form.chair.choices = [(person.id, person.name) for person in committee]
    if found.chair_id and not send_form.chair.data:
        send_form.chair.data = found.chair_id
    return render_template(
        "saraban/retention/list.html",
        dl=found,
        counts=services.counts(found),
        shown=status,
        items=items,
        page_size=services.PAGE_SIZE,
        manager=manager,
        may_keep=services.may_keep(found, current_user),
        committee=committee,
        send_form=send_form,
        archives_form=ArchivesForm(),
        destroy_form=DestroyForm(),
        action_form=ActionForm(),
        take_off_form=TakeOffForm(),
        parts=services.part_count(found, exports.PDF_PART),
        statuses=ListStatus,
        item_statuses=ItemStatus,
        year_label=_year,
        consideration=exports.consideration,
    )


@bp.post("/<int:list_id>/items/<int:item_id>/take-off")
@manages
def take_off(list_id: int, item_id: int):
    _found, item = _item(list_id, item_id)
    form = TakeOffForm()
    if form.validate_on_submit():
        _apply(
            lambda: services.take_off(item, current_user, form.reason.data or ""), _("Taken off the list.")
        )
    else:
        _form_errors(form)
    return redirect(url_for(".show", list_id=list_id, after=request.args.get("after", 0, type=int) or None))


@bp.post("/<int:list_id>/items/<int:item_id>/put-back")
@manages
def put_back(list_id: int, item_id: int):
    _found, item = _item(list_id, item_id)
    if ActionForm().validate_on_submit():
        _apply(lambda: services.put_back(item, current_user), _("Put back on the list."))
    return redirect(url_for(".show", list_id=list_id, status=ItemStatus.REMOVED.value))


@bp.route("/<int:list_id>/items/<int:item_id>/keep", methods=("GET", "POST"))
@may_see_lists
def keep(list_id: int, item_id: int):
    """A member of the committee keeps a letter, for a number of years or for good."""
    found, item = _item(list_id, item_id)
    if not services.may_keep(found, current_user):
        abort(403)
    form = KeepForm()
    form.until.choices = [
        *((str(year), _("Until the end of %(year)s", year=_year(year))) for year in _keep_years(found)),
        (PERMANENTLY, _("Permanently")),
    ]
    if form.validate_on_submit():
        until = None if form.until.data == PERMANENTLY else int(form.until.data)
        if _apply(
            lambda: services.keep(item, current_user, until, form.reason.data), _("The letter is kept.")
        ):
            return redirect(url_for(".show", list_id=list_id))
    else:
        _form_errors(form, only_posted=True)
    return render_template("saraban/retention/keep.html", dl=found, item=item, form=form, year_label=_year)


@bp.post("/<int:list_id>/send")
@manages
def send(list_id: int):
    found = _list(list_id)
    form = SendForm()
    form.chair.choices = [(person.id, person.name) for person in services.committee_members(found.office_id)]
    if form.validate_on_submit():
        _apply(
            lambda: services.send_to_committee(found, current_user, form.chair.data),
            _("The list went to the destruction committee."),
        )
    else:
        _form_errors(form)
    return redirect(url_for(".show", list_id=list_id))


@bp.post("/<int:list_id>/archives")
@manages
def archives(list_id: int):
    found = _list(list_id)
    form = ArchivesForm()
    if form.validate_on_submit():
        _apply(
            lambda: services.record_archives(found, current_user, form.agreed_on.data, form.reference.data),
            _("The National Archives' agreement is recorded."),
        )
    else:
        _form_errors(form)
    return redirect(url_for(".show", list_id=list_id))


@bp.post("/<int:list_id>/destroy")
@manages
def destroy(list_id: int):
    found = _list(list_id)
    form = DestroyForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for(".show", list_id=list_id))
    _apply(
        lambda: services.destroy(found, current_user),
        _("The letters are being destroyed: the list says so when it is done. Reload the page in a moment."),
    )
    return redirect(url_for(".show", list_id=list_id))


@bp.route("/<int:list_id>.<any(pdf, xlsx):kind>")
@may_see_lists
def export(list_id: int, kind: str):
    """The list as แบบที่ 25 (PDF, in parts of a thousand) or as a workbook."""
    found = _list(list_id)
    part = request.args.get("part", 1, type=int)
    if kind == "pdf" and not 1 <= part <= services.part_count(found, exports.PDF_PART):
        abort(404)
    audit(LIST_EXPORTED, subject=(services.SUBJECT, found.id), data={"format": kind, "part": part})
    db.session.commit()
    name = f"{_('Destruction list')} {_year(found.year)}"
    if kind == "pdf":
        return download(exports.list_pdf(found, part), f"{name} ({part}).pdf", "pdf")
    return download(exports.list_xlsx(found), f"{name}.xlsx", "xlsx")


# --- helpers -------------------------------------------------------------------------------


def _year(year: int) -> str:
    return year_label(year)


def _keep_years(dl: DestructionList) -> range:
    return range(dl.year + 1, dl.year + services.KEEP_YEARS + 1)


def _shown_status(dl: DestructionList) -> ItemStatus:
    wanted = request.args.get("status")
    if wanted in set(ItemStatus):
        return ItemStatus(wanted)
    return ItemStatus.DESTROYED if dl.status == ListStatus.DESTROYED else ItemStatus.LISTED


def _list(list_id: int) -> DestructionList:
    found = services.find_list(current_user, list_id)
    if found is None:
        abort(404)
    return found


def _item(list_id: int, item_id: int) -> tuple[DestructionList, DestructionItem]:
    found = _list(list_id)
    item = services.find_item(found, item_id)
    if item is None:
        abort(404)
    return found, item


def _apply(step: Callable[[], object], done: str | None = None) -> bool:
    """Run a service step; its refusal is flashed and rolls everything back."""
    try:
        step()
    except RetentionError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return False
    db.session.commit()
    if done:
        flash(done, "success")
    return True


def _form_errors(form, only_posted: bool = False) -> None:
    if only_posted and request.method != "POST":
        return
    if not form.errors:
        flash(_("The form was incomplete; nothing was changed."), "error")
    form.flash_errors()
