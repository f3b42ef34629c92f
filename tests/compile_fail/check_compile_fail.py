#!/usr/bin/env python3
"""Compile-fail checks: every snippet in a folder must fail to compile with the messages it expects.

Usage: check_compile_fail.py [--jobs N] SNIPPET_DIR -- COMPILER [FLAGS...]

Each `*.cpp` in SNIPPET_DIR starts with comment lines that say what to expect:

    // expect: reflorm: the model has no primary key      (text that must appear in the output)
    // expect: NoKey                                       (as many as needed)

or, for a positive control that must compile:

    // expect-success

Snippets are checked with `COMPILER FLAGS... -fsyntax-only SNIPPET`. A snippet without an
expectation is an error, and so is a folder without a positive control: a broken include path
must not make every failure "pass".
"""
import argparse
import concurrent.futures
import os
import subprocess
import sys
from pathlib import Path


def read_expectations(path):
    expected, success = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            break
        body = stripped[2:].strip()
        if body.startswith("expect:"):
            expected.append(body[len("expect:"):].strip())
        elif body == "expect-success":
            success = True
    return expected, success


def check(path, command):
    expected, success = read_expectations(path)
    if not expected and not success:
        return False, f"{path.name}: no '// expect: <text>' or '// expect-success' line at the top", ""
    env = dict(os.environ, LC_ALL="C", LANG="C")  # plain ASCII quotes in diagnostics
    try:
        result = subprocess.run(command + ["-fsyntax-only", "-fdiagnostics-color=never", str(path)],
                                capture_output=True, text=True, env=env, timeout=240)
    except subprocess.TimeoutExpired:
        return False, f"{path.name}: the compiler did not finish within 240 s", ""
    output = result.stdout + result.stderr
    if success:
        if result.returncode != 0:
            return False, f"{path.name}: the positive control must compile, but failed", output
        return True, f"{path.name}: compiles, as expected", ""
    if result.returncode == 0:
        return False, f"{path.name}: compiled, but must fail with: {expected[0]}", output
    missing = [text for text in expected if text not in output]
    if missing:
        return False, f"{path.name}: failed, but the output lacks: " + "; ".join(repr(m) for m in missing), output
    return True, f"{path.name}: fails with {expected[0]!r}", ""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("snippet_dir", type=Path)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMPILER [FLAGS...]")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no compiler command given after --")

    snippets = sorted(args.snippet_dir.glob("*.cpp"))
    if not snippets:
        print(f"error: no snippets in {args.snippet_dir}", file=sys.stderr)
        return 1
    if not any(read_expectations(s)[1] for s in snippets):
        print("error: no positive control ('// expect-success') among the snippets", file=sys.stderr)
        return 1

    failures = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for ok, message, output in pool.map(lambda s: check(s, command), snippets):
            print(("ok    " if ok else "FAIL  ") + message, flush=True)
            if not ok:
                failures += 1
                if output:
                    print("----- compiler output -----\n" + output.rstrip() + "\n---------------------------", flush=True)
    print(f"{len(snippets) - failures} of {len(snippets)} snippets behaved as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
