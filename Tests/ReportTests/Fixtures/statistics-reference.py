#!/usr/bin/env python3
"""Writes statistics-reference.json: reference values for the Report module's statistics.

Run once by hand (not by `make test`), from anywhere:
    python3 Tests/ReportTests/Fixtures/statistics-reference.py
It needs SciPy (written with SciPy 1.17.1, NumPy 2.4) and rewrites the JSON beside this file.
The Swift tests (StatisticsReferenceTests) read the JSON and compare.

What each section holds:
- paired_t:    scipy.stats.ttest_rel(x, y) and its confidence_interval(0.95).
- wilcoxon:    scipy.stats.wilcoxon(x, y) with SciPy's defaults (zero_method="wilcox",
               correction=False, method="auto"), and which method "auto" picked.
- sign:        scipy.stats.binomtest(#(x > y), #(x != y), 0.5).pvalue (two-sided).
- iqm:         scipy.stats.trim_mean(x, 0.25) (rliable's interquartile mean).
- improvement: scipy.stats.mannwhitneyu(x, y).statistic / (n_x n_y) (rliable's P(X > Y), ties 1/2).
- holm:        Holm-Bonferroni adjusted p-values. SciPy has no Holm routine (and statsmodels is
               not installed), so they come from the definition below, written independently of
               the Swift code: sort ascending, multiply the i-th smallest (1-based) by m - i + 1,
               make the sequence non-decreasing, cap at 1.
- bootstrap:   percentile intervals on the *same resamples* as ablate's: the resample indices
               come from a Python copy of ablate's generator (SplitMix64, index = high 64 bits of
               x * n), the statistic is computed here with NumPy/SciPy on each resample, and the
               interval is SciPy's own percentile method, scipy.stats.bootstrap(...,
               n_resamples=0, bootstrap_result=..., method="percentile"), fed that bootstrap
               distribution. first_indices pins the generator.
- bootstrap_monte_carlo: SciPy's own bootstrap (its own RNG, 2,000 resamples, percentile method)
               repeated with 200 seeds: the mean endpoint and a tolerance of 4.5 standard
               deviations of one 2,000-resample endpoint, for comparison with ablate's
               independent draw of 2,000 resamples.
"""
import json
import math
import pathlib

import numpy as np
import scipy
import scipy.stats as st

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15
SEED = 0xAB1A7E  # Bootstrap.defaultSeed in Sources/Report/Bootstrap.swift
RESAMPLES = 2000


