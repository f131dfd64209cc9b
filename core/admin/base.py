"""Admin views that check permissions on the server and keep each office's records apart.

Every view names the permission it needs. ``OfficeScopedModelView`` narrows the list, the
count and the single-record lookup together, so that no path (list, edit, details, delete,
bulk action) reaches a record of another office.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import abort, g, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_admin.helpers import get_redirect_target
from flask_login import current_user
from sqlalchemy import false, select

from core.audit.display import describe
from core.audit.queries import AuditFilter, page
from core.audit.types import AuditSpec
from core.auth.permissions import can, has_installation_scope
from core.db import db
from core.forms import KhetAdminForm, KhetModelConverter
from core.i18n.collation import thai_order
from core.i18n.filters import date_filter, datetime_filter
from core.org.models import OrgUnit
from core.plugins.manager import CORE
from core.plugins.offices import enabled_for_office
from core.search import SearchIndex

ADMIN_PERMISSION = "core.admin.access"


class SecureViewMixin:
    """Only users holding ``permission`` reach the view; others get 403 or the sign-in page."""

    permission: str = ADMIN_PERMISSION
    plugin: str = CORE  # set by core when a plugin contributes the view

    def is_accessible(self) -> bool:
        # Asked for every menu entry on every page: answer once per view and request.
        answers: dict[str, bool] = g.setdefault("_khet_admin_access", {})
        if self.endpoint not in answers:
            answers[self.endpoint] = current_user.is_authenticated and self.allows(current_user)
        return answers[self.endpoint]

    def allows(self, user) -> bool:
        """Whether a signed-in person may use this view; the check of every request."""
        return can(user, ADMIN_PERMISSION) and can(user, self.permission)

    def is_visible(self) -> bool:
        if self.plugin != CORE and self.plugin not in enabled_for_office(current_user.office_id):
            return False
        return self.is_accessible()

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        abort(403)


class SecureView(SecureViewMixin, BaseView):
    """A custom admin page."""


class OfficeSettingsView(SecureView):
    """A page of one office's settings: an office administrator gets theirs, an installation
    administrator chooses (``?office=``; the template includes ``admin/_office_choice.html``)."""

    def offices(self) -> list[OrgUnit]:
        if not has_installation_scope(current_user, self.permission):
            return [current_user.office] if current_user.office else []
        return list(
            db.session.scalars(
                select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(thai_order(OrgUnit.name))
            )
        )

    def chosen_office(self, offices: list[OrgUnit]) -> OrgUnit | None:
        """The office asked for, among ``offices``; an office administrator always gets theirs."""
        wanted = request.values.get("office", type=int)
        if wanted is None or not has_installation_scope(current_user, self.permission):
            return offices[0] if offices else None
        return next((office for office in offices if office.id == wanted), None)


class SecureModelView(SecureViewMixin, ModelView):
    """A model view with defaults for big tables: pages of 50, no exact count, no export."""

    page_size = 50
    can_set_page_size = False
    can_export = False
    can_view_details = True
    column_display_all_relations = False
    # The exact count(*) is skipped: a simple pager with "next" only.
    simple_list_pager = True
    # Set on views of big tables: the search box then uses that index instead of a scan.
    search_index: SearchIndex | None = None
    # Times are stored in UTC and shown in the office's time zone (Asia/Bangkok).
    column_type_formatters = {
        **ModelView.column_type_formatters,
        datetime: lambda view, value, name: datetime_filter(value),
        date: lambda view, value, name: date_filter(value),
    }
    # Date columns are typed and picked in the reader's calendar (พ.ศ. in Thai).
    model_form_converter = KhetModelConverter
    # Validation messages in the reader's language, not only WTForms' own catalogs.
    form_base_class = KhetAdminForm
    # A record's pages carry a History tab when its model is audited.
    edit_template = "admin/khet_edit.html"
    details_template = "admin/khet_details.html"

    @property
    def audit_spec(self) -> AuditSpec | None:
        return getattr(self.model, "__audit__", None)

    @expose("/history/")
    def history_view(self):
        """The record's changes, newest first, as the audit trail recorded them."""
        spec, record_id = self.audit_spec, request.args.get("id", "")
        record = self.get_one(record_id) if spec is not None and record_id else None
        if record is None:
            abort(404)
        before = request.args.get("before", type=int)
        events = page(AuditFilter(subject_key=spec.key, subject_id=str(self.get_pk_value(record))), before)
        return self.render(
            "admin/khet_history.html",
            record_name=str(record),
            events=events,
            views=describe(events.events),
            before=before,
            query={k: v for k, v in request.args.items() if k != "before"},
            return_url=get_redirect_target() or self.get_url(".index_view"),
        )

    def __init__(self, model, *, name=None, endpoint=None, category=None, **kwargs):
        super().__init__(model, db, name=name, endpoint=endpoint, category=category, **kwargs)

    def _apply_search(self, query, count_query, joins, count_joins, search):
        if self.search_index is None:
            return super()._apply_search(query, count_query, joins, count_joins, search)
        dialect = db.session.get_bind().dialect.name
        for condition in self.search_index.conditions(self.model.id, search, dialect):
            query = query.filter(condition)
            count_query = count_query.filter(condition) if count_query is not None else None
        return query, count_query, joins, count_joins


class OfficeScopedModelView(SecureModelView):
    """A model view that shows a user only the records of their own office.

    Users whose grant of the view's permission is installation-wide see every office.
    Subclasses whose model has no ``office_id`` column override ``office_clause`` and
    ``office_of``.
    """

    def office_clause(self, office_id: int):
        return self.model.office_id == office_id

    def office_of(self, record) -> int | None:
        return record.office_id

    def limited_to_office(self) -> bool:
        return not has_installation_scope(current_user, self.permission)

    def _scoped(self, query):
        if not self.limited_to_office():
            return query
        if current_user.office_id is None:
            return query.filter(false())
        return query.filter(self.office_clause(current_user.office_id))

    def get_query(self):
        return self._scoped(super().get_query())

    def get_count_query(self):
        return self._scoped(super().get_count_query())

    def get_one(self, id):
        record = super().get_one(id)
        if (
            record is not None
            and self.limited_to_office()
            and (current_user.office_id is None or self.office_of(record) != current_user.office_id)
        ):
            return None
        return record


class OfficeScopedAjaxLoader(QueryAjaxModelLoader):
    """Look-ups in forms (users, org units) that never offer another office's records."""

    def __init__(self, name, model, *, permission: str, **options):
        super().__init__(name, db, model, **options)
        self.permission = permission

    def get_query(self):
        query = super().get_query()
        if has_installation_scope(current_user, self.permission):
            return query
        return query.filter(self.model.office_id == current_user.office_id)

    def get_one(self, pk):
        column = getattr(self.model, self.pk)
        try:
            key = column.type.python_type(pk)  # form values are strings; PostgreSQL is strict
        except (TypeError, ValueError):
            return None
        with db.session.no_autoflush:  # called while a form fills the record in
            return self.get_query().filter(column == key).first()


class KhetAdminIndexView(SecureViewMixin, AdminIndexView):
    """The console's home page."""

    @expose("/")
    def index(self):
        return self.render("admin/khet_index.html")
