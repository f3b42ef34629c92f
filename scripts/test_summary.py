#!/usr/bin/env python3
"""Prints scripts/test's results from meson's log: per backend, the skipped tests with their
reasons, and last the closing line "N passed, N failed[, N skipped]".

usage: test_summary.py [--secret TEXT]... TESTLOG
Exits 1 when nothing ran. Each --secret (the test servers' passwords) is first replaced by
"***" in every file of the log's folder: meson writes each test's environment, URLs included.
"""
import argparse
import json
import sys
from pathlib import Path

BACKENDS = ("sqlite", "postgresql", "mysql")
KINDS = {"OK": "passed", "EXPECTEDFAIL": "passed", "SKIP": "skipped",
         "FAIL": "failed", "UNEXPECTEDPASS": "failed", "TIMEOUT": "failed", "ERROR": "failed"}


def redact(log: Path, secrets):
    for path in log.parent.glob("*"):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        cleaned = text
        for secret in secrets:
            cleaned = cleaned.replace(secret, "***")
        if cleaned != text:
            path.write_text(cleaned, encoding="utf-8")


def runs(log: Path):
    """(name, suites, kind, skip reason, skipped cases) per test run in a testlog.json; skipped
    cases are the "SKIPPED CASE name: reason" lines of a program that ran (tests/support)."""
    if not log.is_file():
        return
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip():
            continue
        run = json.loads(line)
        project_suites, _, name = run["name"].partition(" / ")
        suites = project_suites.partition(":")[2].split("+") if ":" in project_suites else []
        kind = KINDS.get(run.get("result"), "failed")
        reason = ""
        if kind == "skipped":
            said = [l for l in (run.get("stdout") or "").splitlines() if l.startswith("SKIPPED")]
            reason = said[0] if said else "exit code 77"
        cases = [l[len("SKIPPED CASE "):] for l in (run.get("stdout") or "").splitlines() if l.startswith("SKIPPED CASE ")]
        yield name, suites, kind, reason, cases


def count_line(counts):
    line = f"{counts['passed']} passed, {counts['failed']} failed"
    if counts["skipped"]:
        line += f", {counts['skipped']} skipped"
    return line


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--secret", action="append", default=[])
    parser.add_argument("log", type=Path)
    args = parser.parse_args()
    secrets = [s for s in args.secret if s]
    if secrets and args.log.is_file():
        redact(args.log, secrets)

    total = {"passed": 0, "failed": 0, "skipped": 0}
    groups = {}
    skipped = []
    cases = {}  # backend -> skipped test cases of programs that ran
    for name, suites, kind, reason, skipped_cases in runs(args.log):
        total[kind] += 1
        group = next((b for b in BACKENDS if b in suites), "no database")
        groups.setdefault(group, {"passed": 0, "failed": 0, "skipped": 0})[kind] += 1
        if kind == "skipped":
            skipped.append(f"  {name}: {reason}")
        cases.setdefault(group, []).extend(f"{name}: {case}" for case in skipped_cases)

    order = [g for g in (*BACKENDS, "no database") if g in groups]
    print("==> results")
    width = max(len(g) for g in order)
    for group in order:
            print(f"  {group + ':':<{width + 1}} {count_line(groups[group])}")
    if skipped:
        print("==> skipped")
        print("\n".join(skipped))
    for group in order:
        if cases.get(group):
            print(f"==> {len(cases[group])} test cases skipped on {group}")
            print("\n".join(f"  {c}" for c in cases[group]))
    print(count_line(total), flush=True)
    if total["passed"] + total["failed"] == 0:
        print("error: no tests ran", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
