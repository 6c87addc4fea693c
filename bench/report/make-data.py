#!/usr/bin/env python3
"""Writes bench/run's data into a keepfs data directory (the local block and collection store layout):
files/fio/kf.N.0 (N = 0..FILES-1, FILE_MIB each, random bytes) as an export and as a collection, and a
tree of DIRS x 100 small files (files/tree) as an export and as a collection, and a 16 MiB
warmup.bin in both (files/warm/ and next to the fio files in their collection) that bench/run reads
after each mount, so that a measurement starts with a running client rather than a starting JVM.
Prints the two PDHs.
Usage: make-data.py DATA_DIR "KEEPFS COMMAND" FILE_MIB FILES DIRS"""
import hashlib, os, subprocess, sys

data, keepfs, file_mib, files, dirs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
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

fio = os.path.join(data, "files", "fio")
os.makedirs(fio, exist_ok=True)
size = file_mib << 20
locs, tokens, pos = [], [], 0
for n in range(files):
    path = os.path.join(fio, "kf.%d.0" % n)
    with open(path, "wb") as out:
        for off in range(0, size, BLOCK):
            b = os.urandom(min(BLOCK, size - off))
            out.write(b)
            locs.append(put_block(b))
    tokens.append("%d:%d:kf.%d.0" % (pos, size, n))
    pos += size
warm = os.urandom(16 << 20)
os.makedirs(os.path.join(data, "files", "warm"), exist_ok=True)
with open(os.path.join(data, "files", "warm", "warmup.bin"), "wb") as out:
    out.write(warm)
locs.append(put_block(warm))
tokens.append("%d:%d:warmup.bin" % (pos, len(warm)))
fio_pdh = put_manifest(". " + " ".join(locs) + " " + " ".join(tokens) + "\n", "fio")

small = put_block(b"0123456789abcdef" * 4)
streams = []
for d in range(dirs):
    tree = os.path.join(data, "files", "tree", "d%03d" % d)
    os.makedirs(tree, exist_ok=True)
    toks = []
    for f in range(100):
        with open(os.path.join(tree, "f%03d" % f), "wb") as out:
            out.write(b"0123456789abcdef" * 4)
        toks.append("0:64:f%03d" % f)
    streams.append("./d%03d %s %s\n" % (d, small, " ".join(toks)))
tree_pdh = put_manifest("".join(streams), "tree")
print(fio_pdh, tree_pdh)
