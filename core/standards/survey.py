"""The satisfaction survey (แบบประเมินความพึงพอใจ): the questionnaire, its links and answers.

The usual Thai government layout: items rated on a 5-point scale, grouped by aspect, plus
open comments. The requester is invited when the service finishes, in the app and by a
signed link that works without signing in (school staff often have no account). The link
names the service record only; it expires ``LINK_DAYS`` after the invitation, and a service
takes one response.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask import Flask, current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.auth.models import User
from core.db import db, utcnow
from core.i18n import DEFAULT_LOCALE
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l
from core.jobs import Job, enqueue, register_job
from core.notifications.mail import message_to, send_message
from core.notifications.models import NotificationKind
from core.notifications.service import notify
from core.standards.models import RecordStatus, ServiceRecord, SurveyAnswer, SurveyResponse
from core.state import khet

log = logging.getLogger(__name__)

LINK_DAYS = 30
MAIL_JOB = "core.standards.mail_survey"
SURVEY_PATH = "/survey/{token}"
COMMENT_LENGTH = 2000
SCALE = (5, 4, 3, 2, 1)


@dataclass(frozen=True)
class Item:
    key: str  # <aspect>.<item>, as stored
    text: object


@dataclass(frozen=True)
class Aspect:
    key: str
    title: object
    items: tuple[Item, ...]


QUESTIONNAIRE = (
    Aspect(
        "process",
        _l("Process and steps"),
        (
            Item("process.simple", _l("The steps were simple and easy to follow")),
            Item("process.speed", _l("The service was quick and on time")),
            Item("process.clear", _l("Explanations and advice were clear")),
        ),
    ),
    Aspect(
        "staff",
        _l("Staff"),
        (
            Item("staff.courtesy", _l("Staff were polite and courteous")),
            Item("staff.willing", _l("Staff were willing and ready to help")),
            Item("staff.skill", _l("Staff knew their work")),
        ),
    ),
    Aspect(
        "facilities",
        _l("Facilities"),
        (
            Item("facilities.channels", _l("It was easy to ask for the service")),
            Item("facilities.equipment", _l("Equipment and tools were ready to use")),
        ),
    ),
    Aspect(
        "quality",
        _l("Quality of service"),
        (
            Item("quality.needs", _l("The service met my needs")),
            Item("quality.correct", _l("The result was correct and complete")),
            Item("quality.overall", _l("Overall, I am satisfied with the service")),
        ),
    ),
)
ITEMS = {item.key: item for aspect in QUESTIONNAIRE for item in aspect.items}

# The usual interpretation of a 5-point mean in Thai government reports.
BANDS = (
    (4.51, _l("Highest")),  # มากที่สุด
    (3.51, _l("High")),  # มาก
    (2.51, _l("Moderate")),  # ปานกลาง
    (1.51, _l("Low")),  # น้อย
    (0.0, _l("Lowest")),  # น้อยที่สุด
)
SCALE_LABELS = {5: BANDS[0][1], 4: BANDS[1][1], 3: BANDS[2][1], 2: BANDS[3][1], 1: BANDS[4][1]}


def band(mean: float) -> object:
    """The interpretation of a mean score, read at two decimals as reports print it."""
    shown = round(mean + 1e-9, 2)
    return next(label for floor, label in BANDS if shown >= floor)


class LinkProblem(StrEnum):
    INVALID = "invalid"
    EXPIRED = "expired"
    ANSWERED = "answered"


class SurveyLinkError(LookupError):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


class SurveyAnswersError(ValueError):
    """Answers that do not fit the questionnaire; ``errors`` maps item keys to messages."""

    def __init__(self, errors: dict[str, object]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="khet.survey")


def survey_token(record: ServiceRecord) -> str:
    return _serializer().dumps(record.id)


def survey_path(record: ServiceRecord) -> str:
    return SURVEY_PATH.format(token=survey_token(record))


def record_for_token(token: str, now: datetime | None = None) -> ServiceRecord:
    """The finished service a link is for; ``SurveyLinkError`` says what is wrong with it."""
    try:
        record_id = _serializer().loads(token)
    except BadSignature:
        raise SurveyLinkError(LinkProblem.INVALID) from None
    record = db.session.get(ServiceRecord, record_id) if isinstance(record_id, int) else None
    if record is None or record.status != RecordStatus.FINISHED or record.survey_invited_at is None:
        raise SurveyLinkError(LinkProblem.INVALID)
    if record.response is not None:
        raise SurveyLinkError(LinkProblem.ANSWERED)
    if (now or utcnow()) > expires_at(record):
        raise SurveyLinkError(LinkProblem.EXPIRED)
    return record


def expires_at(record: ServiceRecord) -> datetime:
    return record.survey_invited_at + timedelta(days=LINK_DAYS)


def invite(record: ServiceRecord) -> None:
    """Ask the requester to rate a finished service: in the app, or by e-mail without an account."""
    service = khet().registry.service_types.get(record.service_key)
    if service is None or not service.survey or record.survey_invited_at is not None:
        return
    record.survey_invited_at = utcnow()
    if record.requester is not None:
        notify(
            record.requester,
            NotificationKind.SURVEY,
            NotificationKind.SURVEY.default_message,
            {"title": record.title},
            url=survey_path(record),
            subject=("core.service_record", record.id),
        )
    elif record.requester_email:
        enqueue(MAIL_JOB, record_id=record.id)


def mail_invitation(record_id: int) -> None:
    """The background job that mails the link to a requester without an account (in Thai)."""
    record = db.session.get(ServiceRecord, record_id)
    settings = khet().settings
    if record is None or not record.requester_email:
        return
    if not settings.base_url:
        log.warning("KHET_BASE_URL is not set: no survey link can be mailed for service %s", record_id)
        return
    with force_locale(DEFAULT_LOCALE):
        subject = _("Please rate the service: %(title)s", title=record.title)
        body = "\n".join(
            (
                _("Dear %(name)s,", name=record.requester_name),
                "",
                _("“%(title)s” is done. Please tell us how we did:", title=record.title),
                settings.base_url + survey_path(record),
                "",
                _("The link works for %(days)d days and takes one answer.", days=LINK_DAYS),
                "",
                "-- ",
                _("Khet sent this message automatically; please do not reply to it."),
            )
        )
    send_message(message_to(record.requester_name, record.requester_email, subject, body, settings), settings)


def submit(
    record: ServiceRecord, scores: dict[str, int], comment: str | None, respondent: User | None = None
) -> SurveyResponse:
    """Keep one response; a second one for the same service raises ``SurveyLinkError``."""
    errors: dict[str, object] = {
        key: _l("Choose a rating from 1 to 5.") for key in ITEMS if scores.get(key) not in SCALE
    }
    comment = (comment or "").strip() or None
    if comment and len(comment) > COMMENT_LENGTH:
        errors["comment"] = _l("Keep comments under %(count)d characters.", count=COMMENT_LENGTH)
    if errors:
        raise SurveyAnswersError(errors)
    response = SurveyResponse(
        record_id=record.id,
        submitted_at=utcnow(),
        respondent=respondent,
        comment=comment,
        answers=[SurveyAnswer(item=key, score=scores[key]) for key in ITEMS],
    )
    try:
        with db.session.begin_nested():
            db.session.add(response)
    except IntegrityError:  # answered a moment ago, in another tab or by another person
        raise SurveyLinkError(LinkProblem.ANSWERED) from None
    return response


def responses_for(record_ids: list[int]) -> list[SurveyResponse]:
    return list(db.session.scalars(select(SurveyResponse).where(SurveyResponse.record_id.in_(record_ids))))


def init_standards(app: Flask) -> None:
    """Register the job that mails survey links to requesters without an account."""
    register_job(app, Job(MAIL_JOB, mail_invitation))
