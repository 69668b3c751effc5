"""Throughput and latency of Ablate's reward server through the Python client (standard library).

    ablate export-task CONFIG --out /tmp/task
    python3 python/bench_reward_server.py --ablate .build/release/ablate --task /tmp/task [--reward original]

Starts `ablate score --serve --socket` on a temporary socket, then sends batches of 64 and 1,024
items (gold answers from the task's train.jsonl; completions the gold itself, a wrong parameter
value, no think block, or noise, in turn) and reports per batch size the median and 90th
percentile latency of a request and the items scored per second, client time included.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ablate_rewards import RewardClient  # noqa: E402


def variants(gold: str):
    yield gold
    yield gold.replace('": "', '": "zz', 1)
    end = gold.find("</think>")
    yield gold[end + 8:].lstrip() if end >= 0 else gold
    yield "no idea"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ablate", default="ablate")
    parser.add_argument("--task", required=True, help="a directory written by `ablate export-task`")
    parser.add_argument("--reward", default="original")
    parser.add_argument("--seconds", type=float, default=5.0, help="time per batch size")
    options = parser.parse_args()

    golds = [json.loads(line)["gold"] for line in open(os.path.join(options.task, "train.jsonl"))]
    pool = [(g, c) for g in golds for c in variants(g)]
    socket_path = os.path.join(tempfile.mkdtemp(), "reward.sock")
    server = subprocess.Popen([options.ablate, "score", "--serve", "--socket", socket_path, "--reward", options.reward],
                              stderr=subprocess.PIPE)
    server.stderr.readline()  # "serving rewards … on PATH" once it listens
    try:
        client = RewardClient(socket_path=socket_path)
        print(f"reward {options.reward}, {len(golds)} gold answers, {len(pool)} distinct items")
        print("batch  requests  median ms  p90 ms  items/s")
        for size in (64, 1024):
            batches = [[{"gold": g, "completion": c, "step": 1} for g, c in
                        (pool[(start + i) % len(pool)] for i in range(size))] for start in range(0, 8 * size, size)]
            client.score(batches[0])  # warm-up
            latencies = []
            begin = time.perf_counter()
            while time.perf_counter() - begin < options.seconds:
                t0 = time.perf_counter()
                client.score(batches[len(latencies) % len(batches)])
                latencies.append(time.perf_counter() - t0)
            elapsed = time.perf_counter() - begin
            latencies.sort()
            p90 = latencies[int(0.9 * (len(latencies) - 1))]
            print(f"{size:5d}  {len(latencies):8d}  {1000 * statistics.median(latencies):9.2f}  {1000 * p90:6.2f}"
                  f"  {size * len(latencies) / elapsed:7.0f}")
        client.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
