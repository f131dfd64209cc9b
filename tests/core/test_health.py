"""The health check that load balancers and monitoring call."""

from __future__ import annotations

from core.jobs import shutdown
from tests.conftest import SECRET_KEY


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["database"] == "ok"
    assert sorted(response.json["plugins"]) == ["conference", "dltv", "helpdesk", "saraban", "website"]


def test_unreachable_database_answers_503(tmp_path):
    from core.app import create_app

    app = create_app(
        {
            "KHET_INSTANCE_PATH": str(tmp_path),
            "KHET_SECRET_KEY": SECRET_KEY,
            "KHET_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1",
        }
    )
    try:
        response = app.test_client().get("/healthz")
        assert response.status_code == 503 and response.json["status"] == "error"
    finally:
        shutdown(app)  # the request started the job thread: no periodic job outlives the test


def test_error_pages_are_friendly_and_translated(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "ไม่พบหน้า" in response.get_data(as_text=True)
    english = client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert "Page not found" in english.get_data(as_text=True)


def test_unexpected_error_shows_a_friendly_page_and_keeps_nothing(make_app, app):
    broken = make_app()

    @broken.route("/boom")
    def boom():
        raise RuntimeError("kaput")

    response = broken.test_client().get("/boom")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "kaput" not in text and "Traceback" not in text
    assert "เกิดข้อผิดพลาด" in text


def test_a_serving_process_keeps_start_up_out_of_garbage_collection(tmp_path):
    """The production entry (README: gunicorn 'core.wsgi:serving_app()') answers, what start-up
    built is frozen, so full collections do not walk it on every request, and young objects are
    not looked through twice a page."""
    import gc

    from core.wsgi import YOUNG_OBJECTS_PER_PASS, serving_app

    gc.unfreeze()
    thresholds = gc.get_threshold()
    app = None
    try:
        app = serving_app(
            {
                "KHET_INSTANCE_PATH": str(tmp_path),
                "KHET_SECRET_KEY": SECRET_KEY,
                "KHET_DATABASE_URL": f"sqlite:///{tmp_path / 'khet.db'}",
            }
        )
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold() == (YOUNG_OBJECTS_PER_PASS, *thresholds[1:])
        assert thresholds[0] < YOUNG_OBJECTS_PER_PASS
        assert app.test_client().get("/login").status_code == 200
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual
        gc.set_threshold(*thresholds)
        if app is not None:
            shutdown(app)  # its periodic jobs would run on a database without tables
