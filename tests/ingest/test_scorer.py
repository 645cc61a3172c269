"""The shared scorer, run the way acceptance runs it, on the shared corpus and on ours."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"
SCORER = SHARED / "tools" / "score_import.py"
OWN_CORPUS = Path(__file__).resolve().parent / "corpus"
COMMAND = f"{shlex.quote(sys.executable)} -m articles.ingest"


def _score(corpus: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCORER), str(corpus), "--cmd", COMMAND, "--min", "0.9"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )


@pytest.mark.skipif(not SCORER.exists(), reason="the shared scorer and corpus are not checked out")
def test_shared_corpus_scores_at_least_0_9():
    run = _score(SHARED / "wire-corpus")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "worst=" in run.stdout


@pytest.mark.skipif(not SCORER.exists(), reason="the shared scorer is not checked out")
def test_own_corpus_scores_at_least_0_9():
    assert len(list(OWN_CORPUS.glob("*.gold.json"))) >= 8
    run = _score(OWN_CORPUS)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
