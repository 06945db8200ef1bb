"""The architecture's rules that a linter does not check, held by reading the source.

Import rules between the layers are import-linter contracts (pyproject.toml, run by
`make lint`). These tests hold the rest: Whoosh's private parts are read in one module
only, citeproc-py's in another, and templates never switch autoescaping off.
"""

from __future__ import annotations

import ast
import re

import pytest
from conftest import ROOT

INTERNALS = ROOT / "indexer" / "index" / "whoosh_internals.py"
# citeproc-py's one repair (substituted titles printed twice) patches two of its methods.
CITEPROC_REPAIR = ROOT / "webapp" / "citeproc_repair.py"
SOURCES = sorted(p for package in ("indexer", "webapp") for p in (ROOT / package).rglob("*.py"))
TEMPLATES = sorted((ROOT / "webapp" / "templates").glob("*"))


def private_reads(tree: ast.AST) -> list[tuple[int, str]]:
    """Every read of a ``_``-prefixed attribute of anything but ``self`` or ``cls``, every
    ``getattr`` of such a name, and every import of such a name from another package.

    A superset of "reads a private attribute of a Whoosh object": our own code keeps its
    private attributes on ``self``, so anything else found here is reaching into another
    library's internals.
    """
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                found.append((node.lineno, f".{node.attr}"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr", "setattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
        ):
            found.append((node.lineno, f"{node.func.id}(..., {node.args[1].value!r})"))
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and not (node.module or "").startswith(("indexer", "webapp"))
        ):
            found += [
                (node.lineno, f"import {alias.name}")
                for alias in node.names
                if _private(alias.name)
            ]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "type"
            and any(isinstance(arg, ast.Attribute) and arg.attr == "NullQuery" for arg in node.args)
        ):
            found.append((node.lineno, "type(NullQuery)"))
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_internals_module_reads_private_parts(path):
    if path in (INTERNALS, CITEPROC_REPAIR):
        return
    found = private_reads(ast.parse(path.read_text(encoding="utf-8")))
    assert not found, (
        f"{path.relative_to(ROOT)} reads private parts: {found} (move them to {INTERNALS.name})"
    )


def test_the_scan_would_find_a_private_read():
    """The rule above can fail: it finds each kind of private access it claims to."""
    code = (
        "matcher._read_data()\nx = getattr(m, '_values')\nfrom whoosh.query import _NullQuery\n"
        "type(wq.NullQuery)\nself._mine = 1\n"
    )
    assert [what for _, what in sorted(private_reads(ast.parse(code)))] == [
        "._read_data",
        "getattr(..., '_values')",
        "import _NullQuery",
        "type(NullQuery)",
    ]


def test_the_internals_module_lists_its_assumptions():
    text = INTERNALS.read_text(encoding="utf-8")
    assert "whoosh3 3.54.0" in text
    assert private_reads(ast.parse(text)), "the internals module is where private reads live"


def citeproc_model_imports(tree: ast.AST) -> list[int]:
    """Lines that import citeproc-py's element classes (citeproc.model)."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("citeproc.model"))
        or (
            isinstance(node, ast.ImportFrom)
            and node.module == "citeproc"
            and any(alias.name == "model" for alias in node.names)
        )
        or (
            isinstance(node, ast.Import)
            and any(alias.name.startswith("citeproc.model") for alias in node.names)
        )
    ]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_repair_touches_citeprocs_element_classes(path):
    if path == CITEPROC_REPAIR:
        assert citeproc_model_imports(ast.parse(path.read_text(encoding="utf-8")))
        return
    assert not citeproc_model_imports(ast.parse(path.read_text(encoding="utf-8"))), path.name


def test_the_citeproc_scan_would_find_an_import():
    code = "from citeproc import model\nfrom citeproc.model import Text\nimport citeproc.model\n"
    assert citeproc_model_imports(ast.parse(code)) == [1, 2, 3]
    assert citeproc_model_imports(ast.parse("from citeproc import formatter\n")) == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_no_template_turns_autoescaping_off(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup\(", text), path.name
