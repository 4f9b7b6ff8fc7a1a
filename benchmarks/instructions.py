"""Machine instructions per request under valgrind: bench.py's comparison, without the noise.

CPU time on a shared machine moves by a microsecond or more from one run to the next; the
number of instructions a request executes does not. Every app runs one scenario in a
process of its own under valgrind's cachegrind (no cache simulation), once with
``--short`` requests and once with ``--long`` requests after the same warm-up; the
difference divided by the difference in requests is the cost of one request, start-up and
warm-up excluded. Besides bare Flask, Flask-Cors 6.0.5 and ours, two floors show what
Flask and Werkzeug charge before any CORS logic runs: bare Flask with an empty
``wsgi_app`` wrapper and ``after_request`` function (our hooks' shape), and the same with the
after function appending one ``Vary: Origin`` line. After the warm-up, a full garbage
collection, then the collector is off for the measured requests: where its periodic full
collections fall moves a count by up to 10 k instructions per request from one app to the
next, which would drown the differences measured here.

    .venv/bin/python benchmarks/instructions.py      # about 10 minutes on 2 cores

Needs valgrind (Debian: ``apt-get install valgrind``).
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _benchlib as lib

#: The extra apps that show Flask's own price for an extension's request functions.
FLOORS = {
    "hooks": "bare Flask + a pass-through wsgi_app wrapper and an empty after_request",
    "hooks_vary": "the same + one Vary: Origin line appended",
}
#: Targets (small configuration): ours <= this share of Flask-Cors 6's overhead ...
TARGET_SHARE = {"allowed_get": 0.35, "no_origin": 0.35, "denied": 0.5}
#: ... our large-config overhead <= this multiple of our small-config overhead ...
TARGET_LARGE = 1.5
#: ... one third-party plugin costs at most this many instructions more than ours alone ...
TARGET_PLUGIN = 20_000
#: ... and all three together at most this share of Flask-Cors 6's overhead.
TARGET_ALL_PLUGINS = 0.6
#: Cross-origin protection on: an allowed GET costs at most this many instructions more
#: than with protection off; a refused POST costs less than bare Flask serving it.
TARGET_PROTECTION_GET = 10_000
_I_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _noop_start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
    return None


def child(impl: str, config: str, scenario: str, warmup: int, requests: int) -> None:
    """Run inside valgrind: build one app, check it, warm it up, then serve ``requests``."""
    if impl in FLOORS:
        app = lib.make_floor_app(config, vary=impl == "hooks_vary")
    elif impl in lib.PROTECTION_IMPLS:
        app = lib.make_protection_app(impl)
        lib.check(impl, app, scenario, config)
    else:
        app = lib.make_app(impl, config)
        lib.check(impl, app, scenario, config)
    wsgi, environ = app.wsgi_app, lib.environ_for(scenario, config)
    serve(wsgi, environ, warmup)
    # The collector off (see the module's docstring), for every app alike.
    gc.collect()
    gc.disable()
    serve(wsgi, environ, requests)


def serve(wsgi: Any, environ: dict[str, Any], requests: int) -> None:
    for _ in range(requests):
        body = wsgi(environ.copy(), _noop_start_response)
        for _chunk in body:
            pass
        body.close()


def count(impl: str, config: str, scenario: str, warmup: int, requests: int) -> int:
    """Instructions executed by a whole child process."""
    cmd = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--child",
        impl,
        config,
        scenario,
        str(warmup),
        str(requests),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    found = _I_REFS.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{impl} {config} {scenario}: valgrind failed\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_request(impl: str, config: str, scenario: str, short: int, long: int) -> float:
    warmup = 50
    return (
        count(impl, config, scenario, warmup, long) - count(impl, config, scenario, warmup, short)
    ) / (long - short)


def protection_report(got: dict[tuple[str, str, str], float]) -> list[tuple[str, bool, str]]:
    """Print the cross-origin protection figures; return their targets."""
    print("### cross-origin protection (small configuration, route takes GET, PUT, POST)")
    print("| scenario | bare Flask k | ours, off k | ours, on k | on - off k |")
    print("|---|---:|---:|---:|---:|")
    for scenario in lib.PROTECTION_SCENARIOS:
        bare, off, on = (got[(impl, "small", scenario)] for impl in lib.PROTECTION_IMPLS)
        print(
            f"| {scenario} | {bare / 1e3:.1f} | {off / 1e3:.1f} | {on / 1e3:.1f} "
            f"| {(on - off) / 1e3:+.1f} |"
        )
    print()
    get_extra = (
        got[("ours+protection", "small", "allowed_get")]
        - got[("ours+post", "small", "allowed_get")]
    )
    refused = got[("ours+protection", "small", "refused_post")]
    bare_post = got[("bare+post", "small", "refused_post")]
    return [
        (
            "(e) allowed_get: protection on <= protection off + 10 k",
            get_extra <= TARGET_PROTECTION_GET,
            f"{get_extra / 1e3:+.1f} k",
        ),
        (
            "(f) refused_post: ours refusing it < bare Flask serving it",
            refused < bare_post,
            f"{refused / 1e3:.1f} k vs {bare_post / 1e3:.1f} k",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", nargs=5, metavar=("IMPL", "CONFIG", "SCENARIO", "WARMUP", "N"))
    parser.add_argument("--short", type=int, default=500, help="requests of the short run")
    parser.add_argument("--long", type=int, default=1500, help="requests of the long run")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    parser.add_argument(
        "--only",
        choices=["all", "cors", "protection"],
        default="all",
        help="the CORS comparison, the cross-origin protection figures, or both",
    )
    args = parser.parse_args()
    if args.child:
        impl, config, scenario, warmup, requests = args.child
        child(impl, config, scenario, int(warmup), int(requests))
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: sudo apt-get install valgrind)")
    lib.load_ours()
    lib.load_reference()

    cors_jobs = [
        (impl, config, scenario)
        for scenario in lib.SCENARIOS
        for config in lib.CONFIGS
        for impl in (*lib.IMPLS, *((*FLOORS, *lib.PLUGIN_APPS) if config == "small" else ()))
    ]
    protection_jobs = [
        (impl, "small", scenario)
        for scenario in lib.PROTECTION_SCENARIOS
        for impl in lib.PROTECTION_IMPLS
    ]
    jobs = [
        *(cors_jobs if args.only != "protection" else ()),
        *(protection_jobs if args.only != "cors" else ()),
    ]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {job: pool.submit(per_request, *job, args.short, args.long) for job in jobs}
        got = {job: future.result() for job, future in futures.items()}
    print("versions:")
    for name, value in lib.versions().items():
        print(f"  {name}: {value}")
    print(f"requests per run: {args.short} and {args.long}, after 50 of warm-up; PYTHONHASHSEED=0")
    print("thousands of instructions per request (k); overheads over bare Flask\n")

    checks: list[tuple[str, bool, str]] = []
    if args.only != "cors":
        checks.extend(protection_report(got))
    for scenario in lib.SCENARIOS if args.only != "protection" else ():
        print(f"### {scenario}")
        print("| config | bare Flask k | flask-cors 6 k | ours k | ours / flask-cors 6 |")
        print("|---|---:|---:|---:|---:|")
        overhead: dict[tuple[str, str], float] = {}
        for config in lib.CONFIGS:
            bare = got[("bare", config, scenario)]
            for impl in ("ref", "ours"):
                overhead[(impl, config)] = got[(impl, config, scenario)] - bare
            ref, ours = overhead[("ref", config)], overhead[("ours", config)]
            print(
                f"| {config} | {bare / 1e3:.1f} | {ref / 1e3:+.1f} | {ours / 1e3:+.1f} "
                f"| {ours / ref:.2f} |"
            )
        bare = got[("bare", "small", scenario)]
        for floor, label in FLOORS.items():
            print(f"floor, {label}: {(got[(floor, 'small', scenario)] - bare) / 1e3:+.1f} k")
        ours_alone = got[("ours", "small", scenario)]
        for app_name in lib.PLUGIN_APPS:
            extra = got[(app_name, "small", scenario)] - ours_alone
            print(f"{lib.LABELS[app_name]}: {extra / 1e3:+.1f} k more than ours alone")
        print()
        small_ref, small = overhead[("ref", "small")], overhead[("ours", "small")]
        if scenario == "preflight":
            # A preflight answered by us costs less than bare Flask answering OPTIONS.
            checks.append(
                (
                    "(a) preflight: ours in all < bare Flask answering OPTIONS",
                    small < 0,
                    f"{small / 1e3:+.1f} k",
                )
            )
        else:
            share = TARGET_SHARE[scenario]
            checks.append(
                (
                    f"(a) {scenario}: ours <= {share} of flask-cors 6 (small)",
                    small <= share * small_ref,
                    f"{small / small_ref:.3f}",
                )
            )
        large = overhead[("ours", "large")]
        checks.append(
            (
                f"(b) {scenario}: ours large <= 1.5x ours small",
                large <= TARGET_LARGE * max(small, 0.0) or large <= 0,
                f"{large / small:.2f}"
                if small > 0
                else f"{large / 1e3:+.1f} k vs {small / 1e3:+.1f} k",
            )
        )
        for app_name in ("ours+observer", "ours+matcher", "ours+headers"):
            extra = got[(app_name, "small", scenario)] - ours_alone
            checks.append(
                (
                    f"(c) {scenario}: {app_name} <= ours + 20 k",
                    extra <= TARGET_PLUGIN,
                    f"{extra / 1e3:+.1f} k",
                )
            )
        all3 = got[("ours+all3", "small", scenario)] - bare
        checks.append(
            (
                f"(d) {scenario}: ours + all three plugins <= 0.6 of flask-cors 6",
                all3 <= TARGET_ALL_PLUGINS * small_ref,
                f"{all3 / small_ref:.3f}",
            )
        )
    print("targets, counted in instructions:")
    for label, ok, detail in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}  [{detail}]")
    print(f"\ntotal time: {time.perf_counter() - started:.0f} s")
    return 1 if args.strict and not all(ok for _, ok, _ in checks) else 0


if __name__ == "__main__":
    raise SystemExit(main())
