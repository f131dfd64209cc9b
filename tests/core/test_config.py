"""Settings from KHET_* variables: defaults, and a clear refusal for every bad value."""

from __future__ import annotations

import pytest

from core.config import ConfigError, Environment, load_settings

STRONG = "f3b1c0d2e4a5968778695a4b3c2d1e0ff00112233445566778899aabbccddeeff"


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
