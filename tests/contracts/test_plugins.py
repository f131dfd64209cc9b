"""The plugin contract: discovery, allow-list, requirements, naming, and per-office switches."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

from core.app import create_app
from core.config import ConfigError
from core.db import db
from core.plugins import ENTRY_POINT_GROUP
from core.plugins.offices import PluginSwitchError, enabled_for_office, set_plugin_enabled
from core.state import khet
from tests.conftest import SECRET_KEY, login, make_user, post
from tests.contracts.throwaway import install_plugin

BUNDLED = sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.value.startswith("plugins."))


def _environ(tmp_path, **extra: str) -> dict[str, str]:
    return {
        "KHET_INSTANCE_PATH": str(tmp_path),
        "KHET_SECRET_KEY": SECRET_KEY,
        "KHET_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        **extra,
    }


def test_the_five_work_areas_are_installed():
    assert BUNDLED == ["conference", "dltv", "helpdesk", "saraban", "website"]


@pytest.mark.parametrize("name", BUNDLED)
def test_each_plugin_boots_alone(make_app, name):
    app = make_app(plugins=name)
    assert khet(app).loaded_plugins == [name]
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json["plugins"] == [name]


def test_all_plugins_boot_together(make_app):
    assert sorted(khet(make_app()).loaded_plugins) == BUNDLED


@pytest.mark.parametrize("name", BUNDLED)
def test_everything_a_plugin_contributes_carries_its_name(make_app, name):
    registry = khet(make_app(plugins=name)).registry
    owned = [
        *(p for p, owner in ((p.name, p.plugin) for p in registry.permissions.values()) if owner == name),
        *(t for t, owner in registry.tables.items() if owner == name),
        *(b for b, owner in registry.blueprints.items() if owner == name),
        *(e for e, owner in registry.admin_endpoints.items() if owner == name),
    ]
    assert all(item.startswith(name) for item in owned), owned


def test_unknown_plugin_in_allow_list_stops_start_up(tmp_path):
    with pytest.raises(ConfigError, match="KHET_PLUGINS names 'parking'"):
        create_app(_environ(tmp_path, KHET_PLUGINS="saraban,parking"))


def test_installed_is_not_running_unless_allowed(tmp_path):
    app = create_app(_environ(tmp_path, KHET_PLUGINS="helpdesk"))
    assert khet(app).loaded_plugins == ["helpdesk"]
    assert not any(rule.rule.startswith("/saraban") for rule in app.url_map.iter_rules())


def test_missing_requirement_stops_start_up(tmp_path, monkeypatch):
    install_plugin(tmp_path, monkeypatch, requires=("fleet",))
    with pytest.raises(ConfigError, match="'vehicles' cannot start: requires 'fleet'"):
        create_app(_environ(tmp_path))


def test_failed_import_stops_start_up_with_the_reason(tmp_path, monkeypatch):
    install_plugin(tmp_path, monkeypatch, source="raise RuntimeError('broken on purpose')\n")
    with pytest.raises(ConfigError, match="import failed: RuntimeError: broken on purpose"):
        create_app(_environ(tmp_path))
    # A plugin that is not allowed is not even imported.
    assert khet(create_app(_environ(tmp_path, KHET_PLUGINS="saraban"))).loaded_plugins == ["saraban"]


@pytest.mark.parametrize(
    "hook, contribution",
    [
        ("register_permissions", "Permission('core.users.manage2', 'x')"),
        ("register_audit_types", "AuditType('core.auth.signed_in2', 'x')"),
        ("register_notification_channels", "NotificationChannel('sms', send=print)"),
        ("register_service_types", "ServiceType('repair', 'Repair')"),
        ("register_jobs", "Job('remind', print)"),
    ],
)
def test_contribution_without_the_plugin_prefix_is_refused(tmp_path, monkeypatch, hook, contribution):
    source = (
        "from core.audit import AuditType\n"
        "from core.plugins import KhetPlugin, hookimpl\n"
        "from core.plugins.contributions import NotificationChannel, Permission\n"
        "from core.standards.contributions import ServiceType\n"
        "from core.jobs import Job\n"
        "class P(KhetPlugin):\n    name = 'vehicles'\n    requires = REQUIRES\n"
        f"    @hookimpl\n    def {hook}(self):\n"
        f"        return ({contribution},)\nplugin = P()\n"
    )
    install_plugin(tmp_path, monkeypatch, source=source)
    with pytest.raises(ConfigError, match=r"must start with 'vehicles\.'"):
        create_app(_environ(tmp_path))


def test_permission_with_a_space_is_refused(tmp_path, monkeypatch):
    source = (
        "from core.plugins import KhetPlugin, hookimpl\n"
        "from core.plugins.contributions import Permission\n"
        "class P(KhetPlugin):\n    name = 'vehicles'\n    requires = REQUIRES\n"
        "    @hookimpl\n    def register_permissions(self):\n"
        "        return (Permission('vehicles.book core.admin.access', 'x'),)\nplugin = P()\n"
    )
    install_plugin(tmp_path, monkeypatch, source=source)
    with pytest.raises(ConfigError, match="without spaces"):
        create_app(_environ(tmp_path))


def test_a_plugins_audit_types_reach_the_viewer(make_app, vehicles, office_with_people):
    web = make_app()
    types = khet(web).registry.audit_types
    assert types["vehicles.trip.logged"].plugin == "vehicles"
    assert {"vehicles.van.created", "vehicles.van.updated", "vehicles.van.deleted"} <= set(types)
    client = web.test_client()
    make_user("root@install.example", None, "admin")
    db.session.commit()
    login(client, "root@install.example")
    page = client.get("/admin/core_audit/").get_data(as_text=True)
    assert '<option value="vehicles.trip.logged">' in page and '<option value="vehicles">' in page


@pytest.fixture
def vehicles(tmp_path, monkeypatch):
    """The throwaway plugin, installed for this test; it needs saraban switched on first."""
    site = tmp_path / "site"
    site.mkdir()
    install_plugin(site, monkeypatch, requires=("saraban",))


@pytest.fixture
def office_with_people(vehicles, app):
    from tests.conftest import make_office

    units = make_office("สพป.ทดสอบ เขต 1", "A")
    clerk = make_user("clerk@a.example", units["unit"], "clerk")
    office_admin = make_user("admin@a.example", units["unit"], "admin")
    db.session.commit()
    return units, clerk, office_admin


def test_throwaway_plugin_plugs_in_without_touching_core(make_app, vehicles, office_with_people):
    units, clerk, office_admin = office_with_people
    web = make_app()
    assert "vehicles" in khet(web).loaded_plugins
    client = web.test_client()
    login(client, clerk.email)

    # Off for the office (the default): everything it contributes is gone.
    dashboard = client.get("/").get_data(as_text=True)
    assert "Vehicle bookings" not in dashboard and "2 vans booked" not in dashboard
    assert client.get("/vehicles/").status_code == 404

    admin_client = web.test_client()
    login(admin_client, office_admin.email)
    assert admin_client.get("/admin/vehicles_bookings/").status_code == 404
    for name in ("saraban", "vehicles"):
        response = post(
            admin_client,
            "/admin/core_plugins/switch",
            {"office": units["office"].id, "plugin": name, "enabled": "1"},
        )
        assert response.status_code == 302

    # On: the page, the menu item, the widget and the admin view appear.
    dashboard = client.get("/").get_data(as_text=True)
    assert 'href="/vehicles/"' in dashboard and "2 vans booked" in dashboard
    assert client.get("/vehicles/").status_code == 200
    assert admin_client.get("/admin/vehicles_bookings/").get_data(as_text=True) == "vehicle admin page"
    assert "/admin/vehicles_bookings/" in admin_client.get("/admin/").get_data(as_text=True)
    # Its permission was granted to its default role when first seen; others still get 403.
    assert admin_client.get("/vehicles/").status_code == 403
    assert client.get("/admin/vehicles_bookings/").status_code == 403


def test_switching_a_plugin_needs_a_recent_password(make_app, vehicles, office_with_people):
    units, _clerk, office_admin = office_with_people
    client = make_app().test_client()
    login(client, office_admin.email)
    with client.session_transaction() as session:
        session["reauth_at"] = 0
    response = post(
        client,
        "/admin/core_plugins/switch",
        {"office": units["office"].id, "plugin": "vehicles", "enabled": "1"},
        headers={"Referer": "http://localhost/admin/core_plugins/"},
    )
    assert "/account/confirm" in response.location
    assert "vehicles" not in enabled_for_office(units["office"].id)


def test_office_switch_respects_requirements(make_app, vehicles, office_with_people):
    units, _clerk, _office_admin = office_with_people
    office_id = units["office"].id
    set_plugin_enabled(office_id, "saraban", False)
    with pytest.raises(PluginSwitchError) as refused:
        set_plugin_enabled(office_id, "vehicles", True)
    assert refused.value.reason == "requires" and refused.value.params["other"] == "saraban"
    set_plugin_enabled(office_id, "saraban", True)
    set_plugin_enabled(office_id, "vehicles", True)
    with pytest.raises(PluginSwitchError) as refused:
        set_plugin_enabled(office_id, "saraban", False)
    assert refused.value.reason == "required_by"
    db.session.commit()
    assert {"saraban", "vehicles"} <= enabled_for_office(office_id)


def test_throwaway_roles_models_and_commands_are_registered(app, vehicles, monkeypatch, tmp_path):
    from click.testing import CliRunner

    from core.auth.models import Role
    from core.cli import cli, plugin_commands
    from core.setup import seed_roles_and_permissions

    registry = khet(create_app(_environ(tmp_path))).registry
    assert registry.tables["vehicles_vans"] == "vehicles"
    assert registry.roles["vehicles_dispatcher"].plugin == "vehicles"
    with create_app(
        _environ(tmp_path, KHET_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])
    ).app_context():
        seed_roles_and_permissions()
        db.session.commit()
        role = db.session.query(Role).filter_by(name="vehicles_dispatcher").one()
        assert role.permission_names == {"vehicles.booking.manage"}
    for key, value in _environ(tmp_path).items():
        monkeypatch.setenv(key, value)
    commands = {command.name: command for command in plugin_commands()}
    result = CliRunner().invoke(commands["vehicles"], [])
    assert result.output == "vans ready\n"
    assert "vehicles" not in cli.commands  # added by main(), not kept between runs


def test_the_demo_asks_every_plugin_to_fill_the_office(vehicles, app, make_app):
    import sys

    from core.demo import create_demo

    demo_app = make_app()
    with demo_app.app_context():
        create_demo()
        plugin = khet(demo_app).pm.get_plugin("vehicles")
        calls = sys.modules[type(plugin).__module__].DEMO_OFFICES
        logins = ["admin", "clerk", "deputy", "director", "dlict", "principal", "teacher", "tech"]
        assert calls == [("สพป.ตัวอย่าง เขต 1", logins)]


def test_a_plugins_job_runs_in_the_background(vehicles, app, make_app):
    import sys

    from core.jobs import enqueue, wait_idle

    web = make_app()
    with web.app_context():
        enqueue("vehicles.remind", trip_id=7)
        db.session.commit()
        plugin = khet(web).pm.get_plugin("vehicles")
    assert wait_idle(web)
    assert sys.modules[type(plugin).__module__].REMINDED == [7]
