#!/usr/bin/env python3
"""Compile-fail checks: every snippet in a folder must fail to compile with the messages it expects.

Each `*.cpp` in the folder starts with comment lines that say what to expect:

    // expect: reflorm: the model has no primary key      (text that must appear in the output)
    // expect: NoKey                                       (as many as needed)

or, for a positive control that must compile:

    // expect-success

Snippets are checked with `COMPILER FLAGS... -fsyntax-only SNIPPET`. A snippet without an
expectation is an error, and so is a folder without a positive control: a broken include path
must not make every failure "pass".

Usage:
  check_compile_fail.py list SNIPPET_DIR
      prints the snippets' names, one a line, after checking the rules above (Meson's configure)
  check_compile_fail.py one SNIPPET STAMP DEPFILE -- COMPILER [FLAGS...]
      checks one snippet; on success writes STAMP, and DEPFILE (the headers it read) for ninja
  check_compile_fail.py current SNIPPET_DIR STAMP_DIR NAME...
      fails when the folder holds other snippets than NAME... (one added since Meson configured)
      or when a snippet's STAMP_DIR/NAME.ok is missing or older than the snippet (not built)
  check_compile_fail.py [--jobs N] all SNIPPET_DIR -- COMPILER [FLAGS...]
      checks every snippet, in parallel, by hand
"""
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


def snippets_of(folder):
    """The folder's snippets; raises SystemExit naming the rule a folder or snippet breaks."""
    snippets = sorted(Path(folder).glob("*.cpp"))
    if not snippets:
        sys.exit(f"error: no snippets in {folder}")
    for snippet in snippets:
        expected, success = read_expectations(snippet)
        if not expected and not success:
            sys.exit(f"error: {snippet.name}: no '// expect: <text>' or '// expect-success' line at the top")
    if not any(read_expectations(s)[1] for s in snippets):
        sys.exit("error: no positive control ('// expect-success') among the snippets")
    return snippets


def check(path, command, depfile=None, target=None):
    expected, success = read_expectations(path)
    if not expected and not success:
        return False, f"{path.name}: no '// expect: <text>' or '// expect-success' line at the top", ""
    env = dict(os.environ, LC_ALL="C", LANG="C")  # plain ASCII quotes in diagnostics
    deps = ["-MD", "-MF", str(depfile), "-MT", str(target)] if depfile else []
    try:
        result = subprocess.run(command + deps + ["-fsyntax-only", "-fdiagnostics-color=never", str(path)],
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


def report(ok, message, output):
    print(("ok    " if ok else "FAIL  ") + message, flush=True)
    if not ok and output:
        print("----- compiler output -----\n" + output.rstrip() + "\n---------------------------", flush=True)


def after_dashes(args):
    if "--" not in args:
        sys.exit("error: no compiler command given after --")
    return args[:args.index("--")], args[args.index("--") + 1:]


def main(argv):
    jobs = 2
    if argv[:1] == ["--jobs"]:
        jobs, argv = int(argv[1]), argv[2:]
    mode, args = (argv[0], argv[1:]) if argv else ("", [])
    if mode == "list" and len(args) == 1:
        print("\n".join(s.name for s in snippets_of(args[0])))
        return 0
    if mode == "current" and len(args) >= 2:
        snippets = snippets_of(args[0])
        present, configured = {s.name for s in snippets}, set(args[2:])
        if present != configured:
            added, removed = sorted(present - configured), sorted(configured - present)
            print(f"the compile-fail snippets changed since Meson was configured (added: {added}, "
                  f"removed: {removed}): run `meson setup --reconfigure` on the build directory")
            return 1
        unchecked = [s.name for s in snippets
                     if not (stamp := Path(args[1]) / (s.stem + ".ok")).is_file()
                     or stamp.stat().st_mtime < s.stat().st_mtime]
        if unchecked:
            print(f"not checked by the build (run ninja first): {', '.join(unchecked)}")
            return 1
        print(f"{len(present)} snippets, as configured, each checked by the build:")
        for snippet in snippets:
            print("ok    " + (Path(args[1]) / (snippet.stem + ".ok")).read_text(encoding="utf-8").strip())
        return 0
    if mode == "one":
        paths, command = after_dashes(args)
        snippet, stamp, depfile = (Path(p) for p in paths)
        ok, message, output = check(snippet, command, depfile, stamp)
        if not ok:
            report(ok, message, output)
            return 1
        stamp.write_text(message + "\n", encoding="utf-8")
        return 0
    if mode == "all":
        paths, command = after_dashes(args)
        snippets = snippets_of(paths[0])
        failures = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for ok, message, output in pool.map(lambda s: check(s, command), snippets):
                report(ok, message, output)
                failures += not ok
        print(f"{len(snippets) - failures} of {len(snippets)} snippets behaved as expected")
        return 1 if failures else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
