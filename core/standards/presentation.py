"""The report and the plan as a page, a PDF and a workbook: titles, charts and sheets."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template
from flask_login import current_user
from markupsafe import Markup

from core.documents.charts import bar_chart, column_chart
from core.documents.download import download
from core.documents.pdf import render_pdf
from core.documents.xlsx import Sheet, render_xlsx
from core.i18n import current_language
from core.i18n import gettext as _
from core.i18n.filters import date_filter
from core.i18n.fiscal import fiscal_quarter, fiscal_year
from core.i18n.thaidate import month_names
from core.i18n.thaidate import today as local_today
from core.org.models import OrgUnit
from core.standards.contributions import ALL_MONTHS
from core.standards.display import format_minutes
from core.standards.plan import PlanRow
from core.standards.report import Report, Scores, build_report
from core.standards.survey import QUESTIONNAIRE


def period_title(report: Report) -> str:
    """ปีงบประมาณ 2570 ไตรมาส 1 (1 ตุลาคม พ.ศ. 2569 – 31 ธันวาคม พ.ศ. 2569)."""
    first, last = report.period
    span = f"{date_filter(first, 'long')} – {date_filter(last, 'long')}"
    if report.quarter:
        return _(
            "Fiscal year %(year)d, quarter %(quarter)d (%(span)s)",
            year=report.year,
            quarter=report.quarter,
            span=span,
        )
    return _("Fiscal year %(year)d (%(span)s)", year=report.year, span=span)


def plan_months() -> list[str]:
    names = month_names("abbreviated", current_language())
    return [names[month] for month in ALL_MONTHS]


def report_context(report: Report) -> dict[str, Any]:
    """What the report's templates need besides the report itself."""
    return {
        "format_minutes": format_minutes,
        "period_title": period_title,
        "questionnaire": QUESTIONNAIRE,
        "charts": report_charts(report),
    }


def report_charts(report: Report) -> dict[str, Markup]:
    lines = [line for group in report.groups for line in group.lines]
    aspects = [(str(a.title), report.aspects[a.key].mean) for a in QUESTIONNAIRE if a.key in report.aspects]
    return {
        "standards": bar_chart(
            _("Share within standard (%)"),
            [(str(line.title), line.within.percent) for line in lines],
            maximum=100,
            value_format=lambda value: f"{value:.1f}%",
        ),
        "satisfaction": bar_chart(
            _("Satisfaction by aspect (x̄)"), aspects, maximum=5, value_format=lambda value: f"{value:.2f}"
        ),
        "quarters": column_chart(
            _("Services finished per quarter"),
            [_("Quarter %(n)d", n=q) for q in (1, 2, 3, 4)],
            [(str(_plugin_title(report, plugin)), volumes) for plugin, volumes in report.quarters.items()],
        ),
    }


def _plugin_title(report: Report, plugin: str) -> object:
    return next((g.title for g in report.groups if g.plugin == plugin), plugin)


def report_download(report: Report, office: OrgUnit, kind: str) -> Response:
    """The report as PDF (official layout, Thai font embedded) or as an Excel workbook."""
    name = _("Service report %(office)s %(period)s", office=office.name, period=_period_name(report))
    if kind == "pdf":
        data = render_pdf(
            "core/standards/report_print.html", report=report, office=office, **report_context(report)
        )
    else:
        data = render_xlsx(report_sheets(report))
    return download(data, f"{name}.{kind}", kind)


def _period_name(report: Report) -> str:
    return f"{report.year}-Q{report.quarter}" if report.quarter else str(report.year)


def report_sheets(report: Report) -> list[Sheet]:
    """The workbook: the summary, the standards, satisfaction by item, units and schools, comments."""

    def scores(s: Scores) -> list:
        return [s.n, _round(s.mean), _round(s.sd), str(s.band) if s.band is not None else None]

    summary = [
        [
            str(group.title),
            str(line.title),
            line.volume,
            _round(line.within.percent, 1),
            _round(line.mean_minutes, 1),
            *scores(line.satisfaction)[1:],
            line.responses,
        ]
        for group in report.groups
        for line in group.lines
    ]
    total = report.total
    summary.append(
        [
            _("All services"),
            "",
            total.volume,
            _round(total.within.percent, 1),
            _round(total.mean_minutes, 1),
            *scores(total.satisfaction)[1:],
            total.responses,
        ]
    )
    standards = [
        [
            str(line.title),
            _standard_title(report, line.key, key),
            share.met,
            share.total - share.met,
            share.total,
            _round(share.percent, 1),
        ]
        for group in report.groups
        for line in group.lines
        for key, share in line.standards.items()
    ]
    items = []
    for aspect in QUESTIONNAIRE:
        if aspect.key in report.aspects:
            items.append([str(aspect.title), *scores(report.aspects[aspect.key])])
            items += [
                ["  " + str(i.text), *scores(report.items[i.key])]
                for i in aspect.items
                if i.key in report.items
            ]
    requesters = [
        [
            str(group.title),
            str(line.title),
            line.volume,
            _round(line.within.percent, 1),
            line.breaches,
            _round(line.mean_minutes, 1),
            *scores(line.satisfaction)[1:],
            line.responses,
        ]
        for group in report.requesters
        for line in group.lines
    ]
    comments = [[str(c.service), c.submitted_at, c.text] for c in report.comments]
    return [
        Sheet(
            _("Summary"),
            [
                _("Plugin"),
                _("Service"),
                _("Volume"),
                _("Within standard (%)"),
                _("Mean working time (minutes)"),
                "x̄",
                "S.D.",
                _("Level"),
                _("Responses"),
            ],
            summary,
        ),
        Sheet(
            _("Standards"),
            [_("Service"), _("Standard"), _("Met"), _("Missed"), _("Measured"), "%"],
            standards,
        ),
        Sheet(_("Satisfaction"), [_("Item"), "n", "x̄", "S.D.", _("Level")], items),
        Sheet(
            _("Units and schools"),
            [
                "",
                _("Unit or school"),
                _("Volume"),
                _("Within standard (%)"),
                _("Standards missed"),
                _("Mean working time (minutes)"),
                "x̄",
                "S.D.",
                _("Level"),
                _("Responses"),
            ],
            requesters,
        ),
        Sheet(_("Comments"), [_("Service"), _("Answered"), _("Comments")], comments),
    ]


def _standard_title(report: Report, service_key: str, standard_key: str) -> str:
    service = report.service_types.get(service_key)
    standard = service.standard(standard_key) if service else None
    return str(standard.title) if standard else standard_key


def _round(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


def plan_download(rows: list[PlanRow], office: OrgUnit, year: int) -> Response:
    data = render_pdf(
        "core/standards/plan_print.html", rows=rows, office=office, year=year, plan_months=plan_months
    )
    return download(
        data, _("Operation plan %(office)s %(year)d", office=office.name, year=year) + ".pdf", "pdf"
    )


NO_OFFICE = Markup('<p class="muted">%s</p>')


def dashboard_widget() -> Markup | str:
    """The current quarter at a glance, for the readers of the report."""
    office_id = current_user.office_id
    if office_id is None:  # an installation administrator: one sentence needs no template
        return NO_OFFICE % _("You belong to no office, so there is nothing to report.")
    today = local_today()
    report = build_report(office_id, fiscal_year(today), fiscal_quarter(today))
    return render_template("core/widgets/services.html", report=report)