class Generator:
    """SplitMix64: each draw scrambles the state, then the state advances by the golden gamma."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        z = (self.state + GAMMA) & MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        self.state = (self.state + GAMMA) & MASK
        return z ^ (z >> 31)

    def index(self, n):
        return (self.next() * n) >> 64


def number(x):
    x = float(x)
    return None if math.isnan(x) else (x if math.isfinite(x) else ("inf" if x > 0 else "-inf"))


# ---- paired samples: ties, zero differences, n = 1, 2, 13, 14, 30, 60, constant columns ----
rng = np.random.default_rng(20260101)
grid = lambda a: [round(v, 2) for v in a]  # accuracies on 50 items are multiples of 0.02
paired_cases = [
    ("n=2", [0.5, 0.7], [0.4, 0.5]),
    ("n=2, one zero difference", [0.5, 0.7], [0.5, 0.6]),
    ("n=3", [0.61, 0.55, 0.72], [0.58, 0.57, 0.60]),
    ("n=5, tied |d|", [0.52, 0.48, 0.64, 0.40, 0.70], [0.50, 0.50, 0.60, 0.38, 0.64]),
    ("n=10 bimodal with zeros (seed view)",
     [0.78, 0.00, 0.04, 0.80, 0.00, 0.00, 0.02, 0.62, 0.70, 0.00],
     [0.76, 0.00, 0.02, 0.78, 0.76, 0.00, 0.04, 0.80, 0.70, 0.00]),
    ("n=10 all better, grid values", [0.86, 0.10, 0.66, 0.62, 0.88, 0.04, 0.66, 0.76, 0.76, 0.02],
     [0.76, 0.00, 0.02, 0.60, 0.76, 0.00, 0.04, 0.70, 0.70, 0.00]),
    ("n=10 x == y (every difference zero)", [0.3, 0.1, 0.5, 0.2, 0.9, 0.4, 0.6, 0.8, 0.7, 0.0],
     [0.3, 0.1, 0.5, 0.2, 0.9, 0.4, 0.6, 0.8, 0.7, 0.0]),
    ("constant column x = 0", [0.0] * 8, [0.12, 0.30, 0.02, 0.44, 0.18, 0.26, 0.08, 0.36]),
    ("both columns constant, same value", [0.5] * 6, [0.5] * 6),
    ("constant non-zero difference (dyadic)", [0.75, 0.5, 1.25, 0.25, 2.0], [0.5, 0.25, 1.0, 0.0, 1.75]),
    ("n=30 continuous (exact, n <= 50)", list(rng.normal(0.55, 0.05, 30)), list(rng.normal(0.52, 0.05, 30))),
    ("n=30 grid values, ties and zeros (normal approximation)",
     grid(rng.choice([0.0, 0.02, 0.04, 0.6, 0.62, 0.64, 0.7], 30)),
     grid(rng.choice([0.0, 0.02, 0.04, 0.6, 0.62, 0.64, 0.7], 30))),
    ("n=13 with ties (exact permutation)", grid(rng.choice([0.1, 0.2, 0.3, 0.4], 13)),
     grid(rng.choice([0.1, 0.2, 0.3, 0.4], 13))),
    ("n=14 with ties (normal approximation)", grid(rng.choice([0.1, 0.2, 0.3, 0.4], 14)),
     grid(rng.choice([0.1, 0.2, 0.3, 0.4], 14))),
    ("n=60 continuous (normal approximation, n > 50)", list(rng.normal(0.5, 0.1, 60)),
     list(rng.normal(0.47, 0.1, 60))),
    ("n=1", [0.7], [0.5]),
    ("n=20 all zero but one (normal approximation, zeros)", [0.5] * 19 + [0.7], [0.5] * 20),
    ("n=12 all zero (permutation)", [0.25] * 12, [0.25] * 12),
]

paired_t, wilcoxon, sign = [], [], []
for name, x, y in paired_cases:
    x, y = np.asarray(x, float), np.asarray(y, float)
    d = x - y
    r = st.ttest_rel(x, y)
    ci = r.confidence_interval(0.95) if len(x) > 1 else None
    paired_t.append({"name": name, "x": list(x), "y": list(y), "statistic": number(r.statistic),
                     "pvalue": number(r.pvalue), "df": number(r.df),
                     "ci_low": number(ci.low) if ci else None, "ci_high": number(ci.high) if ci else None})

    w = st.wilcoxon(x, y)
    zeros, nonzero = int(np.sum(d == 0)), np.abs(d[d != 0])
    ties = len(np.unique(nonzero)) < len(nonzero)
    method = "normal" if len(d) > 50 else ("exact" if not (ties or zeros) else ("permutation" if len(d) <= 13 else "normal"))
    wilcoxon.append({"name": name, "x": list(x), "y": list(y), "statistic": number(w.statistic),
                     "pvalue": number(w.pvalue), "method": method})

    better, worse = int(np.sum(d > 0)), int(np.sum(d < 0))
    p = st.binomtest(better, better + worse, 0.5).pvalue if better + worse > 0 else float("nan")
    sign.append({"name": name, "x": list(x), "y": list(y), "better": better, "worse": worse, "pvalue": number(p)})

# ---- one-sample and two-sample aggregates ----
samples = [
    ("n=1", [0.4]),
    ("n=2", [0.4, 0.9]),
    ("n=3", [0.9, 0.1, 0.5]),
    ("n=4", [0.3, 0.1, 0.7, 0.5]),
    ("n=5 with ties", [0.6, 0.6, 0.2, 0.6, 0.9]),
    ("n=7", [0.05, 0.9, 0.4, 0.41, 0.39, 0.7, 0.0]),
    ("n=8", [0.1, 0.8, 0.3, 0.3, 0.5, 0.6, 0.2, 0.95]),
    ("n=10 bimodal", [0.76, 0.0, 0.02, 0.78, 0.76, 0.0, 0.04, 0.8, 0.7, 0.0]),
    ("constant", [0.25] * 6),
    ("n=30", list(np.random.default_rng(7).normal(0.5, 0.2, 30))),
    ("n=11 negative values", [-1.4, -0.2, -2.5, 0.3, -1.1, -0.9, -3.0, 0.0, -0.4, -1.6, -0.8]),
]
iqm = [{"name": name, "x": x, "value": number(st.trim_mean(np.asarray(x), 0.25))} for name, x in samples]


def improvement_of(x, y):
    return st.mannwhitneyu(x, y).statistic / (len(x) * len(y))


two_sample_cases = [
    ("n=2 vs n=2", [0.5, 0.7], [0.4, 0.6]),
    ("ties across samples", [0.6, 0.6, 0.2, 0.8], [0.6, 0.2, 0.2, 0.4]),
    ("identical samples", [0.3, 0.5, 0.7], [0.3, 0.5, 0.7]),
    ("constant vs constant, equal", [0.5] * 4, [0.5] * 4),
    ("constant vs varying", [0.5] * 5, [0.1, 0.5, 0.9, 0.5, 0.3]),
    ("all better", [0.9, 0.8, 0.95], [0.1, 0.2, 0.3]),
    ("all worse", [0.1, 0.2], [0.5, 0.6, 0.7]),
    ("unequal sizes", [0.3, 0.7, 0.5, 0.9, 0.1], [0.4, 0.6]),
    ("bimodal seeds", [0.78, 0.0, 0.04, 0.8, 0.0, 0.0, 0.02, 0.62, 0.7, 0.0],
     [0.76, 0.0, 0.02, 0.78, 0.76, 0.0, 0.04, 0.8, 0.7, 0.0]),
    ("n=30", list(np.random.default_rng(8).normal(0.5, 0.1, 30)), list(np.random.default_rng(9).normal(0.45, 0.1, 30))),
    ("n=1 vs n=1", [0.3], [0.3]),
]
improvement = [{"name": name, "x": x, "y": y, "value": number(improvement_of(np.asarray(x), np.asarray(y)))}
               for name, x, y in two_sample_cases]


# ---- Holm–Bonferroni ----
def holm(p):
    p = np.asarray(p, float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adjusted = np.empty(m)
    running = 0.0
    for i, j in enumerate(order):
        running = max(running, min(1.0, (m - i) * p[j]))
        adjusted[j] = running
    return list(adjusted)


holm_cases = [
    [0.01], [0.04, 0.01], [0.01, 0.02, 0.03, 0.04], [0.5, 0.001, 0.02, 0.2, 0.03],
    [0.01, 0.01, 0.5], [0.9, 0.8, 0.7], [0.0, 0.04, 0.049], [0.02, 0.02, 0.02, 0.02],
    [1e-6, 0.3, 0.012, 0.011, 0.6, 0.04, 0.2], [0.3, 0.003, 0.008, 0.4, 0.002, 0.05, 0.7, 0.01, 0.02, 0.9],
    [0.0125, 0.025, 0.05],
]
holm_ref = [{"p": p, "adjusted": holm(p)} for p in holm_cases]


# ---- bootstrap on ablate's resample indices, interval by SciPy's percentile method ----
def percentile_interval(theta, sample):
    """SciPy's percentile interval of a given bootstrap distribution (no resampling by SciPy)."""
    previous = st._resampling.BootstrapResult(confidence_interval=None, bootstrap_distribution=np.asarray(theta),
                                              standard_error=None)
    result = st.bootstrap((np.asarray(sample, float),), np.mean, n_resamples=0, bootstrap_result=previous,
                          method="percentile", confidence_level=0.95)
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def one_sample_distribution(strata, statistic):
    g = Generator(SEED)
    theta = []
    for _ in range(RESAMPLES):
        pooled = [s[g.index(len(s))] for s in strata for _ in range(len(s))]
        theta.append(statistic(np.asarray(pooled)))
    return theta


