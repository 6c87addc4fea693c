#!/usr/bin/env python3
"""Turns bench/run's raw results into the report: medians, a table on stdout, report.md, and
medians.tsv for the chart. Usage: report.py RESULT_DIR [FILES IN THE LISTED TREE]
RESULT_DIR/results.tsv has one line per measurement, tab-separated:
  fio|ls  CONFIG  METRIC  VALUE          (MB/s for fio, seconds for ls; one line per run)
  fio|ls  CONFIG  METRIC  not run: WHY   (a measurement that could not be taken)
RESULT_DIR/parts/NAME.out and NAME.status hold the output and exit status of each per-issue benchmark;
RESULT_DIR/header.txt the lines that open the report (command, machine, load)."""
import os, sys

out = sys.argv[1]
tree_files = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
FIO_CONFIGS = ["local disk", "bindfs", "keepfs export", "keepfs collection", "keepfs export via Varnish",
               "keepfs collection via Varnish", "keepfs collection, warm client cache", "keepfs writable mount"]
FIO_METRICS = ["seqread 1 thread", "seqread 4 threads", "randread 1 thread", "randread 4 threads", "seqwrite 1 thread"]
LS_CONFIGS = ["local disk", "bindfs", "keepfs export", "keepfs collection", "keepfs export via Varnish"]
LS_METRICS = ["cold", "warm", "restart"]
PARTS = [("manifest", "Manifest: parse, normalize, PDH (bench/manifest/run)"),
         ("gateway", "Gateway over loopback (bench/gateway/run.sh)"),
         ("keep", "Keep blocks over loopback (bench/keep/run.sh)"),
         ("proxy", "Through-proxy HTTP reads (bench/proxy/run)"),
         ("writer-single", "Writer: one file (bench/writer/run single)"),
         ("writer-parallel", "Writer: four files in parallel (bench/writer/run parallel)"),
         ("writer-mount", "Writable mount: dd, 4 writers, untar, memory, random writes (bench/writer/run)")]

runs, notrun = {}, {}
path = os.path.join(out, "results.tsv")
if os.path.exists(path):
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if len(f) != 4:
            continue
        key = (f[0], f[1], f[2])
        if f[3].startswith("not run"):
            notrun[key] = f[3]
        else:
            try:
                runs.setdefault(key, []).append(float(f[3]))
            except ValueError:
                notrun[key] = "not run: bad value " + f[3]

def median(v):
    s = sorted(v)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2

def cell(kind, config, metric, fmt):
    key = (kind, config, metric)
    if key in runs:
        return fmt(median(runs[key]))
    return "not run" if key in notrun else "–"

def table(kind, configs, metrics, fmt, first):
    rows = ["| " + first + " | " + " | ".join(metrics) + " |", "|---" * (len(metrics) + 1) + "|"]
    for c in configs:
        rows.append("| " + c + " | " + " | ".join(cell(kind, c, m, fmt) for m in metrics) + " |")
    return rows

mbs = lambda v: "{:,.0f}".format(v) if v >= 10 else "{:.1f}".format(v)
secs = lambda v: "{:.2f}".format(v)
lines = []
header = os.path.join(out, "header.txt")
if os.path.exists(header):
    lines += open(header).read().rstrip("\n").split("\n") + [""]
lines += ["## Throughput with fio (MB/s, 10^6 bytes per second; median of the runs)", ""]
lines += table("fio", FIO_CONFIGS, FIO_METRICS, mbs, "configuration")
lines += ["", "## Listing: `ls -lR` of the {:,}-file tree (seconds; median of the runs)".format(tree_files), ""]
lines += table("ls", LS_CONFIGS, LS_METRICS, secs, "configuration")
why = sorted(set((k[1] + ", " + k[2] + ": " + v) for k, v in notrun.items()))
if why:
    lines += ["", "Not run:", ""] + ["- " + w for w in why]
lines += ["", "Every run (in order):", ""]
for key in sorted(runs):
    lines.append("- %s / %s / %s: %s" % (key[0], key[1], key[2], " ".join(mbs(v) if key[0] == "fio" else secs(v) for v in runs[key])))
table_text = "\n".join(lines)
print(table_text)

parts = []
for name, title in PARTS:
    status_file = os.path.join(out, "parts", name + ".status")
    body_file = os.path.join(out, "parts", name + ".out")
    if not os.path.exists(status_file):
        state = "not run"
    else:
        s = open(status_file).read().strip()
        state = "ok" if s == "0" else ("not run: " + s[len("not run:"):].strip() if s.startswith("not run") else "failed (exit status %s)" % s)
    parts += ["", "## " + title, "", "Status: " + state]
    if os.path.exists(body_file) and os.path.getsize(body_file) > 0:
        parts += ["", "```", open(body_file, errors="replace").read().rstrip("\n")[-6000:], "```"]
    print("%-60s %s" % (title, state))

with open(os.path.join(out, "report.md"), "w") as f:
    f.write("# keepfs benchmark report\n\n" + table_text + "\n" + "\n".join(parts) + "\n\n![chart](chart.png)\n")
with open(os.path.join(out, "medians.tsv"), "w") as f:
    for kind, configs, metrics in (("fio", FIO_CONFIGS, FIO_METRICS), ("ls", LS_CONFIGS, LS_METRICS)):
        for c in configs:
            for m in metrics:
                if (kind, c, m) in runs:
                    f.write("%s\t%s\t%s\t%.3f\n" % (kind, c, m, median(runs[(kind, c, m)])))
