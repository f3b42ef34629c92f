#!/usr/bin/env python3
"""Compiles every ```cpp block of README.md and docs/*.md; blocks with main() are linked and run.

usage: check_snippets.py SOURCE_ROOT LIBRARY -- COMPILER... [FLAGS...]
A block that does not compile, or whose program exits non-zero, fails the test.
"""
import pathlib
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor


def blocks(root: pathlib.Path):
    for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for match in re.finditer(r"^```cpp\n(.*?)^```", text, re.S | re.M):
            line = text.count("\n", 0, match.start()) + 1
            yield f"{doc.relative_to(root)}:{line}", match.group(1)


def check(item, work: pathlib.Path, library: pathlib.Path, compiler):
    (name, code), index = item
    source = work / f"snippet_{index}.cpp"
    source.write_text(code, encoding="utf-8")
    has_main = re.search(r"\bint main\s*\(", code) is not None
    command = [*compiler, str(source)]
    if has_main:
        program = work / f"snippet_{index}"
        command += ["-o", str(program), str(library), f"-Wl,-rpath,{library.parent}"]
    else:
        command += ["-fsyntax-only"]
    built = subprocess.run(command, capture_output=True, text=True)
    if built.returncode != 0:
        return f"FAIL {name}: does not compile\n{built.stderr[-4000:]}"
    if has_main:
        ran = subprocess.run([str(program)], capture_output=True, text=True, timeout=60)
        if ran.returncode != 0:
            return f"FAIL {name}: exited with {ran.returncode}\n{ran.stdout}{ran.stderr}"
    return f"ok   {name}" + (" (built and ran)" if has_main else " (compiled)")


def main():
    root, library = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    compiler = sys.argv[sys.argv.index("--") + 1:]
    items = list(blocks(root))
    if not items:
        print("no ```cpp blocks found", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as work, ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda item: check(item, pathlib.Path(work), library, compiler),
                                [(item, i) for i, item in enumerate(items)]))
    print("\n".join(results))
    return 1 if any(r.startswith("FAIL") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
