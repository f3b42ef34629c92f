#!/usr/bin/env python3
"""Builds and runs tests/consumer/project against reflorm used as a Meson subproject.

Usage: run_consumer.py REPO_ROOT MESON [MESON...]

Copies the project into a temporary directory, links subprojects/reflorm to REPO_ROOT, then
runs `meson setup --wrap-mode=nodownload`, `meson compile` and the program. Also checks that
reflorm, as a subproject, defines no tests and builds no samples.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def run(command, **kwargs):
    print("+ " + " ".join(str(c) for c in command), flush=True)
    return subprocess.run([str(c) for c in command], check=True, **kwargs)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    repo = Path(sys.argv[1]).resolve()
    meson = sys.argv[2:]
    source = repo / "tests" / "consumer" / "project"

    temp = Path(tempfile.mkdtemp(prefix="reflorm-consumer-"))
    keep = False
    try:
        project = temp / "project"
        shutil.copytree(source, project)
        (project / "subprojects").mkdir()
        os.symlink(repo, project / "subprojects" / "reflorm")
        build = project / "build"
        # plain: no optimisation, no debug info; this test is about the build wiring, not speed.
        run(meson + ["setup", build, project, "--wrap-mode=nodownload", "--buildtype=plain"])
        run(meson + ["compile", "-C", build])

        # As a subproject, reflorm must define no tests and build no samples or test programs.
        tests = json.loads(run(meson + ["introspect", "--tests", build], capture_output=True, text=True).stdout)
        targets = json.loads(run(meson + ["introspect", "--targets", build], capture_output=True, text=True).stdout)
        names = sorted(t["name"] for t in targets)
        print("targets: " + ", ".join(names), flush=True)
        problems = []
        if tests:
            problems.append("the build defines tests: " + ", ".join(t["name"] for t in tests))
        unexpected = [n for n in names if n.startswith("test_") or "sample" in n]
        if unexpected:
            problems.append("reflorm built its tests or samples as a subproject: " + ", ".join(unexpected))
        if "reflorm" not in names or "consumer" not in names:
            problems.append("expected targets 'reflorm' and 'consumer'")
        if problems:
            for p in problems:
                print("error: " + p, file=sys.stderr)
            keep = True
            return 1

        result = subprocess.run([str(build / "consumer")], capture_output=True, text=True)
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        if result.returncode != 0 or "consumer: ok" not in result.stdout:
            print(f"error: the consumer program failed (exit status {result.returncode})", file=sys.stderr)
            keep = True
            return 1
        return 0
    except subprocess.CalledProcessError as e:
        if e.stdout:
            sys.stdout.write(e.stdout)
        if e.stderr:
            sys.stderr.write(e.stderr)
        print(f"error: command failed with exit status {e.returncode}", file=sys.stderr)
        keep = True
        return 1
    finally:
        if keep:
            print(f"(kept {temp} for inspection)", file=sys.stderr)
        else:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
