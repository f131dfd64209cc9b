"""Service standards: measuring in working time across weekends, holidays, pauses and
fiscal-year edges; the office's own times; the report's figures against hand-computed ones."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pytest

from core.calendar.models import Holiday
from core.calendar.working_time import working_calendar
from core.db import db
from core.notifications.models import Notification
from core.plugins.offices import set_plugin_enabled
from core.standards.contributions import Clock, Mark, StandardTime
from core.standards.measure import measure
from core.standards.models import RecordStatus, ServiceRecord
from core.standards.report import build_report
from core.standards.services import (
    ServiceStateError,
    cancel,
    finish,
    mark,
    office_catalogue,
    open_service,
    pause,
    progress,
    resume,
    save_settings,
    start,
)
from core.standards.survey import ITEMS, band, submit
from tests.conftest import make_office, make_user
from tests.contracts.throwaway import install_plugin

PLUGIN_SOURCE = """
from core.plugins import KhetPlugin, hookimpl
from core.standards.contributions import Clock, Mark, ServiceType, StandardTime


class Plugin(KhetPlugin):
    name = "repairs"
    title = "Repairs"
    requires = REQUIRES

    @hookimpl
    def register_service_types(self):
        return (
            ServiceType("repairs.repair", "Repair", (
                StandardTime("first_response", "First response", Mark.RECEIVED, Mark.STARTED, 240),
                StandardTime("resolution", "Resolved", Mark.RECEIVED, Mark.FINISHED, 1260),
            ), months=(10, 11, 12)),
            ServiceType("repairs.meeting", "Video conference", (
                StandardTime("setup", "Set up before", "set_up", "scheduled_start", 30, Clock.CALENDAR,
                             at_least=True),
                StandardTime("check", "Checked after", "scheduled_end", "checked", 10, Clock.CALENDAR),
            ), marks=("set_up", "scheduled_start", "scheduled_end", "checked")),
        )


plugin = Plugin()
"""


def bkk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Bangkok wall-clock time as stored: naive UTC."""
    return datetime(year, month, day, hour, minute) - timedelta(hours=7)


RESOLVE = StandardTime("resolution", "Resolved", Mark.RECEIVED, Mark.FINISHED, 1260)
RESPOND = StandardTime("first_response", "First response", Mark.RECEIVED, Mark.STARTED, 240)
SETUP = StandardTime("setup", "Set up", "set_up", "scheduled_start", 30, Clock.CALENDAR, at_least=True)
SONGKRAN = working_calendar([date(2026, 4, 13), date(2026, 4, 14), date(2026, 4, 15)])
PLAIN = working_calendar([])


# --- measuring, without a database -------------------------------------------------------------


def test_a_weekend_does_not_count():
    marks = [(Mark.RECEIVED, bkk(2026, 6, 5, 15)), (Mark.FINISHED, bkk(2026, 6, 8, 10))]  # Fri → Mon
    result = measure(marks, RESOLVE, 1260, PLAIN, bkk(2026, 6, 8, 12))
    assert result.minutes == 90 + 90 and result.met is True


def test_public_holidays_do_not_count():
    marks = [(Mark.RECEIVED, bkk(2026, 4, 10, 16)), (Mark.FINISHED, bkk(2026, 4, 16, 9, 30))]
    assert measure(marks, RESOLVE, 1260, SONGKRAN, bkk(2026, 4, 17)).minutes == 30 + 60
    assert measure(marks, RESOLVE, 1260, PLAIN, bkk(2026, 4, 17)).minutes == 30 + 3 * 420 + 60


def test_paused_time_does_not_count():
    marks = [
        (Mark.RECEIVED, bkk(2026, 6, 8, 9)),
        (Mark.PAUSED, bkk(2026, 6, 8, 10)),  # waiting for parts
        (Mark.RESUMED, bkk(2026, 6, 10, 10)),
        (Mark.FINISHED, bkk(2026, 6, 10, 11)),
    ]
    assert measure(marks, RESOLVE, 1260, PLAIN, bkk(2026, 6, 11)).minutes == 60 + 60