def improvement_distribution(x_strata, y_strata):
    g = Generator(SEED)
    theta = []
    for _ in range(RESAMPLES):
        per_stratum = []
        for xs, ys in zip(x_strata, y_strata):
            rx = [xs[g.index(len(xs))] for _ in range(len(xs))]
            ry = [ys[g.index(len(ys))] for _ in range(len(ys))]
            per_stratum.append(improvement_of(np.asarray(rx), np.asarray(ry)))
        theta.append(float(np.mean(per_stratum)))
    return theta


mean_stat = lambda a: float(np.mean(a))
iqm_stat = lambda a: float(st.trim_mean(a, 0.25))
bootstrap_cases = []
one_sample = [
    ("mean", "n=2", [[0.4, 0.9]]),
    ("mean", "n=5 with ties", [[0.6, 0.6, 0.2, 0.6, 0.9]]),
    ("mean", "n=10 bimodal", [[0.76, 0.0, 0.02, 0.78, 0.76, 0.0, 0.04, 0.8, 0.7, 0.0]]),
    ("mean", "constant", [[0.25] * 6]),
    ("mean", "n=30", [list(np.random.default_rng(7).normal(0.5, 0.2, 30))]),
    ("mean", "three strata of 5, 3 and 1", [[0.1, 0.2, 0.3, 0.35, 0.5], [0.7, 0.9, 0.8], [0.4]]),
    ("mean", "n=60", [list(np.random.default_rng(13).normal(0.5, 0.2, 60))]),
    ("iqm", "n=2", [[0.4, 0.9]]),
    ("iqm", "n=5 with ties", [[0.6, 0.6, 0.2, 0.6, 0.9]]),
    ("iqm", "n=10 bimodal", [[0.76, 0.0, 0.02, 0.78, 0.76, 0.0, 0.04, 0.8, 0.7, 0.0]]),
    ("iqm", "constant", [[0.25] * 6]),
    ("iqm", "n=30", [list(np.random.default_rng(7).normal(0.5, 0.2, 30))]),
    ("iqm", "two strata of 4 and 6", [[0.3, 0.1, 0.7, 0.5], [0.2, 0.25, 0.9, 0.0, 0.6, 0.45]]),
    ("iqm", "two strata of 20 and 25 (more than 32 values), grid values with ties",
     [grid(np.random.default_rng(11).choice([0.0, 0.02, 0.5, 0.52, 0.7, 0.9], 20)),
      grid(np.random.default_rng(12).choice([0.0, 0.1, 0.54, 0.6, 0.62], 25))]),
    ("paired_mean", "n=10 paired differences with zeros",
     [list(np.asarray([0.78, 0.0, 0.04, 0.8, 0.0, 0.0, 0.02, 0.62, 0.7, 0.0])
           - np.asarray([0.76, 0.0, 0.02, 0.78, 0.76, 0.0, 0.04, 0.8, 0.7, 0.0]))]),
    ("paired_mean", "n=2 paired differences", [[0.1, 0.2]]),
]
for statistic, name, strata in one_sample:
    theta = one_sample_distribution(strata, iqm_stat if statistic == "iqm" else mean_stat)
    low, high = percentile_interval(theta, sum(strata, []))
    bootstrap_cases.append({"statistic": statistic, "name": name, "strata": strata, "low": low, "high": high})
