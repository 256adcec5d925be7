"""report.html in a real browser: headless Chromium renders it with every image loaded.

The report of a real ``framing run`` on the bundled corpus is opened twice:

- a copy with a small script appended that, on ``load``, writes each image's
  ``complete`` / ``naturalWidth`` into the DOM, read back with ``--dump-dom``;
- the report itself, screenshotted to ``$FRAMING_ARTIFACTS`` (default
  ``tests/artifacts/``) as ``report.png``.

Skipped only when Chromium is absent and ``CI`` is unset; in CI a missing browser
fails the test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from framing.run.config import load_config
from framing.run.runner import run_all

ROOT = Path(__file__).resolve().parents[1]
CHECK_SCRIPT = """
<script>
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.images);
  var out = document.createElement("pre");
  out.id = "image-check";
  out.textContent = JSON.stringify(imgs.map(function (im) {
    return {alt: im.alt, complete: im.complete, w: im.naturalWidth, h: im.naturalHeight};
  }));
  document.body.appendChild(out);
});
</script>
"""


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; .ci/run must `apt-get install -y chromium`")
    pytest.skip("chromium is not installed (apt-get install -y chromium)")


def chromium_args(browser: str, profile: Path) -> list[str]:
    return [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ]


def artifacts_dir() -> Path:
    path = Path(os.environ.get("FRAMING_ARTIFACTS") or ROOT / "tests" / "artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "results"
    cfg = load_config(
        overrides={
            "corpus.path": str(ROOT / "corpus"),
            "output.dir": str(out),
            "compare.n_boot": 200,
            "compare.n_perm": 199,
        }
    )
    run_all(cfg, show_progress=False)
    return out / "report.html"


@pytest.mark.slow
def test_report_renders_with_every_image_loaded(report, tmp_path):
    browser = find_chromium()
    html = report.read_text(encoding="utf-8")
    n_img = len(re.findall(r"<img\b", html))
    assert n_img >= 5, "the report should embed every figure of the run"
    # self-contained: no resource is fetched from anywhere
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", html)
    assert "<link" not in html
    check = tmp_path / "report_check.html"
    check.write_text(html.replace("</body>", CHECK_SCRIPT + "</body>"), encoding="utf-8")
    done = subprocess.run(
        [
            *chromium_args(browser, tmp_path / "profile1"),
            "--virtual-time-budget=10000",
            "--dump-dom",
            check.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    match = re.search(r'<pre id="image-check">(.*?)</pre>', done.stdout, re.S)
    assert match, f"no image report in the DOM dump; chromium said: {done.stderr[-2000:]}"
    images = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert len(images) == n_img
    broken = [im for im in images if not (im["complete"] and im["w"] > 0 and im["h"] > 0)]
    assert not broken, f"images that did not load: {broken}"


@pytest.mark.slow
def test_report_screenshot_is_saved_as_artifact(report, tmp_path):
    browser = find_chromium()
    shot = artifacts_dir() / "report.png"
    shot.unlink(missing_ok=True)
    done = subprocess.run(
        [
            *chromium_args(browser, tmp_path / "profile2"),
            "--window-size=1280,4000",
            "--virtual-time-budget=10000",
            f"--screenshot={shot}",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert shot.exists(), f"no screenshot; chromium said: {done.stderr[-2000:]}"
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 4000)
    # a rendered page is not one flat colour: the PNG of a blank page compresses to
    # a few kB, a page of figures and tables to far more
    assert len(data) > 50_000


def test_report_embeds_every_figure_and_escapes_tables(tmp_path):
    # fast: no browser; a real figure and tables with markup in them
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from framing.export import save_figure
    from framing.run.report import build_report

    figures = tmp_path / "figures"
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    save_figure(fig, "sentiment_by_outlet", figures, formats=("svg", "pdf"))
    save_figure(fig, "something_else", figures, formats=("png",))
    save_figure(fig, "print_only", figures, formats=("pdf",))
    plt.close(fig)
    tables = {
        "corpus_overview": pd.DataFrame({"measure": ["<script>"], "value": ["1"]}),
        "sentiment_by_outlet": pd.DataFrame(
            {"outlet": [f"o{i}" for i in range(30)], "mean": [0.5] * 30}
        ),
    }
    html = build_report(tables, figures, manifest={"corpus": {"name": "x & y"}})
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "Framing report: x &amp; y" in html
    assert html.count("data:image/svg+xml;base64,") == 1
    assert html.count("data:image/png;base64,") == 1
    assert 'id="other"' in html  # a figure no section claims is still shown
    assert "figures/print_only.pdf" in html  # a PDF-only figure is named
    assert "First 25 of 30 rows (all rows in tables/sentiment_by_outlet.csv)" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", html)
    # sections appear only with content; the topic caveat is absent without topics
    assert "Topics are clusters" not in html
    assert "VADER" in html


def test_one_number_format_per_column():
    import pandas as pd

    from framing.run.report import table_html

    table = pd.DataFrame(
        {
            "outlet": ["a", "b"],
            "words_median": [531.0, 1323.0],
            "mean": [0.5, 1234.5],
            "p_value": [0.5, 1e-5],
            "n": [3, 12000],
        }
    )
    cells = re.findall(r'<td class="num">([^<]*)</td>', table_html(table))
    assert cells == ["531", "0.5", "5.00e-01", "3", "1,323", "1,234.5", "1.00e-05", "12,000"]


def test_long_text_gets_room_and_long_tables_start_collapsed(tmp_path):
    import pandas as pd

    from framing.run.report import OPEN_ROWS, build_report

    sentence = "Allies disagreed in public about the guarantees for Kyiv after the talks. " * 2
    tables = {
        "frame_exemplars": pd.DataFrame(
            {"frame": ["f"] * 40, "rank": range(40), "text": [sentence] * 40}
        ),
        "sentiment_by_outlet": pd.DataFrame({"outlet": ["a", "b"], "mean": [0.1, 0.2]}),
    }
    html = build_report(tables, tmp_path)
    exemplars = html[html.index("Exemplar sentences") - 200 :]
    assert exemplars.index("<details>") < exemplars.index("Exemplar sentences")
    assert "(40 rows; click to show)" in html
    assert '<td class="text">Allies disagreed' in html
    assert "td.text,th.text{min-width:24em" in html
    # a short table is shown open
    short = html[: html.index("Pairwise") if "Pairwise" in html else len(html)]
    assert "<h3>Mean VADER compound per outlet (article level)</h3><table>" in short
    assert OPEN_ROWS < 40


def test_a_few_rows_of_long_text_start_collapsed(tmp_path):
    """Six exemplar rows of a paragraph each take a screen: folded like a long table."""
    import pandas as pd

    from framing.run.report import OPEN_ROWS, build_report

    paragraph = "Allies disagreed in public about the guarantees for Kyiv after the talks. " * 8
    tables = {
        "frame_exemplars": pd.DataFrame(
            {"frame": ["f"] * 6, "rank": range(6), "text": [paragraph] * 6}
        ),
    }
    assert 6 <= OPEN_ROWS
    html = build_report(tables, tmp_path)
    assert "(6 rows; click to show)" in html
    short = {"frame_exemplars": tables["frame_exemplars"].assign(text="Allies disagreed.")}
    assert "(6 rows; click to show)" not in build_report(short, tmp_path)


HEIGHT_SCRIPT = """
<script>
window.addEventListener("load", function () {
  var out = document.createElement("pre");
  out.id = "page-height";
  out.textContent = String(document.documentElement.scrollHeight);
  document.body.appendChild(out);
});
</script>
"""


@pytest.mark.slow
def test_report_of_the_bundled_corpus_is_a_short_page(report, tmp_path):
    browser = find_chromium()
    check = tmp_path / "report_height.html"
    html = report.read_text(encoding="utf-8")
    check.write_text(html.replace("</body>", HEIGHT_SCRIPT + "</body>"), encoding="utf-8")
    done = subprocess.run(
        [
            *chromium_args(browser, tmp_path / "profile3"),
            "--window-size=1280,900",
            "--virtual-time-budget=10000",
            "--dump-dom",
            check.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    match = re.search(r'<pre id="page-height">(\d+)</pre>', done.stdout)
    assert match, f"no height in the DOM dump; chromium said: {done.stderr[-2000:]}"
    # 16,750 px before long tables were collapsed (issue 17)
    assert int(match.group(1)) < 9000
