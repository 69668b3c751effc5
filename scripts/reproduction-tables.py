#!/usr/bin/env python3
"""Prints the measured tables of docs/reproduction.md from `ablate report --format json`.

Usage (from the repository root, after the paper sweeps have run):
    scripts/reproduction-tables.py granularity scale length regimes   # one section per sweep
    scripts/reproduction-tables.py --bases                            # the base policies per seed
    scripts/reproduction-tables.py --length-extra                     # reasoning length, format validity

Per sweep: mean ± 95 % CI over seeds with Welch's test against the baseline row (all from
`ablate report`), the exact-accuracy column (`--metric eval.overall.accuracy`), the paper's BFCL
numbers for the same rows, and a seed-by-seed table with paired differences and a sign test.
"""
import json, math, subprocess, sys

ABLATE = ".build/release/ablate"
RUNS = "runs"
# BFCL v3 overall accuracy, Qwen2.5-1.5B / Qwen2.5-3B / Llama-3.2-3B (ToolRL Tables 1, 5, 6, 7).
PAPER = {
    "original": (46.20, 52.98, 44.10), "length": (33.23, 48.89, 44.98), "dynamic_length": (28.51, 48.24, 43.15),
    "equal_max": (39.47, 51.76, 42.47), "two_stage": (38.85, 50.66, 41.33), "dynamic_scale": (45.71, 53.81, 46.85),
    "finegrained": (40.71, 52.06, 39.82), "intermediate": (37.65, 51.36, 38.62), "coarse": (36.72, 51.40, 35.95),
    "base": (19.41, 33.04, 22.09), "sft": (40.21, 34.08, 41.22), "sft_grpo": (40.93, 46.42, 42.54),
    "grpo_cold": (46.20, 52.98, 44.10),
}
SPLITS_WITH_DELTA = ["eval.overall.tool_name_accuracy", "eval.seen.tool_name_accuracy", "eval.unseen.tool_name_accuracy"]


def report(sweep, metric=None):
    command = [ABLATE, "report", f"sweeps/paper-{sweep}.yaml", "--runs", RUNS, "--format", "json"]
    if metric:
        command += ["--metric", metric]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=False).stdout)


def cell(c, digits=2):
    if c is None or c["mean"] is None:
        return "–"
    text = f"{c['mean']:.{digits}f}"
    if c["ci_low"] is not None:
        text += f" ± {(c['ci_high'] - c['ci_low']) / 2:.{digits}f}"
    if c["n"] != c["expected_n"]:
        text += f" (n={c['n']}/{c['expected_n']})"
    return text


def delta(c, is_baseline):
    if is_baseline or c is None or c.get("delta") is None:
        return ""
    p = c["p_value"]
    if p is None:
        return f" (Δ {c['delta']:+.2f})"
    mark = "**" if p < 0.01 else "*" if p < 0.05 else ""
    return f" (Δ {c['delta']:+.2f}, " + ("p<0.001" if p < 0.001 else f"p={p:.3f}") + f"{mark})"


def by_column(row):
    return {c["column"]: c for c in row["cells"]}


def paired(values, row, baseline, seeds, key):
    """Mean paired difference; seeds better / equal (±0.005) / worse; two-sided sign test."""
    diffs = [values[row][s][key] - values[baseline][s][key] for s in seeds if s in values.get(row, {}) and s in values.get(baseline, {})]
    if not diffs:
        return "–"
    better, worse = sum(d > 0.005 for d in diffs), sum(d < -0.005 for d in diffs)
    differing = better + worse
    sign_p = min(1.0, 2 * sum(math.comb(differing, k) for k in range(min(better, worse) + 1)) / 2 ** differing) if differing else 1.0
    return f"{sum(diffs) / len(diffs):+.2f}; {better} / {len(diffs) - differing} / {worse}; sign test p={sign_p:.3f}"


