import hashlib
import os
import stat

import matplotlib
import numpy as np
import pandas as pd
import pytest

from framing import export
from framing.plots import style


def _figure():
    fig, ax = style.new_figure("single")
    ax.plot([0, 1, 2], [1, 0, 2], label="x")
    ax.set_xlabel("day")
    return fig


def test_save_figure_writes_three_formats_with_content_names(tmp_path):
    paths = export.save_figure(_figure(), "Sentiment by outlet", tmp_path)
    assert [p.name for p in paths] == [
        "sentiment_by_outlet.pdf",
        "sentiment_by_outlet.svg",
        "sentiment_by_outlet.png",
    ]
    pdf = paths[0].read_bytes()
    assert pdf.startswith(b"%PDF")
    # TrueType fonts embedded (Type 42 appears as CIDFontType2 / TrueType), never Type 3
    assert b"/Subtype /CIDFontType2" in pdf or b"/Subtype /TrueType" in pdf
    assert b"/Subtype /Type3" not in pdf
    assert paths[1].read_text().lstrip().startswith("<?xml")
    assert not list(tmp_path.glob("*.tmp"))


def test_png_is_300_dpi_at_column_width(tmp_path):
    from PIL import Image

    fig = _figure()
    (png,) = export.save_figure(fig, "w", tmp_path, formats=["png"])
    with Image.open(png) as im:
        dpi = im.info["dpi"]
        assert round(dpi[0]) == 300
        # bbox "tight" trims margins but the width stays close to 3.5 in
        assert 2.8 * 300 < im.width <= 3.6 * 300


def test_pdf_and_svg_are_byte_reproducible(tmp_path):
    a = export.save_figure(_figure(), "same", tmp_path / "a", formats=["pdf", "svg"])
    b = export.save_figure(_figure(), "same", tmp_path / "b", formats=["pdf", "svg"])
    for x, y in zip(a, b, strict=True):
        assert hashlib.sha256(x.read_bytes()).digest() == hashlib.sha256(y.read_bytes()).digest()


def test_unknown_format_and_bad_name(tmp_path):
    with pytest.raises(ValueError, match="unknown figure format"):
        export.save_figure(_figure(), "x", tmp_path, formats=["jpg"])
    with pytest.raises(ValueError, match="cannot make a file name"):
        export.safe_name("  ??? ")


def test_save_table_csv_and_booktabs(tmp_path):
    t = pd.DataFrame({"outlet": ["A&B", "c_d"], "mean": [0.12345, float("nan")], "n": [3, 1]})
    csv, tex = export.save_table(t, "sentiment by outlet", tmp_path, caption="Mean 50%")
    back = pd.read_csv(csv)
    assert back["mean"].iloc[0] == pytest.approx(0.12345)
    text = tex.read_text()
    assert "\\toprule" in text and "\\midrule" in text and "\\bottomrule" in text
    assert "A\\&B & 0.123 & 3 \\\\" in text
    assert "c\\_d & -- & 1 \\\\" in text
    assert "\\caption{Mean 50\\%}" in text and "\\label{tab:sentiment_by_outlet}" in text


def test_atomic_write_leaves_old_file_when_writer_fails(tmp_path):
    target = tmp_path / "t.csv"
    export.atomic_write_text(target, "old")

    def boom(tmp):
        tmp.write_text("half")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        export.atomic_write(target, boom)
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["t.csv"]


def test_outlet_colours_are_stable_and_colour_blind_safe():
    style.reset_outlet_colors()
    first = style.outlet_colors(["nyt", "fox", "huffpost"])
    # assigned in sorted order of the outlets: fox, huffpost, nyt (Okabe-Ito first)
    assert first == {"nyt": "#009E73", "fox": "#0072B2", "huffpost": "#D55E00"}
    # a later figure with a subset or another order gets the same colours
    assert style.outlet_colors(["huffpost", "nyt"]) == {"huffpost": "#D55E00", "nyt": "#009E73"}
    # a new outlet gets the next colour and changes no one else's
    assert style.outlet_colors(["abc", "nyt"]) == {"abc": "#E69F00", "nyt": "#009E73"}
    style.reset_outlet_colors()


def test_style_file_sets_truetype_and_sizes():
    with style.paper_style():
        assert matplotlib.rcParams["pdf.fonttype"] == 42
        assert matplotlib.rcParams["savefig.dpi"] == 300
    fig, _ = style.new_figure("double")
    assert tuple(fig.get_size_inches()) == pytest.approx((7.2, 3.6))


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_written_files_get_the_permissions_of_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        export.atomic_write_text(tmp_path / "a.txt", "x")
        export.save_table(pd.DataFrame({"a": [1]}), "t", tmp_path, formats=("csv", "tex"))
    finally:
        os.umask(old)
    for name in ("a.txt", "t.csv", "t.tex"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode, name


def test_latex_table_rules_escaping_and_one_line_per_row():
    t = pd.DataFrame(
        {"outlet": ["a_b", "c&d", "50%", "#1", "x~^\\{}$"], "mean": [0.5, None, 1.0, 2.0, 3.0]}
    )
    tex = export.to_latex_booktabs(t)
    lines = tex.splitlines()
    assert lines[0] == "\\begin{tabular}{lr}" and lines[-1] == "\\end{tabular}"
    assert [lines[1], lines[3], lines[-2]] == ["\\toprule", "\\midrule", "\\bottomrule"]
    body = lines[4:-2]
    assert len(body) == len(t)
    assert all(line.endswith(" \\\\") and line.count(" & ") == 1 for line in body)
    assert body[:4] == [
        "a\\_b & 0.500 \\\\",
        "c\\&d & -- \\\\",
        "50\\% & 1.000 \\\\",
        "\\#1 & 2.000 \\\\",
    ]
    # pandas writes these as control words followed by a space (same glyphs in LaTeX)
    assert body[4].startswith(
        "x\\textasciitilde \\textasciicircum \\textbackslash \\{\\}\\$ & 3.000"
    )


def test_partition_csv_rows_read_back_as_to_csv_rows(tmp_path) -> None:
    """Arrow's CSV rows (the partitioned exports) parse as pandas' own ``to_csv`` rows."""
    from framing.run.article_parts import write_csv_rows

    table = pd.DataFrame(
        {
            "article_id": ["a1", "a,2", 'a"3', "a\n4", "a5"],
            "outlet": pd.Categorical(["x", "y", "x", None, "y"]),
            "score": [0.1, -1e-5, np.nan, 3.0, 1 / 3],
            "n": np.array([1, 2, 3, 4, 5], dtype=np.int64),
            "ok": [True, False, True, True, False],
            "note": pd.array(["", None, "it, says", "x", "y"], dtype="string"),
        }
    )
    fast, slow = tmp_path / "fast.csv", tmp_path / "slow.csv"
    header = table.head(0).to_csv(index=False)
    write_csv_rows(table, fast)
    fast.write_text(header + fast.read_text())
    table.to_csv(slow, index=False)
    pd.testing.assert_frame_equal(pd.read_csv(fast), pd.read_csv(slow))
    assert "True" in fast.read_text() and "true" not in fast.read_text()
    mixed = pd.DataFrame({"v": [1, "b"]})  # Arrow refuses: the to_csv fallback
    write_csv_rows(mixed, tmp_path / "mixed.csv")
    assert (tmp_path / "mixed.csv").read_text() == "1\nb\n"
