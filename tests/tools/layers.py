#!/usr/bin/env python3
"""layers.py BUILD_DIR SOURCE_DIR — the structure rules, measured on the build.

1. No cycles: for every object file of the engine (libmh), the reference
   server (libmhref) and the command line, the global symbols it references
   that exactly one other object defines are its calls; no two objects may
   reach each other through those calls (directly or around a loop).
2. Layers: an object in folder A may call into folder B only when the table
   in docs/architecture.md lists B under "may call" for A (a folder may always
   call itself). The table is the rule, so the document stays true.
3. Size: no product source file (harness/, refserver/) over 1,200 lines.
4. Check names are spelled as string literals only in the check catalogue.

Prints one line per violation and exits 1 when there is any.
"""
import os
import re
import subprocess
import sys

MAX_LINES = 1200
CATALOGUE = "harness/include/manta/check_list.h"
CHECK_NAMES = None  # read from the catalogue


def objects(build, src):
    """(label, folder, path) for every product object file whose source
    still exists (a build tree keeps objects of moved files)."""
    out = []
    for target in ("mh.dir", "mhref.dir", "manta-harness.dir"):
        root = os.path.join(build, "CMakeFiles", target)
        for dirpath, _, files in os.walk(root):
            for f in files:
                if f.endswith(".c.o"):
                    path = os.path.join(dirpath, f)
                    rel = os.path.relpath(path, root)[: -len(".o")]
                    if not os.path.exists(os.path.join(src, rel)):
                        continue
                    out.append((rel, os.path.dirname(rel) + "/", path))
    return sorted(out)


def symbols(path):
    text = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
    defined, undefined = set(), set()
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBRGSVWC":
            defined.add(parts[2])
    return defined, undefined


def layer_table(src):
    """folder -> set of folders it may call, from docs/architecture.md."""
    table = {}
    with open(os.path.join(src, "docs", "architecture.md"), encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 2 or not cells[0].startswith("`"):
                continue
            folder = cells[0].strip("`")
            if not folder.endswith("/"):
                continue
            table[folder] = set(re.findall(r"`([^`]+/)`", cells[-1]))
    return table


def sccs(nodes, edges):
    """Tarjan, iterative; returns components with more than one node."""
    index, low, onstack, stack, out = {}, {}, set(), [], []
    counter = [0]
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        onstack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]
                    counter[0] += 1
                    stack.append(nxt)
                    onstack.add(nxt)
                    work.append((nxt, iter(sorted(edges.get(nxt, ())))))
                    advanced = True
                    break
                if nxt in onstack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    n = stack.pop()
                    onstack.discard(n)
                    comp.append(n)
                    if n == node:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def check_names(src):
    path = os.path.join(src, CATALOGUE)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        # the name is the second argument of each X(ID, "name", ...) row
        return re.findall(r'X\(\s*[A-Z_]+\s*,\s*"([a-z_]+)"', f.read())


def main():
    build, src = sys.argv[1], sys.argv[2]
    problems = []
    objs = objects(build, src)
    if not objs:
        print("layers: no object files under %s" % build)
        return 1
    defs, refs = {}, {}
    for label, _, path in objs:
        d, u = symbols(path)
        refs[label] = u
        for s in d:
            defs.setdefault(s, []).append(label)
    folder = {label: fold for label, fold, _ in objs}
    edges = {}
    why = {}
    for label, _, _ in objs:
        for s in refs[label]:
            owners = defs.get(s, [])
            if len(owners) == 1 and owners[0] != label:
                edges.setdefault(label, set()).add(owners[0])
                why.setdefault((label, owners[0]), []).append(s)
    for comp in sccs([o[0] for o in objs], edges):
        inner = ["%s -> %s (%s)" % (a, b, ", ".join(sorted(why[(a, b)])[:3]))
                 for a in comp for b in sorted(edges.get(a, ())) if b in comp]
        problems.append("cycle: " + "; ".join(inner))

    table = layer_table(src)
    for (a, b), syms in sorted(why.items()):
        fa, fb = folder[a], folder[b]
        if fa == fb:
            continue
        if fa not in table:
            problems.append("layers: %s is in %s, which docs/architecture.md does not list" % (a, fa))
            table[fa] = set()
        elif fb not in table[fa]:
            problems.append("layers: %s calls %s (%s), but %s may not call %s" %
                            (a, b, ", ".join(sorted(syms)[:3]), fa, fb))

    for top in ("harness", "refserver"):
        for dirpath, _, files in os.walk(os.path.join(src, top)):
            for f in files:
                if f.endswith((".c", ".h")):
                    p = os.path.join(dirpath, f)
                    with open(p, encoding="utf-8", errors="replace") as fh:
                        n = sum(1 for _ in fh)
                    if n > MAX_LINES:
                        problems.append("size: %s has %d lines (at most %d)" %
                                        (os.path.relpath(p, src), n, MAX_LINES))

    names = check_names(src)
    if names:
        pattern = re.compile('"(%s)"' % "|".join(map(re.escape, names)))
        for top in ("harness", "refserver"):
            for dirpath, _, files in os.walk(os.path.join(src, top)):
                for f in files:
                    p = os.path.join(dirpath, f)
                    rel = os.path.relpath(p, src)
                    if not f.endswith((".c", ".h")) or rel == CATALOGUE:
                        continue
                    with open(p, encoding="utf-8", errors="replace") as fh:
                        for i, line in enumerate(fh, 1):
                            m = pattern.search(line)
                            if m:
                                problems.append("catalogue: %s:%d spells check %s; use its MH_CHECK_ id"
                                                % (rel, i, m.group(0)))
    for p in problems:
        print(p)
    print("layers: %d objects, %d calls between files, %d problems" %
          (len(objs), len(why), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
