"""Settings from KHET_* variables: defaults, and a clear refusal for every bad value."""

from __future__ import annotations

import pytest

from core.config import ConfigError, Environment, SmtpSettings, load_settings

STRONG = "f3b1c0d2e4a5968778695a4b3c2d1e0ff00112233445566778899aabbccddeeff"
FROM = "Khet <khet@office.example>"


def test_defaults_run_on_sqlite_in_the_instance_folder(tmp_path):
    settings = load_settings({"KHET_INSTANCE_PATH": str(tmp_path)})
    assert settings.env is Environment.DEVELOPMENT
    assert settings.database_url == f"sqlite:///{tmp_path / 'khet.db'}"
    assert settings.plugins is None and settings.redis_url is None


def test_development_secret_is_generated_once_and_kept(tmp_path):
    first = load_settings({"KHET_INSTANCE_PATH": str(tmp_path)}).secret_key
    second = load_settings({"KHET_INSTANCE_PATH": str(tmp_path)}).secret_key
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_plugins_allow_list_is_parsed(tmp_path):
    settings = load_settings(
        {"KHET_INSTANCE_PATH": str(tmp_path), "KHET_PLUGINS": " saraban, helpdesk,saraban "}
    )
    assert settings.plugins == ("saraban", "helpdesk")


@pytest.mark.parametrize(
    "environ, setting",
    [
        ({"KHET_ENV": "staging"}, "KHET_ENV"),
        ({"KHET_ENV": "production"}, "KHET_SECRET_KEY"),
        ({"KHET_ENV": "production", "KHET_SECRET_KEY": "short"}, "KHET_SECRET_KEY"),
        ({"KHET_SECRET_KEY": "a" * 40}, "KHET_SECRET_KEY"),
        ({"KHET_DATABASE_URL": "not a url"}, "KHET_DATABASE_URL"),
        ({"KHET_DATABASE_URL": "mysql://root@localhost/khet"}, "KHET_DATABASE_URL"),
        ({"KHET_REDIS_URL": "localhost:6379"}, "KHET_REDIS_URL"),
        ({"KHET_PLUGINS": "saraban,help-desk"}, "KHET_PLUGINS"),
        ({"KHET_IDLE_MINUTES": "soon"}, "KHET_IDLE_MINUTES"),
        ({"KHET_IDLE_MINUTES": "0"}, "KHET_IDLE_MINUTES"),
        ({"KHET_SMTP_URL": "mail.office.example", "KHET_MAIL_FROM": FROM}, "KHET_SMTP_URL"),
        ({"KHET_SMTP_URL": "smtp://mail.office.example?tls=1", "KHET_MAIL_FROM": FROM}, "KHET_SMTP_URL"),
        ({"KHET_SMTP_URL": "smtp://mail.office.example:99999", "KHET_MAIL_FROM": FROM}, "KHET_SMTP_URL"),
        (
            {"KHET_SMTP_URL": "smtps://mail.office.example?starttls=1", "KHET_MAIL_FROM": FROM},
            "KHET_SMTP_URL",
        ),
        ({"KHET_SMTP_URL": "smtp://mail.office.example"}, "KHET_MAIL_FROM"),
        ({"KHET_MAIL_FROM": "Khet office"}, "KHET_MAIL_FROM"),
        ({"KHET_BASE_URL": "khet.office.example"}, "KHET_BASE_URL"),
    ],
)
def test_bad_settings_stop_start_up_naming_the_setting(tmp_path, environ, setting):
    with pytest.raises(ConfigError, match=setting):
        load_settings({"KHET_INSTANCE_PATH": str(tmp_path), **environ})


def test_production_with_a_strong_secret(tmp_path):
    settings = load_settings(
        {
            "KHET_INSTANCE_PATH": str(tmp_path),
            "KHET_ENV": "production",
            "KHET_SECRET_KEY": STRONG,
            "KHET_REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert settings.is_production and settings.secret_key == STRONG


def test_smtp_url_names_the_server_the_account_and_the_encryption(tmp_path):
    settings = load_settings(
        {
            "KHET_INSTANCE_PATH": str(tmp_path),
            "KHET_SMTP_URL": "smtp://khet%40office.example:p%40ss%3Aword@mail.office.example?starttls=1",
            "KHET_MAIL_FROM": FROM,
            "KHET_BASE_URL": "https://khet.office.example/",
        }
    )
    assert settings.smtp == SmtpSettings(
        "mail.office.example", 587, "khet@office.example", "p@ss:word", tls=False, starttls=True
    )
    assert "p@ss" not in repr(settings.smtp)
    assert settings.mail_from == FROM and settings.base_url == "https://khet.office.example"
    implicit_tls = load_settings(
        {
            "KHET_INSTANCE_PATH": str(tmp_path),
            "KHET_SMTP_URL": "smtps://mail.office.example",
            "KHET_MAIL_FROM": FROM,
        }
    ).smtp
    assert (implicit_tls.port, implicit_tls.tls, implicit_tls.username) == (465, True, None)


def test_without_smtp_mail_is_only_logged(tmp_path):
    settings = load_settings({"KHET_INSTANCE_PATH": str(tmp_path)})
    assert settings.smtp is None and settings.mail_from is None and settings.base_url is None


def test_a_bad_smtp_url_is_refused_without_repeating_its_password(tmp_path):
    with pytest.raises(ConfigError) as refused:
        load_settings(
            {
                "KHET_INSTANCE_PATH": str(tmp_path),
                "KHET_SMTP_URL": "smtp://khet:hunter2-secret@mail.office.example?starttls=maybe",
                "KHET_MAIL_FROM": FROM,
            }
        )
    assert "KHET_SMTP_URL" in str(refused.value) and "hunter2" not in str(refused.value)