def test_an_open_service_falls_due_in_working_time_and_stops_while_paused():
    received = [(Mark.RECEIVED, bkk(2026, 6, 8, 9))]
    running = measure(received, RESPOND, 240, PLAIN, bkk(2026, 6, 8, 9, 30))
    assert running.met is None and running.minutes == 30
    assert running.due_at == bkk(2026, 6, 8, 14)  # 3 hours before lunch, 1 after
    late = measure(received, RESPOND, 240, PLAIN, bkk(2026, 6, 9, 9))
    assert late.met is False  # missed before anyone started: warned, not waiting for the end
    paused = measure([*received, (Mark.PAUSED, bkk(2026, 6, 8, 10))], RESPOND, 240, PLAIN, bkk(2026, 6, 12))
    assert paused.met is None and paused.minutes == 60 and paused.due_at is None


def test_a_lead_time_must_be_reached():
    meeting = bkk(2026, 6, 8, 9)
    early = [("set_up", meeting - timedelta(minutes=45)), ("scheduled_start", meeting)]
    late = [("set_up", meeting - timedelta(minutes=20)), ("scheduled_start", meeting)]
    assert measure(sorted(early, key=lambda m: m[1]), SETUP, 30, PLAIN, meeting).met is True
    assert measure(sorted(late, key=lambda m: m[1]), SETUP, 30, PLAIN, meeting).met is False
    pending = measure([("scheduled_start", meeting)], SETUP, 30, PLAIN, meeting - timedelta(hours=1))
    assert pending.met is None and pending.due_at == meeting - timedelta(minutes=30)
    assert measure([("scheduled_start", meeting)], SETUP, 30, PLAIN, meeting).met is False


def test_the_usual_interpretation_bands():
    assert [str(band(x)) for x in (5.0, 4.51, 4.505, 4.5, 3.51, 3.5, 2.51, 2.5, 1.51, 1.5, 1.0)] == [
        "Highest",
        "Highest",
        "Highest",  # printed as 4.51
        "High",
        "High",
        "Moderate",
        "Moderate",
        "Low",
        "Low",
        "Lowest",
        "Lowest",
    ]


# --- services in the database ------------------------------------------------------------------


@pytest.fixture
def repairs(tmp_path, monkeypatch):
    install_plugin(tmp_path, monkeypatch, name="repairs", source=PLUGIN_SOURCE)


@pytest.fixture
def office(repairs, app):
    units = make_office("สพป.ทดสอบ เขต 1", "A")
    people = {
        "officer": make_user("tech@a.example", units["unit"], "computer_officer", name="ช่างดี มีฝีมือ"),
        "teacher": make_user("teacher@a.example", units["school"], "teacher", name="ครูใจ ดีงาม"),
    }
    set_plugin_enabled(units["office"].id, "repairs", True)
    db.session.commit()
    return {**units, **people}


def _repair(office, received: datetime, **kwargs) -> ServiceRecord:
    return open_service(
        office_id=office["office"].id,
        service_key="repairs.repair",
        title="คอมพิวเตอร์ห้องธุรการเปิดไม่ติด",
        received_at=received,
        **{"requester": office["teacher"], **kwargs},
    )


def test_a_finished_service_keeps_its_results_with_the_time_allowed(office):
    record = _repair(office, bkk(2026, 6, 5, 15))
    start(record, bkk(2026, 6, 5, 16), office["officer"])
    pause(record, bkk(2026, 6, 8, 9), office["officer"])
    resume(record, bkk(2026, 6, 9, 9), office["officer"])
    finish(record, bkk(2026, 6, 9, 10), office["officer"])
    db.session.commit()
    results = {r.standard_key: (r.minutes, r.limit_minutes, r.met) for r in record.results}
    assert results == {"first_response": (60, 240, True), "resolution": (90 + 30 + 60, 1260, True)}
    assert record.working_minutes == 180 and record.status == RecordStatus.FINISHED
    assert (record.fiscal_year, record.fiscal_quarter) == (2569, 3)


def test_the_office_sets_its_own_times(office):
    save_settings(
        office["office"].id, "repairs.repair", enabled=True, months=[10, 11], limits={"first_response": 30}
    )
    db.session.commit()
    run = next(s for s in office_catalogue(office["office"].id) if s.key == "repairs.repair")
    assert run.limits == {"first_response": 30, "resolution": 1260} and run.months == (10, 11)
    record = _repair(office, bkk(2026, 6, 8, 9))
    finish(record, bkk(2026, 6, 8, 10))
    assert {r.standard_key: (r.limit_minutes, r.met) for r in record.results} == {
        "first_response": (30, False),
        "resolution": (1260, True),
    }


