"""Every hook is specified, documented with its arguments, and exercised."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from core.plugins import hookspecs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "hooks.md"


def _specs() -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(function)
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, "khet_spec")
    }


def _documented() -> dict[str, str]:
    return dict(re.findall(r"^## (\w+)\(([^)]*)\)$", DOCS.read_text(), re.MULTILINE))


def test_every_hookspec_has_a_heading_with_its_arguments():
    documented = _documented()
    for name, signature in _specs().items():
        assert name in documented, f"docs/hooks.md has no heading for {name}"
        arguments = [a.strip() for a in documented[name].split(",") if a.strip()]
        assert arguments == list(signature.parameters), f"arguments of {name} differ"


def test_no_heading_documents_a_hook_that_does_not_exist():
    assert set(_documented()) == set(_specs())


def test_every_hookspec_is_typed_and_explained():
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction):
        if hasattr(function, "khet_spec"):
            assert function.__doc__ and len(function.__doc__) > 40, name
            assert inspect.signature(function).return_annotation is not inspect.Signature.empty, name


def test_every_hook_is_implemented_by_the_test_plugin():
    from tests.contracts.throwaway import VEHICLES_SOURCE

    for name in _specs():
        assert f"def {name}(" in VEHICLES_SOURCE, f"the throwaway plugin does not exercise {name}"