two_sample = [
    ("n=2 vs n=2", [[0.5, 0.7]], [[0.4, 0.6]]),
    ("ties across samples", [[0.6, 0.6, 0.2, 0.8]], [[0.6, 0.2, 0.2, 0.4]]),
    ("identical samples", [[0.3, 0.5, 0.7]], [[0.3, 0.5, 0.7]]),
    ("constant vs constant", [[0.5] * 4], [[0.5] * 4]),
    ("bimodal seeds", [[0.78, 0.0, 0.04, 0.8, 0.0, 0.0, 0.02, 0.62, 0.7, 0.0]],
     [[0.76, 0.0, 0.02, 0.78, 0.76, 0.0, 0.04, 0.8, 0.7, 0.0]]),
    ("n=30", [list(np.random.default_rng(8).normal(0.5, 0.1, 30))], [list(np.random.default_rng(9).normal(0.45, 0.1, 30))]),
    ("two strata", [[0.3, 0.7, 0.5], [0.9, 0.8]], [[0.4, 0.6, 0.2], [0.85, 0.7]]),
    ("unequal sizes", [[0.3, 0.7, 0.5, 0.9, 0.1]], [[0.4, 0.6]]),
    ("all better", [[0.9, 0.8, 0.95]], [[0.1, 0.2, 0.3]]),
    ("three strata with singletons", [[0.5], [0.2, 0.4], [0.9, 0.1, 0.6]], [[0.4], [0.3, 0.3], [0.5, 0.5, 0.2]]),
]
for name, xs, ys in two_sample:
    theta = improvement_distribution(xs, ys)
    low, high = percentile_interval(theta, sum(xs, []))
    bootstrap_cases.append({"statistic": "improvement", "name": name, "strata": xs, "y_strata": ys,
                            "low": low, "high": high})

