"""The shared scorer, run the way acceptance runs it (the real `import_wire --dry-run --json`
from the repository root), on the shared corpus, on ours, and as a ratchet on real copy.

Without ../shared the tests skip, except in CI (CI=true), where a missing scorer is a
failure: a CI run that scored nothing must not pass.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

# The least each measure may score on ../shared/real-wire. Raise a floor when the parser
# gets better, so it cannot quietly get worse again; never lower one to make a change pass.
REAL_WIRE_FLOORS = {
    "quote-attribution": 0.916,
    "named-sources": 0.919,
    "source-details": 0.879,
    "credits": 1.0,
    "structure": 1.0,
    "flags": 1.0,
    "worst": 0.879,
}

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"
SCORER = SHARED / "tools" / "score_import.py"
OWN_CORPUS = Path(__file__).resolve().parent / "corpus"
COMMAND = f"{shlex.quote(sys.executable)} manage.py import_wire --dry-run --json"
MIN_F1 = "0.95"


@pytest.fixture
def scorer() -> Path:
    if not SCORER.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the shared scorer at {SCORER}, and it is missing")
        pytest.skip("the shared scorer and corpora are not checked out")
    return SCORER


def _score(scorer: Path, corpus: Path, *, min_f1: str = "0") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(scorer), str(corpus), "--cmd", COMMAND, "--min", min_f1],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
        check=False,
    )


def _report(run: subprocess.CompletedProcess) -> str:
    return run.stdout[-4000:] + run.stderr[-2000:]


def last_line_measures(stdout: str) -> dict[str, float]:
    """``{"quote-attribution": 0.9, ..., "worst": 0.8}`` from the scorer's last line."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    if not lines or not lines[-1].startswith("F1 "):
        raise AssertionError(f"no F1 line at the end of the scorer's output:\n{stdout[-2000:]}")
    return {k: float(v) for k, v in re.findall(r"([\w-]+)=([\d.]+)", lines[-1])}


def test_shared_corpus_scores_at_least_0_95(scorer):
    run = _score(scorer, SHARED / "wire-corpus", min_f1=MIN_F1)
    assert run.returncode == 0, _report(run)
    assert "worst=" in run.stdout


def test_own_corpus_scores_at_least_0_95(scorer):
    assert len(list(OWN_CORPUS.glob("*.gold.json"))) >= 8
    run = _score(scorer, OWN_CORPUS, min_f1=MIN_F1)
    assert run.returncode == 0, _report(run)


def test_real_wire_does_not_fall_below_its_floors(scorer):
    run = _score(scorer, SHARED / "real-wire")
    measures = last_line_measures(run.stdout)
    assert set(REAL_WIRE_FLOORS) <= set(measures), _report(run)
    below = {
        name: (measures[name], floor)
        for name, floor in REAL_WIRE_FLOORS.items()
        if measures[name] < floor
    }
    assert not below, f"under the floor (got, floor): {below}\n{_report(run)}"


# Fourteen stories written and labelled by someone who had not read the rules, in house
# styles the other corpora lack (AP, Reuters, AFP, BBC single quotes, Q&A, German). Their
# first score, before any rule was written for what they showed, was quote-attribution
# 0.851, named-sources 0.901, source-details 0.853, credits 0.600, structure 0.909,
# flags 0.667. Their labels also showed that a credit line's reporters are the story's
# bylines when no "By" line names the authors, as agencies print them on the web.
BLIND = Path(__file__).resolve().parent / "blind"
BLIND_FLOORS = {
    "quote-attribution": 0.96,
    "named-sources": 0.987,
    "source-details": 0.94,
    "credits": 1.0,
    "structure": 1.0,
    "flags": 0.90,
}


