#!/usr/bin/env python3
"""Writes every ```cpp block of README.md and docs/*.md to a file of its own, for Meson.

usage: extract_snippets.py SOURCE_ROOT OUT_DIR          (at configure time, by tests/docs/meson.build)
       extract_snippets.py --check SOURCE_ROOT OUT_DIR  (the doc_snippets_current test)

A snippet's file is named after its document and the hash of its code, `<doc>_<hash>.cpp`, and is
rewritten only when missing or different: editing one snippet, or moving it within its document,
rebuilds that snippet alone. Files of snippets that no longer exist are removed. Prints one line
per snippet, `file<TAB>document:line<TAB>main|compile`, where `main` marks a block with a main()
(built and run) and `compile` one that is only compiled. OUT_DIR/manifest.txt keeps the same
lines; --check fails when the documents no longer give them, as after adding a new document
without reconfiguring.
"""
import hashlib
import pathlib
import re
import sys


def documents(root: pathlib.Path):
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def snippets(root: pathlib.Path):
    """(file name, document:line, kind, code) per block; identical blocks of a document share a file."""
    result = []
    for doc in documents(root):
        text = doc.read_text(encoding="utf-8")
        stem = re.sub(r"[^A-Za-z0-9]+", "_", doc.stem).strip("_").lower()
        for match in re.finditer(r"^```cpp\n(.*?)^```", text, re.S | re.M):
            code = match.group(1)
            line = text.count("\n", 0, match.start()) + 1
            digest = hashlib.sha256(code.encode("utf-8")).hexdigest()[:12]
            kind = "main" if re.search(r"\bint main\s*\(", code) else "compile"
            result.append((f"{stem}_{digest}.cpp", f"{doc.relative_to(root)}:{line}", kind, code))
    return result


def manifest(items):
    return "".join(f"{name}\t{where}\t{kind}\n" for name, where, kind, _ in items)


def main(argv):
    check = argv[:1] == ["--check"]
    if check:
        argv = argv[1:]
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root, out = pathlib.Path(argv[0]), pathlib.Path(argv[1])
    items = snippets(root)
    if not items:
        print("error: no ```cpp blocks in README.md or docs/*.md", file=sys.stderr)
        return 1
    text = manifest(items)
    if check:
        configured = (out / "manifest.txt").read_text(encoding="utf-8") if (out / "manifest.txt").is_file() else ""
        if configured != text:
            print("the doc snippets changed since Meson was configured (a new document?): "
                  "run `meson setup --reconfigure` on the build directory", file=sys.stderr)
            return 1
        print(f"{len(items)} snippets, as configured")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for name, _, _, code in items:
        wanted.add(name)
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != code:
            path.write_text(code, encoding="utf-8")
    for stale in out.glob("*.cpp"):
        if stale.name not in wanted:
            stale.unlink()
    (out / "manifest.txt").write_text(text, encoding="utf-8")
    for doc in documents(root):
        print(f"doc\t{doc.relative_to(root)}")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