first = Generator(SEED)
first_indices = [first.index(n) for n in [2, 5, 10, 30, 1000, 7, 3, 1]]

# ---- SciPy's own bootstrap (its RNG), for a Monte Carlo comparison ----
monte_carlo = []
for statistic, name, x in [
    ("mean", "n=5", [0.6, 0.55, 0.2, 0.62, 0.9]),
    ("mean", "n=10 bimodal", [0.76, 0.0, 0.02, 0.78, 0.76, 0.0, 0.04, 0.8, 0.7, 0.0]),
    ("mean", "n=30", list(np.random.default_rng(7).normal(0.5, 0.2, 30))),
    ("iqm", "n=10 bimodal", [0.76, 0.0, 0.02, 0.78, 0.76, 0.0, 0.04, 0.8, 0.7, 0.0]),
    ("iqm", "n=30", list(np.random.default_rng(7).normal(0.5, 0.2, 30))),
    ("iqm", "n=60", list(np.random.default_rng(13).normal(0.5, 0.2, 60))),
]:
    function = (lambda a, axis: np.mean(a, axis=axis)) if statistic == "mean" else \
        (lambda a, axis: st.trim_mean(a, 0.25, axis=axis))
    ends = np.array([[*st.bootstrap((np.asarray(x),), function, n_resamples=RESAMPLES, method="percentile",
                                    rng=np.random.default_rng(1000 + k)).confidence_interval] for k in range(200)])
    mean, sd = ends.mean(axis=0), ends.std(axis=0, ddof=1)
    monte_carlo.append({"statistic": statistic, "name": name, "x": x, "low": mean[0], "high": mean[1],
                        "tolerance_low": 4.5 * sd[0], "tolerance_high": 4.5 * sd[1]})

out = {
    "generated_by": "Tests/ReportTests/Fixtures/statistics-reference.py",
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "paired_t": paired_t,
    "wilcoxon": wilcoxon,
    "sign": sign,
    "iqm": iqm,
    "improvement": improvement,
    "holm": holm_ref,
    "bootstrap": {"seed": SEED, "resamples": RESAMPLES, "confidence": 0.95,
                  "first_indices": {"n": [2, 5, 10, 30, 1000, 7, 3, 1], "index": first_indices},
                  "cases": bootstrap_cases},
    "bootstrap_monte_carlo": monte_carlo,
}
path = pathlib.Path(__file__).with_name("statistics-reference.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}")