# Twelve more, written and labelled later by someone who had not read the rules, in the
# same house styles and a court, a sports, a health and a Q&A story. Their first score,
# before any rule was written for what they showed, was quote-attribution 0.867,
# named-sources 0.864, source-details 0.759, credits 0.850, structure 0.976, flags 0.571.
# Where the two sets' labels differ (Reuters' "Reporting by" with no By line: a byline in the
# first, a contributor here), the rules keep the first set's reading and this set scores
# lower for it.
BLIND_SECOND = Path(__file__).resolve().parent / "blind2"
BLIND_SECOND_FLOORS = {
    "quote-attribution": 0.97,
    "named-sources": 0.95,
    "source-details": 0.83,
    "credits": 0.90,
    "structure": 1.0,
    "flags": 0.66,
}


# Fourteen US and UK political stories, written and labelled later by someone who had not
# read the rules: campaign, congressional, Westminster, court and poll copy. Their first
# score, before any rule was written for what they showed, was quote-attribution 0.850,
# named-sources 0.882, source-details 0.694, credits 0.852, structure 0.949, flags 0.533
# (precision 0.40).
BLIND_THIRD = Path(__file__).resolve().parent / "blind3"
BLIND_THIRD_FLOORS = {
    "quote-attribution": 0.98,
    "named-sources": 0.96,
    "source-details": 0.90,
    "credits": 0.90,
    "structure": 1.0,
    "flags": 0.88,
}


# Twelve more political and public-affairs stories, written and labelled by someone who had
# not read the rules, and first scored with the rules the third set had led to: quote-
# attribution 0.867, named-sources 0.877, source-details 0.630, credits 0.692, structure
# 0.950, flags 0.333 (see its README).
BLIND_FOURTH = Path(__file__).resolve().parent / "blind4"
BLIND_FOURTH_FLOORS = {
    "quote-attribution": 0.958,
    "named-sources": 0.96,
    "source-details": 0.88,
    "credits": 0.81,
    "structure": 1.0,
    "flags": 0.85,
}


# Twelve stories of one made-up presidential race in twelve outlets' house styles (New York
# Times, Washington Post, Politico, Fox News, Breitbart, AP; CNN, HuffPost, The Hill, Yahoo
# News, Wall Street Journal, Reuters), written and labelled in two sets of six by people
# who had not read the rules. First scored with the rules the fourth set had led to:
# quote-attribution 0.817 and 0.774, named-sources 0.841 and 0.808, source-details 0.575
# and 0.688, credits 0.815 and 0.759, structure 0.718 and 0.810, flags 0.286 and 0.667.
BLIND_FIFTH = Path(__file__).resolve().parent / "blind5"
BLIND_FIFTH_FLOORS = {
    "quote-attribution": 0.93,
    "named-sources": 0.96,
    "source-details": 0.82,
    "credits": 1.0,
    "structure": 1.0,
    "flags": 0.8,
}
BLIND_SIXTH = Path(__file__).resolve().parent / "blind6"
BLIND_SIXTH_FLOORS = {
    "quote-attribution": 0.93,
    "named-sources": 0.90,
    "source-details": 0.91,
    "credits": 0.93,
    "structure": 1.0,
    "flags": 1.0,
}


# Each blind set, the number of stories it must hold, and its floors.
BLIND_SETS = [
    pytest.param(BLIND, 10, BLIND_FLOORS, id="blind"),
    pytest.param(BLIND_SECOND, 10, BLIND_SECOND_FLOORS, id="blind2"),
    pytest.param(BLIND_THIRD, 14, BLIND_THIRD_FLOORS, id="blind3"),
    pytest.param(BLIND_FOURTH, 12, BLIND_FOURTH_FLOORS, id="blind4"),
    pytest.param(BLIND_FIFTH, 6, BLIND_FIFTH_FLOORS, id="blind5"),
    pytest.param(BLIND_SIXTH, 6, BLIND_SIXTH_FLOORS, id="blind6"),
]


@pytest.mark.parametrize(("folder", "stories", "floors"), BLIND_SETS)
def test_blind_stories_do_not_fall_below_their_floors(scorer, folder, stories, floors):
    assert len(list(folder.glob("*.gold.json"))) >= stories
    run = _score(scorer, folder)
    measures = last_line_measures(run.stdout)
    below = {n: (measures[n], f) for n, f in floors.items() if measures[n] < f}
    assert not below, f"under the floor (got, floor): {below}\n{_report(run)}"
