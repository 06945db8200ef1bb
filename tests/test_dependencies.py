"""The dependency policy: lower bounds everywhere, Whoosh pinned exactly (upgraded on purpose)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def requirements() -> list[Requirement]:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    listed = project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]
    return [Requirement(line) for line in listed]


def test_every_dependency_has_a_lower_bound():
    for requirement in requirements():
        operators = {spec.operator for spec in requirement.specifier}
        assert operators & {">=", "=="}, f"{requirement} has no lower bound"


def test_whoosh_is_pinned_exactly():
    whoosh = [r for r in requirements() if r.name == "whoosh3"]
    assert len(whoosh) == 1 and str(whoosh[0].specifier) == "==3.54.0"
    assert not [r for r in requirements() if re.fullmatch(r"whoosh", r.name, re.IGNORECASE)], (
        "the old Whoosh"
    )
