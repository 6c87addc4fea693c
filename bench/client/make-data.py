#!/usr/bin/env python3
"""Writes the benchmark data straight into a keepfs data directory (the local block and collection
store layout): a 1 GiB file in 64 MiB blocks as a collection, and a tree of 20,000 small files in 200
directories both as files under files/tree (an export) and as a collection. Prints the two PDHs."""
import hashlib, os, subprocess, sys

data, keepfs = sys.argv[1], sys.argv[2]
BLOCK = 64 << 20

def put_block(b):
    h = hashlib.md5(b).hexdigest()
    d = os.path.join(data, "blocks", h[:3])
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, h)
    if not os.path.exists(p):
        with open(p, "wb") as f:
            f.write(b)
    return "%s+%d" % (h, len(b))

def put_manifest(text, name):
    raw = os.path.join(data, name + ".manifest")
    with open(raw, "w") as f:
        f.write(text)
    norm = subprocess.run(keepfs.split() + ["manifest", "normalize", raw], check=True, capture_output=True, text=True).stdout
    pdh = subprocess.run(keepfs.split() + ["manifest", "pdh", raw], check=True, capture_output=True, text=True).stdout.split()[0]
    d = os.path.join(data, "collections", "manifests")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, pdh), "w") as f:
        f.write(norm)
    return pdh

plain = os.path.join(data, "plain")
os.makedirs(plain, exist_ok=True)
locs = []
big_path = os.path.join(plain, "big.bin")
if os.path.exists(big_path) and os.path.getsize(big_path) == 16 * BLOCK:
    with open(big_path, "rb") as f:
        for i in range(16):
            locs.append(put_block(f.read(BLOCK)))
else:
    with open(big_path, "wb") as out:
        for i in range(16):
            b = os.urandom(BLOCK)
            out.write(b)
            locs.append(put_block(b))
big = put_manifest(". " + " ".join(locs) + " 0:%d:big.bin\n" % (16 * BLOCK), "big")

small = put_block(b"0123456789abcdef" * 4)
streams = []
for d in range(200):
    tree = os.path.join(data, "files", "tree", "d%03d" % d)
    os.makedirs(tree, exist_ok=True)
    toks = []
    for f in range(100):
        with open(os.path.join(tree, "f%03d" % f), "wb") as out:
            out.write(b"0123456789abcdef" * 4)
        toks.append("0:64:f%03d" % f)
    streams.append("./d%03d %s %s\n" % (d, small, " ".join(toks)))
tree = put_manifest("".join(streams), "tree")
print(big, tree)
