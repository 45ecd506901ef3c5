"""The pure layer stays pure: nothing in annotations/lib imports Django or the rest of the app."""

from __future__ import annotations

import ast
from pathlib import Path

import annotations.lib

LIB = Path(annotations.lib.__file__).parent


def forbidden_imports(source: str) -> list[str]:
    """Every module a source imports, anywhere in it, that is Django or the app outside annotations.lib."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.ImportFrom):
            # A relative import from inside lib may only reach lib itself.
            names = [] if node.level == 1 else [".".join(filter(None, ["annotations", node.module]))]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top == "django" or (top == "annotations" and not name.startswith("annotations.lib")):
                found.append(name)
    return found


def test_the_checker_catches_django_and_app_imports_wherever_they_are():
    source = """
import json
from annotations.lib import links
def late():
    from django.utils import timezone
    import annotations.models
from annotations import models
from .. import views
"""
    assert set(forbidden_imports(source)) == {
        "django.utils",
        "django.utils.timezone",
        "annotations",
        "annotations.models",
    }


def test_no_module_in_lib_imports_django_or_the_models():
    modules = sorted(LIB.rglob("*.py"))
    assert {path.stem for path in modules} >= {"anchoring", "documents", "links", "formats", "loadtext"}
    offenders = {
        str(path.relative_to(LIB)): names
        for path in modules
        if (names := forbidden_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
