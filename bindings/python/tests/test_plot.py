# SPDX-License-Identifier: MIT
"""perfkit.plot: the seeds' figures are drawn, saved as PNG and checked."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.image  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

import perfkit  # noqa: E402
from perfkit import harness, plot, scaling  # noqa: E402


def saved_png(fig, path):
    fig.savefig(path, dpi=60)
    plt.close(fig)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    img = matplotlib.image.imread(str(path))
    assert img.shape[0] > 100 and img.shape[1] > 100
    # something was drawn: not one flat colour
    assert np.ptp(img[..., :3]) > 0.5
    return img


@pytest.fixture(scope="module")
def run():
    return harness.run(kernel="dgemm", size=64, loopcount=3, workers=3)


def test_worker_gflops(run):
    g = plot.worker_gflops(run)
    assert len(g) == 3 and (g > 0).all()
    with pytest.raises(TypeError):
        plot.worker_gflops(None)


def test_flops_histogram(run, tmp_path):
    ax = plot.flops_histogram(run)
    assert ax.get_xlabel() == "GFLOPS per worker"
    saved_png(ax.figure, tmp_path / "hist.png")


def test_flops_timeline(run, tmp_path):
    ax = plot.flops_timeline(run)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["peak GFLOPS", "effective GFLOPS"]
    saved_png(ax.figure, tmp_path / "timeline.png")


def test_scaling_two_panels_weak_with_compare(tmp_path):
    ranks = np.array([1, 2, 4, 8, 16])
    real = scaling.weak_table(ranks, 512 * ranks, [10, 10.3, 10.8, 11.5, 12.9])
    dummy = scaling.weak_table(ranks, 512 * ranks, [9, 9.1, 9.2, 9.4, 9.8])
    fig = plot.scaling(real, compare=dummy, title="weak scaling")
    ax0, ax1 = fig.axes
    assert ax0.get_yscale() == "log" and ax1.get_xscale() == "log"
    assert ax1.get_ylabel() == "Efficiency"
    assert [t.get_text() for t in ax0.get_legend().get_texts()] == \
        ["Real data", "Dummy data", "Ideal"]
    saved_png(fig, tmp_path / "weak.png")


def test_scaling_strong_with_usl_fit(tmp_path):
    p = np.array([1, 2, 4, 8, 16, 32])
    t = 10 * (0.05 + 0.95 / p) * (1 + 0.002 * p)
    table = scaling.strong_table(p, t)
    fit = scaling.usl_fit(table.workers, table.speedup)
    fig = plot.scaling(table, fit=fit)
    assert "USL fit" in [x.get_text() for x in fig.axes[0].get_legend().get_texts()]
    saved_png(fig, tmp_path / "strong.png")
    with pytest.raises(ValueError):
        plot.scaling(perfkit.scaling.cost_table([1], [1.0], 1.0))
