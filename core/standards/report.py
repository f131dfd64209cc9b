"""The director's report (สรุปผลการให้บริการ): volume, standards met, time and satisfaction.

Everything is summed in the database by service type; means and standard deviations are
then exact from the sums (n, Σx, Σx²), per service, per plugin, per aspect and overall.
A service counts in the period it finished in.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import InstrumentedAttribute

from core.db import db
from core.i18n import lazy_gettext as _l
from core.i18n.collation import thai_sort_key
from core.i18n.fiscal import fiscal_year_range, quarter_range
from core.org.models import OrgUnit, OrgUnitKind
from core.standards.contributions import ServiceType
from core.standards.models import RecordStatus, ServiceRecord, ServiceResult, SurveyAnswer, SurveyResponse
from core.standards.survey import ITEMS, QUESTIONNAIRE, band
from core.state import khet

COMMENTS_SHOWN = 200


@dataclass
class Scores:
    """Ratings summed: enough for an exact mean and sample standard deviation."""

    n: int = 0
    total: float = 0.0
    squares: float = 0.0

    def add(self, other: Scores) -> None:
        self.n += other.n
        self.total += other.total
        self.squares += other.squares

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None

    @property
    def sd(self) -> float | None:
        """Sample standard deviation (n − 1), as Thai evaluation reports give S.D."""
        if self.n < 2:
            return None
        return math.sqrt(max(self.squares - self.total**2 / self.n, 0.0) / (self.n - 1))

    @property
    def band(self) -> object | None:
        return None if self.mean is None else band(self.mean)


@dataclass
class Share:
    """How often a standard was met."""

    met: int = 0
    total: int = 0

    def add(self, other: Share) -> None:
        self.met += other.met
        self.total += other.total

    @property
    def percent(self) -> float | None:
        return 100.0 * self.met / self.total if self.total else None


@dataclass
class Line:
    """One service type, or the sum of several."""

    key: str
    title: object
    volume: int = 0
    minutes_total: float = 0.0
    standards: dict[str, Share] = field(default_factory=dict)  # standard key -> share
    within: Share = field(default_factory=Share)  # every standard together
    satisfaction: Scores = field(default_factory=Scores)
    responses: int = 0

    @property
    def mean_minutes(self) -> float | None:
        return self.minutes_total / self.volume if self.volume else None

    @property
    def breaches(self) -> int:
        """Standards missed: each service counts once for every standard it did not meet."""
        return self.within.total - self.within.met

    def add(self, other: Line) -> None:
        self.volume += other.volume
        self.minutes_total += other.minutes_total
        self.within.add(other.within)
        self.satisfaction.add(other.satisfaction)
        self.responses += other.responses


@dataclass
class PluginGroup:
    plugin: str
    title: object
    lines: list[Line]
    total: Line


@dataclass
class RequesterGroup:
    """The office's own units, or its schools, each a line of the services they asked for."""

    title: object
    lines: list[Line]


@dataclass
class Comment:
    service: object
    text: str
    submitted_at: datetime


@dataclass
class Report:
    office_id: int
    year: int
    quarter: int | None
    groups: list[PluginGroup]
    total: Line
    aspects: dict[str, Scores]  # aspect key -> scores
    items: dict[str, Scores]  # item key -> scores
    quarters: dict[str, list[int]]  # plugin -> volume in quarters 1..4 of the year
    requesters: list[RequesterGroup]  # by the requester's unit and by school
    comments: list[Comment]
    service_types: dict[str, ServiceType]

    @property
    def period(self) -> tuple:
        return quarter_range(self.year, self.quarter) if self.quarter else fiscal_year_range(self.year)


def build_report(office_id: int, year: int, quarter: int | None = None) -> Report:
    """The report of one office for a fiscal year (Buddhist Era), or one of its quarters."""
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise ValueError(f"a fiscal year has quarters 1 to 4, not {quarter}")
    types = khet().registry.service_types
    where = _finished(office_id, year, quarter)
    lines = _lines(where, ServiceRecord.service_key)
    for key, line in lines.items():
        line.title = _title(key, types)
    items = _item_scores(office_id, year, quarter)
    for (service_key, _item), scores in items.items():
        lines.setdefault(service_key, _line(service_key, types)).satisfaction.add(scores)
    total = Line("", "")
    groups = []
    for plugin, plugin_lines in _by_plugin(lines.values(), types).items():
        group_total = Line(plugin, "")
        for line in plugin_lines:
            group_total.add(line)
        total.add(group_total)
        groups.append(PluginGroup(plugin, _plugin_title(plugin), plugin_lines, group_total))
    return Report(
        office_id=office_id,
        year=year,
        quarter=quarter,
        groups=groups,
        total=total,
        aspects=_sum_by(items, lambda item: item.split(".", 1)[0]),
        items=_sum_by(items, lambda item: item),
        quarters=_quarter_volumes(office_id, year, types),
        requesters=_requesters(where),
        comments=_comments(office_id, year, quarter, types),
        service_types=types,
    )


def _finished(office_id: int, year: int, quarter: int | None) -> list:
    conditions = [
        ServiceRecord.office_id == office_id,
        ServiceRecord.fiscal_year == year,
        ServiceRecord.status == RecordStatus.FINISHED,
    ]
    if quarter is not None:
        conditions.append(ServiceRecord.fiscal_quarter == quarter)
    return conditions


