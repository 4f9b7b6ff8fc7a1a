"""CORS overhead per request: bare Flask vs Flask-Cors 6.0.5 vs ours, through raw WSGI calls.

Three Flask apps with the same route are called in one process with prebuilt environ
dicts, in interleaved rounds (bare, reference, ours, then the next round in a rotated
order), so that machine noise hits all three alike. For every scenario and configuration
the table gives the median microseconds per request of bare Flask and the overhead
(median minus bare median) of each CORS package.

    .venv/bin/python benchmarks/bench.py            # about 2 minutes
    .venv/bin/python benchmarks/bench.py --quick    # about 20 seconds
    .venv/bin/python benchmarks/bench.py --profile preflight:small
    .venv/bin/python benchmarks/bench.py --breakdown allowed_get denied no_origin
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import platform
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _benchlib as lib

SCENARIO_TITLES = {
    "allowed_get": "Allowed actual GET (Origin in the allow list)",
    "preflight": "Preflight (OPTIONS, Access-Control-Request-Method: PUT, two request headers)",
    "no_origin": "GET without Origin",
    "denied": "GET from a denied Origin",
}

#: Targets: ours <= this share of Flask-Cors 6's overhead (small config) ...
TARGET_SHARE = 0.25
#: ... and our large-config overhead <= this multiple of our small-config overhead.
TARGET_LARGE = 1.5


def _noop_start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
    return None


#: The clock of :func:`time_batch`. CPU time of this process by default: on a shared
#: machine it leaves out the time the process waits for a core, which wall time does not.
CLOCKS = {"cpu": time.process_time_ns, "wall": time.perf_counter_ns}
CLOCK = CLOCKS["cpu"]


def time_batch(wsgi: Any, environ: dict[str, Any], n: int) -> float:
    """Microseconds per request over ``n`` full requests."""
    start_response = _noop_start_response
    copy = environ.copy
    clock = CLOCK
    start = clock()
    for _ in range(n):
        body = wsgi(copy(), start_response)
        for _chunk in body:
            pass
        body.close()
    return (clock() - start) / n / 1000.0


def measure(
    apps: dict[str, Any], scenario: str, config: str, rounds: int, batch_seconds: float
) -> dict[str, list[float]]:
    """Per-round microseconds per request of each app, rounds interleaved."""
    environ = lib.environ_for(scenario, config)
    sizes: dict[str, int] = {}
    for impl in lib.IMPLS:
        time_batch(apps[impl], environ, 200)  # warm-up
        estimate = time_batch(apps[impl], environ, 300)
        sizes[impl] = max(30, int(batch_seconds * 1e6 / estimate))
    samples: dict[str, list[float]] = {impl: [] for impl in lib.IMPLS}
    for r in range(rounds):
        order = lib.IMPLS[r % 3 :] + lib.IMPLS[: r % 3]
        for impl in order:
            gc.collect()
            samples[impl].append(time_batch(apps[impl], environ, sizes[impl]))
    return samples


def summarize(samples: dict[str, list[float]]) -> dict[str, float]:
    med = {impl: statistics.median(values) for impl, values in samples.items()}
    bare = med["bare"]
    quartiles = statistics.quantiles(samples["bare"], n=4)
    return {
        "bare": bare,
        "ref": med["ref"],
        "ours": med["ours"],
        "ref_overhead": med["ref"] - bare,
        "ours_overhead": med["ours"] - bare,
        "bare_iqr": quartiles[2] - quartiles[0],
    }


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b > 0 else "n/a"


def render(results: dict[str, dict[str, dict[str, float]]]) -> list[str]:
    lines: list[str] = []
    for scenario in lib.SCENARIOS:
        lines.append(f"### {SCENARIO_TITLES[scenario]}")
        lines.append("")
        lines.append(
            "| config | bare Flask µs | flask-cors 6 overhead µs | ours overhead µs "
            "| ours / flask-cors 6 overhead | bare IQR µs |"
        )
        lines.append("|---|---:|---:|---:|---:|---:|")
        for config in lib.CONFIGS:
            s = results[scenario][config]
            lines.append(
                f"| {config} | {s['bare']:.1f} | {s['ref_overhead']:+.1f} "
                f"| {s['ours_overhead']:+.1f} | {_ratio(s['ours_overhead'], s['ref_overhead'])} "
                f"| {s['bare_iqr']:.1f} |"
            )
        small, large = results[scenario]["small"], results[scenario]["large"]
        lines.append("")
        lines.append(
            "ours large/small overhead: "
            f"{_ratio(large['ours_overhead'], small['ours_overhead'])}"
            f"  (flask-cors 6: {_ratio(large['ref_overhead'], small['ref_overhead'])})"
        )
        if scenario == "preflight":
            for config in lib.CONFIGS:
                s = results[scenario][config]
                lines.append(
                    f"whole preflight, {config}: ours {s['ours']:.1f} µs vs bare Flask answering "
                    f"OPTIONS itself {s['bare']:.1f} µs ({_ratio(s['ours'], s['bare'])}x); "
                    f"flask-cors 6 {s['ref']:.1f} µs"
                )
        lines.append("")
    return lines


def targets(results: dict[str, dict[str, dict[str, float]]]) -> list[tuple[str, bool, str]]:
    checks: list[tuple[str, bool, str]] = []
    for scenario in lib.SCENARIOS:
        s = results[scenario]["small"]
        ok = s["ours_overhead"] <= TARGET_SHARE * s["ref_overhead"]
        detail = f"{s['ours_overhead']:.2f} vs 1/4 of {s['ref_overhead']:.2f} µs"
        checks.append((f"(a) {scenario}: ours overhead <= 1/4 of flask-cors 6 (small)", ok, detail))
    for scenario in lib.SCENARIOS:
        small = results[scenario]["small"]["ours_overhead"]
        large = results[scenario]["large"]["ours_overhead"]
        ok = large <= TARGET_LARGE * max(small, 0.0)
        detail = f"{large:.2f} vs 1.5 x {small:.2f} µs"
        checks.append((f"(b) {scenario}: ours large <= 1.5x ours small overhead", ok, detail))
    for config in lib.CONFIGS:
        s = results["preflight"][config]
        ok = s["ours"] <= s["bare"]
        detail = f"{s['ours']:.1f} vs {s['bare']:.1f} µs"
        checks.append((f"(c) preflight {config}: ours total <= bare Flask OPTIONS", ok, detail))
    return checks


def profile(spec: str, seconds: float) -> None:
    """cProfile our app on one scenario and print where the time goes."""
    scenario, _, config = spec.partition(":")
    config = config or "small"
    app = lib.make_app("ours", config)
    lib.check("ours", app, scenario, config)
    environ = lib.environ_for(scenario, config)
    n = max(1000, int(seconds * 1e6 / time_batch(app.wsgi_app, environ, 500)))
    profiler = cProfile.Profile()
    profiler.enable()
    time_batch(app.wsgi_app, environ, n)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(r"flask_cors|pluggy", 30)
    stats.sort_stats("cumulative").print_stats(r"flask_cors", 20)
    print(f"profile of ours, {scenario}, {config}: {n} requests")
    print(out.getvalue())


def _ours_without(config: str, *functions: str) -> Any:
    """Our app with some of its request functions replaced by no-ops (hooks kept)."""
    app = lib.make_app("ours", config)
    pipeline = app.extensions["cors"].pipeline
    if "after_request" in functions:
        after = app.after_request_funcs[None]
        after[after.index(pipeline.after_request)] = lambda response: response
    if "wsgi_app" in functions:
        app.wsgi_app = app.wsgi_app.wsgi_app  # the app without our preflight wrapper
    return app


def breakdown(spec: str, rounds: int, batch: float) -> None:
    """Where our overhead goes, without a profiler: apps that each do a bit less."""
    scenario, _, config = spec.partition(":")
    config = config or "small"
    variants = {
        "bare Flask": lib.make_app("bare", config),
        "+ one no-op after_request (flask-cors 6's hook)": lib.make_floor_app(config, before=False),
        "+ pass-through wsgi_app wrapper and no-op after_request (our hooks)": (
            lib.make_floor_app(config)
        ),
        "ours, without its wrapper and with a no-op after_request": _ours_without(
            config, "wsgi_app", "after_request"
        ),
        "ours, after_request function a no-op": _ours_without(config, "after_request"),
        "ours": lib.make_app("ours", config),
        f"flask-cors {lib.REF_VERSION}": lib.make_app("ref", config),
    }
    apps = {label: app.wsgi_app for label, app in variants.items()}
    environ = lib.environ_for(scenario, config)
    sizes = {}
    for label, wsgi in apps.items():
        time_batch(wsgi, environ, 200)
        sizes[label] = max(30, int(batch * 1e6 / time_batch(wsgi, environ, 300)))
    samples: dict[str, list[float]] = {label: [] for label in apps}
    labels = list(apps)
    for r in range(rounds):
        for label in labels[r % len(labels) :] + labels[: r % len(labels)]:
            gc.collect()
            samples[label].append(time_batch(apps[label], environ, sizes[label]))
    bare = statistics.median(samples["bare Flask"])
    print(f"breakdown, {scenario}, {config} (median µs per request, and minus bare Flask):")
    for label, values in samples.items():
        median = statistics.median(values)
        print(f"  {label:<55} {median:7.2f}  {median - bare:+6.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="about 20 s instead of 2 min")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per scenario")
    parser.add_argument("--batch", type=float, help="seconds per batch of one app")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="cpu",
        help="cpu: CPU time of this process (default, robust on a busy machine); wall: elapsed",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    parser.add_argument(
        "--profile", metavar="SCENARIO[:CONFIG]", help="profile ours on one scenario instead"
    )
    parser.add_argument(
        "--breakdown",
        metavar="SCENARIO[:CONFIG]",
        nargs="+",
        help="split our overhead into Flask's hook cost and the pipeline's, instead",
    )
    args = parser.parse_args()

    global CLOCK
    CLOCK = CLOCKS[args.clock]
    lib.load_ours()
    lib.load_reference()
    if args.profile:
        profile(args.profile, 3.0)
        return 0
    if args.breakdown:
        for spec in args.breakdown:
            breakdown(spec, args.rounds or 15, args.batch or 0.08)
        return 0

    rounds = args.rounds or (9 if args.quick else 19)
    batch = args.batch or (0.07 if args.quick else 0.18)
    print("versions:")
    for name, value in lib.versions().items():
        print(f"  {name}: {value}")
    print(f"machine: {platform.machine()}, {platform.system()}, cpus: {_cpus()}")
    print(f"rounds per scenario: {rounds}, seconds per batch: {batch}, clock: {args.clock}")

    apps: dict[str, dict[str, Any]] = {}
    for config in lib.CONFIGS:
        apps[config] = {}
        for impl in lib.IMPLS:
            app = lib.make_app(impl, config)
            for scenario in lib.SCENARIOS:
                lib.check(impl, app, scenario, config)
            apps[config][impl] = app.wsgi_app
    print("responses checked: status and Access-Control-Allow-Origin as expected\n")

    started = time.perf_counter()
    load_start, cpu_start = _busy_jiffies(), time.process_time()
    results: dict[str, dict[str, dict[str, float]]] = {}
    raw: dict[str, Any] = {}
    for scenario in lib.SCENARIOS:
        results[scenario] = {}
        for config in lib.CONFIGS:
            samples = measure(apps[config], scenario, config, rounds, batch)
            results[scenario][config] = summarize(samples)
            raw[f"{scenario}:{config}"] = samples
            print(f"  measured {scenario:<12} {config:<6} ({time.perf_counter() - started:.0f} s)")
    print()
    print("\n".join(render(results)))

    checks = targets(results)
    print("targets:")
    for label, ok, detail in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}  [{detail}]")
    print(f"\ntotal measuring time: {time.perf_counter() - started:.0f} s")
    other = _other_load(load_start, cpu_start)
    if other is not None:
        print(f"CPU used by other processes meanwhile: {other:.2f} of {_cpus()} cores")
        if other > 0.25:
            print("  (the machine was busy: expect noisier figures; run again when it is idle)")
    if args.json:
        payload = {"results": results, "samples": raw, "versions": lib.versions()}
        payload["targets"] = [{"target": t, "pass": ok, "detail": d} for t, ok, d in checks]
        args.json.write_text(json.dumps(payload, indent=1))
    failed = [label for label, ok, _ in checks if not ok]
    return 1 if failed and args.strict else 0


def _busy_jiffies() -> tuple[int, int]:
    """(busy, total) CPU jiffies of the whole machine, from /proc/stat (Linux)."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(x) for x in stat.readline().split()[1:]]
    except OSError:
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def _other_load(start: tuple[int, int], cpu_start: float) -> float | None:
    """CPU used by other processes since ``start``, in cores (None when unknown)."""
    import os

    busy, total = _busy_jiffies()
    if total == start[1]:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    elapsed_cores = (total - start[1]) / ticks  # core-seconds that passed
    ours = time.process_time() - cpu_start
    other = (busy - start[0]) / ticks - ours
    return max(0.0, other) / (elapsed_cores / _cpus())


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


if __name__ == "__main__":
    sys.exit(main())
