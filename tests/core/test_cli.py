"""The khet command as an administrator uses it: help, set-up, people, plugins, errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from core.auth.models import User
from core.cli import cli
from core.db import db
from tests.contracts.throwaway import install_plugin

STRONG = "Admin-Passphrase-For-Tests-2569"


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["init"],
        ["demo"],
        ["serve"],
        ["db"],
        ["db", "upgrade"],
        ["db", "check"],
        ["users"],
        ["users", "create"],
        ["users", "set-password"],
        ["users", "deactivate"],
        ["users", "list"],
        ["plugins", "list"],
        ["i18n", "compile"],
        ["audit"],
        ["audit", "verify"],
        ["audit", "seal"],
        ["audit", "purge"],
        ["notifications"],
        ["notifications", "retry"],
        ["worker"],
    ],
)
def test_every_command_has_help(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_init_creates_the_first_administrator_from_the_environment(run):
    result = run("init", KHET_ADMIN_EMAIL="boss@office.example", KHET_ADMIN_PASSWORD=STRONG)
    assert result.exit_code == 0, result.output
    assert "Administrator boss@office.example created." in result.output
    again = run("init", KHET_ADMIN_EMAIL="other@office.example", KHET_ADMIN_PASSWORD=STRONG)
    assert "already exists" in again.output and _user("other@office.example") is None


def test_init_asks_when_the_environment_is_silent(run):
    result = run("init", input=f"asked@office.example\n{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0, result.output
    assert _user("asked@office.example") is not None


def test_init_refuses_a_weak_password_in_one_line(run):
    result = run("init", KHET_ADMIN_EMAIL="boss@office.example", KHET_ADMIN_PASSWORD="password")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("Error: The password must be at least 12")
    assert "Traceback" not in result.output and _user("boss@office.example") is None


def test_people_from_creation_to_deactivation(run, two_offices):
    created = run(
        "users",
        "create",
        "Noi@A.example",
        "--name",
        "น้อย ใจดี",
        "--unit",
        "A-U",
        "--role",
        "clerk",
        "--password",
        STRONG,
    )
    assert created.exit_code == 0, created.output
    person = _user("noi@a.example")
    assert person.office_id == two_offices["A"]["office"].id
    assert [a.role.name for a in person.role_assignments] == ["clerk"]
    listed = run("users", "list", "--office", "A")
    assert "noi@a.example\tน้อย ใจดี" in listed.output
    changed = run(
        "users", "set-password", "noi@a.example", "--password", "Another-Passphrase-77", "--temporary"
    )
    assert changed.exit_code == 0 and _user("noi@a.example").must_change_password
    deactivated = run("users", "deactivate", "noi@a.example")
    assert deactivated.exit_code == 0 and not _user("noi@a.example").active


@pytest.mark.parametrize(
    "args, message",
    [
        (["users", "set-password", "ghost@a.example", "--password", STRONG], "no user with e-mail"),
        (["users", "deactivate", "ghost@a.example"], "no user with e-mail"),
        (["users", "create", "not-an-email", "--name", "x", "--password", STRONG], "is not an e-mail"),
        (
            ["users", "create", "x@a.example", "--name", "x", "--unit", "NOPE", "--password", STRONG],
            "no org unit with code NOPE",
        ),
        (
            [
                "users",
                "create",
                "x@a.example",
                "--name",
                "x",
                "--unit",
                "A-U",
                "--role",
                "pope",
                "--password",
                STRONG,
            ],
            "no role named pope",
        ),
        (["users", "list", "--office", "ZZ"], "no office with code ZZ"),
    ],
)
def test_mistakes_give_one_line_and_a_non_zero_exit(run, two_offices, args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {message}" or message in result.output.splitlines()[-1]
    assert "Traceback" not in result.output


def test_bad_arguments_are_usage_errors(run):
    result = run("serve", "--port", "seventy")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_bad_setting_is_one_line(run):
    result = run("users", "list", KHET_ENV="staging")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: KHET_ENV must be one of development, production, not 'staging'"


def test_db_upgrade_and_check(run):
    assert run("db", "upgrade").exit_code == 0
    result = run("db", "check")
    assert result.exit_code == 0 and "Migrations match the models." in result.output


def test_plugins_list_shows_installed_allowed_offices_and_errors(
    run, app, two_offices, tmp_path, monkeypatch
):
    from core.plugins.offices import set_plugin_enabled

    set_plugin_enabled(two_offices["A"]["office"].id, "helpdesk", True)
    db.session.commit()
    result = run("plugins", "list", KHET_PLUGINS="helpdesk,saraban")
    lines = {line.split()[0]: line for line in result.output.splitlines()[1:]}
    assert set(lines) == {"conference", "dltv", "helpdesk", "saraban", "website"}
    assert "yes" in lines["helpdesk"] and two_offices["A"]["office"].name in lines["helpdesk"]
    assert " no " in lines["website"]
    site = tmp_path / "site"
    site.mkdir()
    install_plugin(site, monkeypatch, source="raise ImportError('missing driver')\n")
    broken = run("plugins", "list")
    assert (
        "vehicles" in broken.output and "error: import failed: ImportError: missing driver" in broken.output
    )
