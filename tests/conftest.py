"""Shared fixtures: the project's seeds, one run of the seed job, golden-file updates."""

import os
from pathlib import Path

# Hermetic runs: no test may download a COMET model, even on a machine that could.
# Set before anything imports huggingface_hub, which reads it once; the COMET tests
# that need a reachable hub fake it explicitly.
os.environ["HF_HUB_OFFLINE"] = "1"

import pytest
from click.testing import CliRunner
from hypothesis import settings

from mt_eval.cli import cli

# Property tests: no per-example deadline (a shared 2-core CI machine is slow at
# times) and a fixed example stream, so that a CI run is reproducible.
settings.register_profile("mt-eval", deadline=None, derandomize=True)
settings.load_profile("mt-eval")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _default_cache_in_tmp(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs on the default cache_dir (~/.cache/mt-eval) write under a temporary HOME."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.getbasetemp() / "home"))


@pytest.fixture
def seeds() -> Path:
    return SEEDS


@pytest.fixture
def seeds_config() -> Path:
    return ROOT / "configs" / "seeds.toml"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/ from this run instead of comparing with it.",
    )


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Results folder of ``mt-eval run configs/seeds.toml``, run once per test session.

    Without COMET and the disk cache, so that the outcome does not depend on what the
    machine has cached or could download (tests/test_comet.py covers COMET's cases).
    """
    out = tmp_path_factory.mktemp("seeds") / "out"
    result = CliRunner().invoke(
        cli,
        ["run", str(ROOT / "configs/seeds.toml"), "--out", str(out), "--no-cache", "--no-comet"],
    )
    assert result.exit_code == 0, result.output
    return out
