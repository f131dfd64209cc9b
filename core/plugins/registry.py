"""Collecting what plugins contribute, checking its names, and answering who owns what."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import pluggy
from flask import Blueprint
from flask_admin import BaseView

from core.approvals.contributions import ApprovalSubject, ChainTemplate, DecisionVocabulary
from core.audit.types import AuditType
from core.config import ConfigError
from core.jobs.registry import Job
from core.plugins.contributions import (
    DashboardWidget,
    MenuItem,
    NotificationChannel,
    Permission,
    PluginRecord,
    RoleTemplate,
)
from core.plugins.manager import CORE
from core.standards.contributions import ServiceType


class ContributionError(ConfigError):
    """A plugin contributed something that does not carry its name or clashes with another."""


def call_each(pm: pluggy.PluginManager, hook_name: str, **kwargs: object) -> Iterator[tuple[str, object]]:
    """Call a ``register_*`` hook on every plugin, yielding ``(plugin name, item)``.

    Unlike ``pm.hook.x()`` this keeps track of which plugin returned what, so that core can
    check each name against its owner.
    """
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        result = impl.function(*(kwargs[arg] for arg in impl.argnames))
        for item in result or ():
            yield impl.plugin_name, item


def require_prefix(plugin: str, kind: str, name: str, separator: str) -> None:
    if plugin != CORE and not (name == plugin or name.startswith(plugin + separator)):
        raise ContributionError(
            f"plugin {plugin!r} contributes the {kind} {name!r}, which must start with {plugin + separator!r}"
        )


@dataclass
class Registry:
    """Everything the enabled plugins contribute to one application."""

    plugins: dict[str, PluginRecord]
    permissions: dict[str, Permission] = field(default_factory=dict)
    roles: dict[str, RoleTemplate] = field(default_factory=dict)
    menu_items: list[MenuItem] = field(default_factory=list)
    widgets: list[DashboardWidget] = field(default_factory=list)
    tables: dict[str, str] = field(default_factory=dict)  # table name -> plugin
    blueprints: dict[str, str] = field(default_factory=dict)  # blueprint name -> plugin
    admin_endpoints: dict[str, str] = field(default_factory=dict)  # endpoint -> plugin
    audit_types: dict[str, AuditType] = field(default_factory=dict)
    audited_models: dict[str, type] = field(default_factory=dict)  # AuditSpec key -> model
    approval_subjects: dict[str, ApprovalSubject] = field(default_factory=dict)
    approval_chains: dict[str, ChainTemplate] = field(default_factory=dict)
    decision_vocabularies: dict[str, DecisionVocabulary] = field(default_factory=dict)
    notification_channels: dict[str, NotificationChannel] = field(default_factory=dict)
    service_types: dict[str, ServiceType] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)

    def plugin_of_endpoint(self, endpoint: str | None) -> str | None:
        """The plugin that owns a URL endpoint (``helpdesk.index``), or None for core."""
        if not endpoint:
            return None
        prefix = endpoint.split(".", 1)[0]
        owner = self.blueprints.get(prefix) or self.admin_endpoints.get(prefix)
        return None if owner in (None, CORE) else owner


def collect_static(pm: pluggy.PluginManager, records: list[PluginRecord]) -> Registry:
    """Gather permissions, roles, models, menus and widgets once at start-up."""
    registry = Registry(plugins={r.name: r for r in records})
    for plugin, perm in call_each(pm, "register_permissions"):
        require_prefix(plugin, "permission", perm.name, ".")
        if not perm.name or any(character.isspace() for character in perm.name):
            # A person's permissions are read joined by spaces (core.auth.permissions).
            raise ContributionError(f"permission {perm.name!r} must be one word without spaces")
        if perm.name in registry.permissions:
            raise ContributionError(f"permission {perm.name!r} is declared twice")
        registry.permissions[perm.name] = replace(perm, plugin=plugin)
    for plugin, role in call_each(pm, "register_roles"):
        require_prefix(plugin, "role", role.name, "_")
        if role.name in registry.roles:
            raise ContributionError(f"role {role.name!r} is declared twice")
        registry.roles[role.name] = replace(role, plugin=plugin)
    for plugin, model in call_each(pm, "register_models"):
        table = model.__table__.name
        require_prefix(plugin if plugin != CORE else "core", "table", table, "_")
        registry.tables[table] = plugin
        spec = getattr(model, "__audit__", None)
        if spec is not None:
            require_prefix(plugin, "audited record", spec.key, ".")
            registry.audited_models[spec.key] = model
            _add_audit_types(registry, plugin, spec.event_types())
    for plugin, event_type in call_each(pm, "register_audit_types"):
        _add_audit_types(registry, plugin, [event_type])
    for plugin, item in call_each(pm, "register_menu_items"):
        require_prefix(plugin, "menu endpoint", item.endpoint.split(".", 1)[0], "_")
        registry.menu_items.append(replace(item, plugin=plugin))
    for plugin, widget in call_each(pm, "register_dashboard_widgets"):
        require_prefix(plugin, "dashboard widget", widget.name, ".")
        registry.widgets.append(replace(widget, plugin=plugin))
    _collect_approvals(pm, registry)
    for plugin, channel in call_each(pm, "register_notification_channels"):
        require_prefix(plugin, "notification channel", channel.name, ".")
        if channel.name in registry.notification_channels:
            raise ContributionError(f"notification channel {channel.name!r} is declared twice")
        registry.notification_channels[channel.name] = replace(channel, plugin=plugin)
    for plugin, service in call_each(pm, "register_service_types"):
        _add_service_type(registry, plugin, service)
    for plugin, job in call_each(pm, "register_jobs"):
        require_prefix(plugin, "background job", job.name, ".")
        if job.name in registry.jobs:
            raise ContributionError(f"background job {job.name!r} is declared twice")
        registry.jobs[job.name] = job
    registry.menu_items.sort(key=lambda i: i.weight)
    registry.widgets.sort(key=lambda w: w.weight)
    _check_role_permissions(registry)
    return registry


def _collect_approvals(pm: pluggy.PluginManager, registry: Registry) -> None:
    named = (
        ("register_decision_vocabularies", "decision vocabulary", registry.decision_vocabularies, "name"),
        ("register_approval_chains", "approval chain", registry.approval_chains, "key"),
        ("register_approval_subjects", "approval subject", registry.approval_subjects, "key"),
    )
    for hook, kind, target, attribute in named:
        for plugin, item in call_each(pm, hook):
            name = getattr(item, attribute)
            require_prefix(plugin, kind, name, ".")
            if name in target:
                raise ContributionError(f"{kind} {name!r} is declared twice")
            target[name] = replace(item, plugin=plugin)
    for chain in registry.approval_chains.values():
        for step in chain.steps:
            if step.vocabulary not in registry.decision_vocabularies:
                raise ContributionError(
                    f"chain {chain.key!r} uses unknown decision wording {step.vocabulary!r}"
                )
    for subject in registry.approval_subjects.values():
        if subject.chain_key not in registry.approval_chains:
            raise ContributionError(
                f"approval subject {subject.key!r} names unknown chain {subject.chain_key!r}"
            )


def _add_service_type(registry: Registry, plugin: str, service: ServiceType) -> None:
    require_prefix(plugin, "service type", service.key, ".")
    if service.key in registry.service_types:
        raise ContributionError(f"service type {service.key!r} is declared twice")
    known = service.known_marks()
    keys = [s.key for s in service.standards]
    if len(set(keys)) != len(keys):
        raise ContributionError(f"service type {service.key!r} names a standard twice")
    for standard in service.standards:
        unknown = {standard.start, standard.end} - known
        if unknown:
            raise ContributionError(
                f"standard {standard.key!r} of {service.key!r} uses unknown mark {unknown.pop()!r}"
            )
        if standard.minutes <= 0:
            raise ContributionError(f"standard {standard.key!r} of {service.key!r} allows no time")
    if not set(service.months) <= set(range(1, 13)):
        raise ContributionError(f"service type {service.key!r} plans months outside 1–12")
    registry.service_types[service.key] = replace(service, plugin=plugin)


def _add_audit_types(registry: Registry, plugin: str, event_types: list[AuditType]) -> None:
    for event_type in event_types:
        require_prefix(plugin, "audit event type", event_type.name, ".")
        if event_type.name in registry.audit_types:
            raise ContributionError(f"audit event type {event_type.name!r} is declared twice")
        registry.audit_types[event_type.name] = event_type


def _check_role_permissions(registry: Registry) -> None:
    for role in registry.roles.values():
        unknown = [p for p in role.permissions if p not in registry.permissions]
        if unknown:
            raise ContributionError(f"role {role.name!r} grants unknown permission {unknown[0]!r}")


def collect_blueprints(pm: pluggy.PluginManager, registry: Registry) -> list[Blueprint]:
    blueprints = []
    for plugin, bp in call_each(pm, "register_blueprints"):
        require_prefix(plugin, "blueprint", bp.name, "_")
        if plugin != CORE and not bp.url_prefix:
            raise ContributionError(f"plugin {plugin!r}: blueprint {bp.name!r} needs a url_prefix")
        registry.blueprints[bp.name] = plugin
        blueprints.append(bp)
    return blueprints


def collect_admin_views(pm: pluggy.PluginManager, registry: Registry) -> list[tuple[str, BaseView]]:
    views = []
    for plugin, view in call_each(pm, "register_admin_views"):
        require_prefix(plugin, "admin endpoint", view.endpoint, "_")
        registry.admin_endpoints[view.endpoint] = plugin
        views.append((plugin, view))
    return views