def sweep_tables(sweep):
    names, exact = report(sweep), report(sweep, "eval.overall.accuracy")
    table, exact_table = names["tables"][0], exact["tables"][0]
    lines = ["| row | tool-name acc., overall | seen | unseen | multi | irrelevant | exact acc., overall | final train reward | paper: BFCL overall, Qwen 1.5B / Qwen 3B / Llama 3B |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row, exact_row in zip(table["rows"], exact_table["rows"]):
        c, ce = by_column(row), by_column(exact_row)
        cells = [cell(c.get(k)) + delta(c.get(k), row["is_baseline"]) for k in SPLITS_WITH_DELTA]
        cells += [cell(c.get("eval.multi.tool_name_accuracy")), cell(c.get("eval.irrelevant.tool_name_accuracy")),
                  cell(ce.get("eval.overall.accuracy")), cell(c.get("train.reward")),
                  " / ".join(f"{v:.2f}" for v in PAPER.get(row["name"], ()))]
        lines.append(f"| `{row['name']}`{' (baseline)' if row['is_baseline'] else ''} | " + " | ".join(cells) + " |")

    baseline = next(r["name"] for r in table["rows"] if r["is_baseline"])
    values = {}
    for run in names["runs"]:
        if run["state"] == "done":
            values.setdefault(run["row"], {})[run["seed"]] = run["values"]
    seeds = sorted({s for rows in values.values() for s in rows})
    lines += ["", "Per seed, tool-name accuracy on `seen` / `unseen` (every row of a seed starts from that seed's base policy):", "",
              "| row | " + " | ".join(f"seed {s}" for s in seeds)
              + " | paired Δ `seen` vs baseline (mean; seeds better / equal / worse; two-sided sign test) | paired Δ `unseen` |",
              "|---|" + "---:|" * len(seeds) + "---:|---:|"]
    for row in table["rows"]:
        name, runs = row["name"], values.get(row["name"], {})
        cells = [f"{runs[s]['eval.seen.tool_name_accuracy']:.2f} / {runs[s]['eval.unseen.tool_name_accuracy']:.2f}" if s in runs else "–"
                 for s in seeds]
        deltas = ["baseline"] * 2 if name == baseline else [
            paired(values, name, baseline, seeds, f"eval.{split}.tool_name_accuracy") for split in ("seen", "unseen")]
        lines.append(f"| `{name}` | " + " | ".join(cells + deltas) + " |")
    return "\n".join(lines)


def length_extra():
    reasoning = report("length", "eval.overall.reasoning_length")["tables"][0]
    validity = report("length", "eval.overall.format_validity")["tables"][0]
    lines = ["| row | reasoning length, overall (words) | format validity, overall |", "|---|---:|---:|"]
    for a, b in zip(reasoning["rows"], validity["rows"]):
        ca, cb = by_column(a)["eval.overall.reasoning_length"], by_column(b)["eval.overall.format_validity"]
        lines.append(f"| `{a['name']}` | {cell(ca, 1)}{delta(ca, a['is_baseline'])} | {cell(cb)}{delta(cb, b['is_baseline'])} |")
    return "\n".join(lines)


def base_policies(sweep="length"):
    plan = json.load(open(f"{RUNS}/paper-{sweep}/plan.json"))
    stages = [s for s in plan["stages"] if s["stage"] == "base"]
    accuracies = []
    for stage in stages:
        evaluation = json.load(open(f"{RUNS}/store/{stage['id']}/eval.json"))
        accuracies.append(f"{evaluation['splits']['seen']['tool_name_accuracy']:.2f}")
    return "\n".join(["| seed | " + " | ".join(str(s["seed"]) for s in stages) + " |",
                      "|---|" + "---:|" * len(stages),
                      "| base policy, tool-name accuracy on its own catalog's `seen` split | " + " | ".join(accuracies) + " |"])


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        if argument == "--bases":
            print(base_policies())
        elif argument == "--length-extra":
            print(length_extra())
        else:
            print(sweep_tables(argument))
        print()