def test_a_service_the_office_does_not_offer_is_refused(office):
    save_settings(office["office"].id, "repairs.repair", enabled=False, months=[], limits={})
    with pytest.raises(ServiceStateError):
        _repair(office, bkk(2026, 6, 8, 9))


def test_steps_that_do_not_fit_are_refused(office):
    record = _repair(office, bkk(2026, 6, 8, 9))
    pause(record, bkk(2026, 6, 8, 10))
    with pytest.raises(ServiceStateError):
        pause(record, bkk(2026, 6, 8, 11))
    with pytest.raises(ValueError, match="no mark"):
        mark(record, "set_up")
    cancel(record)
    with pytest.raises(ServiceStateError):
        resume(record)
    with pytest.raises(ServiceStateError):
        finish(record)


@pytest.mark.parametrize(
    "finished, period",
    [
        (bkk(2026, 9, 30, 23, 30), (2569, 4)),  # the last evening of the fiscal year, Bangkok time
        (bkk(2026, 10, 1, 0, 30), (2570, 1)),  # already 30 September in UTC
        (bkk(2026, 12, 31, 23, 59), (2570, 1)),
        (bkk(2027, 1, 1, 0, 1), (2570, 2)),
    ],
)
def test_a_service_counts_in_the_fiscal_quarter_it_finished_in(office, finished, period):
    record = _repair(office, finished - timedelta(hours=1))
    finish(record, finished)
    assert (record.fiscal_year, record.fiscal_quarter) == period


def test_holidays_of_the_office_are_used(office):
    db.session.add(Holiday(day=date(2026, 6, 8), name="วันหยุดพิเศษ", office_id=office["office"].id))
    record = _repair(office, bkk(2026, 6, 5, 16))
    finish(record, bkk(2026, 6, 9, 9))
    assert record.working_minutes == 30 + 30


def test_a_meeting_is_measured_by_its_own_marks(office):
    record = open_service(
        office_id=office["office"].id,
        service_key="repairs.meeting",
        title="ประชุมผู้บริหารสถานศึกษาผ่านระบบทางไกล",
        requester_name="ผู้ขอใช้บริการ",
        received_at=bkk(2026, 6, 1, 9),
    )
    mark(record, "scheduled_start", bkk(2026, 6, 8, 9))
    mark(record, "scheduled_end", bkk(2026, 6, 8, 12))
    state = {m.standard.key: m for m in progress(record, bkk(2026, 6, 8, 8))}
    assert state["setup"].met is None and state["setup"].due_at == bkk(2026, 6, 8, 8, 30)
    mark(record, "set_up", bkk(2026, 6, 8, 8, 20))
    mark(record, "checked", bkk(2026, 6, 8, 12, 15))
    finish(record, bkk(2026, 6, 8, 12, 15))
    assert {r.standard_key: (r.minutes, r.met) for r in record.results} == {
        "setup": (40, True),
        "check": (15, False),
    }


def test_the_requester_is_invited_once_in_the_app(office):
    record = _repair(office, bkk(2026, 6, 8, 9))
    finish(record, bkk(2026, 6, 8, 10))
    db.session.commit()
    notes = db.session.query(Notification).filter_by(recipient_id=office["teacher"].id).all()
    assert [n.kind for n in notes] == ["survey"] and notes[0].url.startswith("/survey/")
    assert record.survey_invited_at is not None


# --- the report against figures computed by hand ----------------------------------------------


def _finished_repair(
    office, received: datetime, started: datetime, finished: datetime, **requester
) -> ServiceRecord:
    record = _repair(office, received, **requester)
    start(record, started)
    finish(record, finished)
    return record


def _answer(record: ServiceRecord, score: int, comment: str | None = None) -> None:
    submit(record, dict.fromkeys(ITEMS, score), comment)


