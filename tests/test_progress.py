"""framing._progress: bars in a terminal, plain periodic lines in logs, heartbeats."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

from framing import _progress
from framing._progress import LineProgress, heartbeat, progress_bar

ROOT = Path(__file__).resolve().parents[1]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_plain_lines_and_a_terminal_gets_a_bar(monkeypatch):
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert isinstance(progress_bar(True, 10, unit="unit", desc="x"), LineProgress)
    monkeypatch.setattr(sys, "stderr", _Terminal())
    bar = progress_bar(True, 10, unit="unit", desc="x")
    assert type(bar).__module__.startswith("tqdm")
    bar.close()
    assert progress_bar(False, 10, unit="unit", desc="x") is None


def test_plain_progress_lines_are_periodic_and_have_no_carriage_returns(monkeypatch):
    lines: list[str] = []
    clock = [0.0]
    monkeypatch.setattr(_progress.time, "monotonic", lambda: clock[0])
    bar = LineProgress(1000, unit="article", desc="Splitting", every=10, write=lines.append)
    for _ in range(1000):  # 1,000 updates over 62.5 s
        clock[0] += 0.0625
        bar.update(1)
    bar.close()
    assert len(lines) == 7  # one line per 10 s, plus the closing line
    assert lines[0] == "Splitting: 160/1,000 articles (16%)"
    assert lines[-1] == "Splitting: done, 1,000 articles in 62 s"
    assert not any("\r" in line for line in lines)


def test_a_short_job_prints_nothing():
    lines: list[str] = []
    bar = LineProgress(3, unit="unit", desc="VADER", write=lines.append)
    bar.update(3)
    bar.close()
    assert lines == []


def test_heartbeat_says_still_working_during_silence_only():
    lines: list[str] = []
    with heartbeat(lines.append, "[4/8] topics", first=0.1, every=0.1):
        time.sleep(0.45)
    assert 2 <= len(lines) <= 5, lines
    assert lines[0].startswith("[4/8] topics: still working (")
    quiet: list[str] = []
    with heartbeat(None, "x", first=0.01, every=0.01):
        time.sleep(0.05)
    assert quiet == []


def test_heartbeat_waits_while_other_progress_is_printed():
    lines: list[str] = []
    with heartbeat(lines.append, "step", first=0.2, every=0.2):
        for _ in range(6):
            time.sleep(0.05)
            _progress.note_output()  # e.g. a progress line every 50 ms
    assert lines == []


def test_framing_run_into_a_log_file_writes_lines_not_bars(tmp_path):
    log = tmp_path / "run.log"
    with log.open("w") as handle:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "framing.run.cli",
                "run",
                str(ROOT / "corpus"),
                "--out",
                str(tmp_path / "o"),
                "--only",
                "corpus,units,sentiment",
            ],
            stdout=handle,
            stderr=subprocess.STDOUT,
            timeout=600,
            check=False,
        )
    text = log.read_text()
    assert done.returncode == 0, text
    assert "\r" not in text
    assert "framing: [2/9] units" in text
