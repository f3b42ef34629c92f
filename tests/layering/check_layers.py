#!/usr/bin/env python3
"""Checks that reflorm's layers include only downwards (DESIGN.md section 2):
reflect -> schema -> sql -> dialect -> engine -> orm; migrate sits beside orm, on engine.
Also that only reflect/ touches Boost.PFR, and only the engine touches SOCI.

usage: check_layers.py LIB_DIR
"""
import pathlib
import re
import sys

ORDER = ["reflect", "schema", "sql", "dialect", "engine", "orm"]
ALLOWED = {layer: set(ORDER[: i + 1]) for i, layer in enumerate(ORDER)}
ALLOWED["migrate"] = set(ORDER[:5]) | {"migrate"}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def main():
    lib = pathlib.Path(sys.argv[1]) / "reflorm"
    problems, checked = [], 0
    for path in sorted(lib.rglob("*")):
        if path.suffix not in {".hpp", ".cpp"} or path.parent == lib:
            continue
        layer = path.relative_to(lib).parts[0]
        checked += 1
        for target in INCLUDE.findall(path.read_text(encoding="utf-8")):
            where = path.relative_to(lib.parent)
            if target.startswith("reflorm/"):
                parts = target.split("/")
                if len(parts) > 2 and parts[1] not in ALLOWED.get(layer, set()):
                    problems.append(f"{where}: the {layer} layer includes {target} from a layer above it")
            elif target.startswith("boost/pfr") and layer != "reflect":
                problems.append(f"{where}: only reflect/ may use Boost.PFR ({target})")
            elif target.startswith("soci/") and layer != "engine":
                problems.append(f"{where}: only engine/ may use SOCI ({target})")
    print("\n".join(problems) if problems else f"{checked} files include only downwards")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
