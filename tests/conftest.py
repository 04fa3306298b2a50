"""Shared fixtures: paths to the project's seeds and the shared benchmark data."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def seeds() -> Path:
    return SEEDS


@pytest.fixture
def seeds_config() -> Path:
    return ROOT / "configs" / "seeds.toml"