def test_the_report_adds_up_as_by_hand(office, two_offices_b):
    # Quarter 1 of FY 2570 (Oct–Dec 2026): three repairs.
    a = _finished_repair(office, bkk(2026, 10, 5, 9), bkk(2026, 10, 5, 10), bkk(2026, 10, 5, 11))  # 120 min
    b = _finished_repair(
        office, bkk(2026, 10, 6, 9), bkk(2026, 10, 6, 15), bkk(2026, 10, 7, 9)
    )  # 390 + 30 min
    _finished_repair(office, bkk(2026, 11, 2, 9), bkk(2026, 11, 2, 9, 30), bkk(2026, 11, 6, 16, 30))  # 4.5 d
    # Quarter 2: one more; a cancelled one and another office's never count.
    _finished_repair(office, bkk(2027, 1, 5, 9), bkk(2027, 1, 5, 9), bkk(2027, 1, 5, 10))
    cancel(_repair(office, bkk(2026, 10, 8, 9)))
    _answer(a, 5, "บริการรวดเร็ว ประทับใจ")
    _answer(b, 4)
    db.session.commit()

    report = build_report(office["office"].id, 2570, 1)
    (group,) = report.groups
    (line,) = group.lines
    assert line.volume == 3
    assert line.mean_minutes == pytest.approx((120 + 420 + (4 * 420 + 420 - 30)) / 3)
    assert (line.standards["first_response"].met, line.standards["first_response"].total) == (2, 3)
    assert line.standards["resolution"].percent == pytest.approx(200 / 3)  # the 4.5-day one missed
    assert line.within.percent == pytest.approx(100 * 4 / 6)
    scores = line.satisfaction  # 11 fives and 11 fours
    assert scores.n == 22 and scores.mean == pytest.approx(4.5)
    assert scores.sd == pytest.approx(math.sqrt(22 * 0.25 / 21))
    assert str(scores.band) == "High"  # 4.50 is not yet "Highest"
    assert report.aspects["staff"].n == 6 and report.aspects["staff"].mean == pytest.approx(4.5)
    assert [c.text for c in report.comments] == ["บริการรวดเร็ว ประทับใจ"]
    assert report.quarters == {"repairs": [3, 1, 0, 0]}
    whole_year = build_report(office["office"].id, 2570)
    assert whole_year.total.volume == 4 and whole_year.total.responses == 2


@pytest.fixture
def two_offices_b(office):
    """A second office with its own finished repair, which must never reach the first's report."""
    other = make_office("สพม.ทดสอบ เขต 2", "B")
    set_plugin_enabled(other["office"].id, "repairs", True)
    requester = make_user("t@b.example", other["school"], "teacher")
    record = open_service(
        office_id=other["office"].id,
        service_key="repairs.repair",
        title="อื่น",
        requester=requester,
        received_at=bkk(2026, 10, 5, 9),
    )
    finish(record, bkk(2026, 10, 5, 10))
    db.session.commit()
    return other


def test_the_report_splits_services_by_unit_and_school(office, two_offices_b):
    # The school's teacher asked twice (one repair missed its resolution standard), the ICT
    # unit's officer once, and a visitor without an account once.
    school_ok = _finished_repair(office, bkk(2026, 10, 5, 9), bkk(2026, 10, 5, 10), bkk(2026, 10, 5, 11))
    _finished_repair(office, bkk(2026, 11, 2, 9), bkk(2026, 11, 2, 9, 30), bkk(2026, 11, 6, 16, 30))
    own = _finished_repair(
        office, bkk(2026, 10, 6, 9), bkk(2026, 10, 6, 9), bkk(2026, 10, 6, 10), requester=office["officer"]
    )
    _finished_repair(
        office,
        bkk(2026, 10, 7, 9),
        bkk(2026, 10, 7, 9),
        bkk(2026, 10, 7, 10),
        requester=None,
        requester_name="ผู้มาติดต่อ",
    )
    _answer(school_ok, 5)
    _answer(own, 3)
    db.session.commit()

    units, schools = build_report(office["office"].id, 2570, 1).requesters
    assert [(str(line.title), line.volume, line.breaches) for line in units.lines] == [
        ("งานศูนย์ ICT A", 1, 0),
        ("No unit recorded", 1, 0),
    ]
    assert units.lines[0].satisfaction.mean == 3 and units.lines[0].responses == 1
    (school,) = schools.lines
    assert (school.title, school.volume, school.breaches) == ("โรงเรียนทดสอบ A", 2, 1)
    assert school.within.percent == pytest.approx(75) and school.satisfaction.mean == 5
    assert school.mean_minutes == pytest.approx((120 + 4 * 420 + 420 - 30) / 2)
