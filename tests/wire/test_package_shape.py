"""The wire package's shape: one module per stage, each small enough to read whole."""

from __future__ import annotations

from pathlib import Path

import pytest

WIRE = Path(__file__).resolve().parents[2] / "wire"
MAX_LINES = 400


@pytest.mark.parametrize(
    "module", sorted(WIRE.rglob("*.py")), ids=lambda p: str(p.relative_to(WIRE))
)
def test_no_wire_module_is_over_400_lines(module: Path):
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module.name} has {lines} lines; split it by stage"