def _lines(where: list, by: InstrumentedAttribute) -> dict[object, Line]:
    """Volume, time, standards met and survey responses of the finished services, per ``by``."""
    lines: dict[object, Line] = {}

    def line(key: object) -> Line:
        return lines.setdefault(key, Line(key, ""))

    volumes = (
        select(by, func.count(), func.coalesce(func.sum(ServiceRecord.working_minutes), 0.0))
        .where(*where)
        .group_by(by)
    )
    for key, volume, minutes in db.session.execute(volumes):
        line(key).volume, line(key).minutes_total = volume, float(minutes)
    shares = (
        select(by, ServiceResult.standard_key, func.count(), func.sum(case((ServiceResult.met, 1), else_=0)))
        .join(ServiceRecord, ServiceRecord.id == ServiceResult.record_id)
        .where(*where)
        .group_by(by, ServiceResult.standard_key)
    )
    for key, standard, total, met in db.session.execute(shares):
        share = Share(int(met or 0), total)
        line(key).standards.setdefault(standard, Share()).add(share)
        line(key).within.add(share)
    responses = (
        select(by, func.count())
        .join(SurveyResponse, SurveyResponse.record_id == ServiceRecord.id)
        .where(*where)
        .group_by(by)
    )
    for key, count in db.session.execute(responses):
        line(key).responses = count
    return lines


def _requesters(where: list) -> list[RequesterGroup]:
    """Per requester's unit, split into the office's units and its schools; services whose
    requester had no unit (a visitor without an account) are a line of their own."""
    by = ServiceRecord.requester_unit_id
    lines = _lines(where, by)
    scores = (
        select(
            by, func.count(), func.sum(SurveyAnswer.score), func.sum(SurveyAnswer.score * SurveyAnswer.score)
        )
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(ServiceRecord, ServiceRecord.id == SurveyResponse.record_id)
        .where(*where, SurveyAnswer.item.in_(ITEMS))
        .group_by(by)
    )
    for key, n, total, squares in db.session.execute(scores):
        if key in lines:
            lines[key].satisfaction.add(Scores(n, float(total), float(squares)))
    units = {
        unit.id: unit
        for unit in db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_([k for k in lines if k])))
    }
    offices, schools = [], []
    for key, line in lines.items():
        unit = units.get(key)
        line.title = unit.name if unit else _l("No unit recorded")
        (schools if unit and unit.kind == OrgUnitKind.SCHOOL else offices).append(line)
    return [
        RequesterGroup(title, sorted(group, key=lambda one: (not one.key, thai_sort_key(str(one.title)))))
        for title, group in ((_l("Units of the office"), offices), (_l("Schools"), schools))
        if group
    ]


def _item_scores(office_id: int, year: int, quarter: int | None) -> dict[tuple[str, str], Scores]:
    query: Select = (
        select(
            ServiceRecord.service_key,
            SurveyAnswer.item,
            func.count(),
            func.sum(SurveyAnswer.score),
            func.sum(SurveyAnswer.score * SurveyAnswer.score),
        )
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(ServiceRecord, ServiceRecord.id == SurveyResponse.record_id)
        .where(*_finished(office_id, year, quarter))
        .group_by(ServiceRecord.service_key, SurveyAnswer.item)
    )
    return {
        (key, item): Scores(n, float(total), float(squares))
        for key, item, n, total, squares in db.session.execute(query)
        if item in ITEMS
    }


def _sum_by(items: dict[tuple[str, str], Scores], key_of) -> dict[str, Scores]:
    sums: dict[str, Scores] = defaultdict(Scores)
    for (_service, item), scores in items.items():
        sums[key_of(item)].add(scores)
    order = [a.key for a in QUESTIONNAIRE] + list(ITEMS)
    return {k: sums[k] for k in sorted(sums, key=lambda k: order.index(k) if k in order else len(order))}


def _quarter_volumes(office_id: int, year: int, types: dict[str, ServiceType]) -> dict[str, list[int]]:
    query = (
        select(ServiceRecord.service_key, ServiceRecord.fiscal_quarter, func.count())
        .where(*_finished(office_id, year, None))
        .group_by(ServiceRecord.service_key, ServiceRecord.fiscal_quarter)
    )
    volumes: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for key, quarter, count in db.session.execute(query):
        volumes[_plugin_of(key, types)][quarter - 1] += count
    return dict(sorted(volumes.items()))


def _comments(office_id: int, year: int, quarter: int | None, types: dict[str, ServiceType]) -> list[Comment]:
    query = (
        select(ServiceRecord.service_key, SurveyResponse.comment, SurveyResponse.submitted_at)
        .join(SurveyResponse, SurveyResponse.record_id == ServiceRecord.id)
        .where(*_finished(office_id, year, quarter), SurveyResponse.comment.is_not(None))
        .order_by(SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc())
        .limit(COMMENTS_SHOWN)
    )
    return [Comment(_title(key, types), text, at) for key, text, at in db.session.execute(query)]


def _line(key: str, types: dict[str, ServiceType]) -> Line:
    return Line(key, _title(key, types))


def _title(key: str, types: dict[str, ServiceType]) -> object:
    service = types.get(key)
    return service.title if service else key  # a plugin since uninstalled keeps its records


def _plugin_of(key: str, types: dict[str, ServiceType]) -> str:
    service = types.get(key)
    return service.plugin if service else key.split(".", 1)[0]


def _plugin_title(plugin: str) -> object:
    record = khet().registry.plugins.get(plugin)
    return record.title if record else plugin


def _by_plugin(lines: Iterable[Line], types: dict[str, ServiceType]) -> dict[str, list[Line]]:
    order = list(types)
    grouped: dict[str, list[Line]] = defaultdict(list)
    for line in sorted(lines, key=lambda one: order.index(one.key) if one.key in order else len(order)):
        grouped[_plugin_of(line.key, types)].append(line)
    return dict(sorted(grouped.items()))
