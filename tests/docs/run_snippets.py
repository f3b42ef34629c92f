#!/usr/bin/env python3
"""Runs the doc snippets with a main() of one document: each must exit 0 within 60 s.

usage: run_snippets.py DOCUMENT:LINE=PROGRAM...
"""
import subprocess
import sys


def main(args):
    failures = 0
    for arg in args:
        where, _, program = arg.partition("=")
        try:
            ran = subprocess.run([program], capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            print(f"FAIL {where}: still running after 60 s")
            failures += 1
            continue
        if ran.returncode != 0:
            print(f"FAIL {where}: exited with {ran.returncode}\n{ran.stdout}{ran.stderr}")
            failures += 1
        else:
            print(f"ok   {where}")
    print(f"{len(args) - failures} of {len(args)} snippets ran successfully")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
