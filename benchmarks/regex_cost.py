"""What one match of a configured pattern costs, before (plain ``re``) and after (bounded).

For each pattern the script times one match on a hostile input with Python's ``re``, as
patterns were used before, and with the pattern as flask_cors compiles it now (``re`` when
its shape is linear, RE2 otherwise). On ``re``, inputs much longer than one that took over
0.1 s, or longer than one that took over ``--cap`` seconds, are not run: they only take
longer. Times are the best of a few runs.

    .venv/bin/python benchmarks/regex_cost.py
    .venv/bin/python benchmarks/regex_cost.py --cap 0.5
"""

from __future__ import annotations

import argparse
import functools
import re
import time
from collections.abc import Callable

from flask_cors._regex import LinearPattern, compile_bounded
from flask_cors.resources import path_matcher

BOUNDARY = r"(?:(?<=/)|(?=/|\Z))"


def best(call: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def hostile_origin(length: int) -> str:
    return ("https://" + "a" * length)[: length - 1] + "!"


def cases() -> list[tuple[str, str, str, list[str]]]:
    """(kind, pattern, what the input is, inputs)."""
    origin = r"https://([a-z0-9]+-?)+\.example\.com"
    table = [
        (
            "origin",
            origin,
            "Origin of n chars",
            [hostile_origin(n) for n in (27, 29, 31, 33, 1024)],
        ),
        ("resource", r"/api/.*/.*/.*/export", "path /api/ + '/' * 995", ["/api/" + "/" * 995]),
        ("resource", r"/api/.*/.*/export", "path of 8,000 '/'", ["/api/" + "/" * 7995]),
        ("allow_headers", r"x-([a-z]+-?)+", "header name of n chars", ["x-" + "a" * 22 + "!"]),
    ]
    # Everyday shapes stay on re: linear, also on the longest inputs.
    table += [
        ("origin", r"https://.*\.partner\.example\.org", "Origin", [hostile_origin(1024)]),
        ("origin", r"https://[a-z0-9-]+\.example\.com", "Origin", [hostile_origin(1024)]),
        ("resource", r"/api/.*", "path", ["/x" + "/a" * 32767]),
        ("resource", r"/users/\d+/posts/.*", "path", ["/users/" + "1" * 65530 + "!"]),
    ]
    for atom in ("a", "[a-z]", r"\w", "."):
        for shape in (f"({atom}+)+b", f"({atom}|{atom}{atom})*b", f"({atom}*)*b"):
            table.append(("family", shape, "'a' * 22 + '!'", ["a" * 22 + "!"]))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cap", type=float, default=3.0, help="longer inputs skip re after this (s)"
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{'kind':<14}{'pattern':<34}{'input':>8}{'re (ms)':>12}{'now (ms)':>11}  engine")
    for kind, pattern, _what, inputs in cases():
        flags = re.IGNORECASE if kind in ("origin", "allow_headers", "family") else 0
        if kind == "resource":
            before = re.compile(f"(?:{pattern}){BOUNDARY}")
            after = path_matcher(pattern)
            before_call, after_call = before.match, after.match
        else:
            before = re.compile(pattern, flags)
            after = compile_bounded(kind, "benchmark", pattern, flags)
            before_call, after_call = before.fullmatch, after.fullmatch
        engine = "RE2" if isinstance(after, LinearPattern) else "re"
        longest: int | None = None  # longer inputs are not tried on re: they only take longer
        for text in inputs:
            if longest is not None and len(text) > longest:
                old = "(not run)"
            else:
                seconds = best(functools.partial(before_call, text), 1)
                if seconds > args.cap:
                    longest = len(text)
                elif seconds > 0.1:
                    longest = 2 * len(text)
                old = f"{seconds * 1e3:.3f}"
            new = best(functools.partial(after_call, text), args.runs)
            print(f"{kind:<14}{pattern:<34}{len(text):>8}{old:>12}{new * 1e3:>11.4f}  {engine}")


if __name__ == "__main__":
    main()
