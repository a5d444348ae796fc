"""Write docs/performance.md from one run of benches/run-all.sh.

usage: report.py OUT_DIR DOC_PATH
OUT_DIR holds: criterion/ (CRITERION_HOME of the run), openssl-speed.txt, pyhanko.json,
callgrind.txt ("mode instructions documents" lines), meta.txt ("key: value" lines).
Every ratio divides two times measured in the same run on the same machine.
"""
import json
import pathlib
import re
import sys

out = pathlib.Path(sys.argv[1])
doc = pathlib.Path(sys.argv[2])

# criterion medians, ns, by (group, function)
med = {}
for bj in (out / "criterion").glob("*/*/new/benchmark.json"):
    b = json.loads(bj.read_text())
    est = json.loads((bj.parent / "estimates.json").read_text())
    med[(b["group_id"], b["function_id"])] = est["median"]["point_estimate"]


def t(group, fid):
    return med.get((group, fid))


def fmt_time(ns):
    if ns is None:
        return "n/a"
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.1f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns:.0f} ns"


rows = []


def row(area, what, ns, base_what, base_ns, note=""):
    ratio = f"{ns / base_ns:.2f}×" if ns and base_ns else "n/a"
    rows.append((area, what, fmt_time(ns), base_what, fmt_time(base_ns), ratio, note))


# SM2 primitives
bare_sign, bare_verify = t("sm2", "bare/sign"), t("sm2", "bare/verify")
row("SM2", "sign (gmseal glue, DER)", t("sm2", "gmseal/sign_der"), "RustCrypto sm2 sign", bare_sign)
row("SM2", "verify (gmseal glue, DER, Z cached)", t("sm2", "gmseal/verify_der"), "RustCrypto sm2 verify", bare_verify)
row("SM2", "verify with a fresh key (Z computed)", t("sm2", "gmseal/verify_der_fresh_key"), "RustCrypto sm2 verify", bare_verify)
speed = (out / "openssl-speed.txt").read_text() if (out / "openssl-speed.txt").exists() else ""
m = re.search(r"SM2 \(CurveSM2\)\s+([\d.]+)s\s+([\d.]+)s\s+([\d.]+)\s+([\d.]+)", speed)
if m:
    o_sign, o_verify = 1e9 / float(m.group(3)), 1e9 / float(m.group(4))
    row("SM2 peer", "RustCrypto sm2 sign", bare_sign, "`openssl speed sm2` sign", o_sign)
    row("SM2 peer", "RustCrypto sm2 verify", bare_verify, "`openssl speed sm2` verify", o_verify)

# certificates
g = "gmseal-cert"
row("Certificates", "issue an organisation signing certificate", t(g, "issue/org_signing"), "SM2 sign (prehash)", t(g, "sm2/sign_prehash"))
row("Certificates", "verify a chain of 3", t(g, "verify/chain_of_3"), "RustCrypto sm2 verify", bare_verify)
row("Certificates", "issue a CRL of 100 entries", t(g, "issue/crl_100_entries"), "SM2 sign (prehash)", t(g, "sm2/sign_prehash"))

# seals
row("Seals (GB/T 38540)", "make a seal", t("ses", "ses/make_seal"), "RustCrypto sm2 sign", t("ses", "bare/sign"))
row("Seals (GB/T 38540)", "sign (SES_Signature)", t("ses", "ses/sign"), "RustCrypto sm2 sign", t("ses", "bare/sign"))
row("Seals (GB/T 38540)", "verify, all steps", t("ses", "ses/verify_all_steps"), "RustCrypto sm2 verify", t("ses", "bare/verify"))
row("Seals (GB/T 38540)", "parse and verify", t("ses", "ses/parse_and_verify"), "RustCrypto sm2 verify", t("ses", "bare/verify"))

# PDF
pg = next((k[0] for k in med if k[0].startswith("pdf-")), "pdf-20MB")
sm3_pdf = t(pg, "sm3 (baseline)")
clone_note = "includes copying the input (the API takes it by value)"
row("PDF 200 pages", "sign, format A (CMS)", t(pg, "sign format A (CMS)"), "SM3 over the file", sm3_pdf, clone_note)
row("PDF 200 pages", "sign, format B (seal)", t(pg, "sign format B (seal)"), "SM3 over the file", sm3_pdf, clone_note)
row("PDF 200 pages", "verify, format B", t(pg, "verify format B"), "SM3 over the file", sm3_pdf)
ph = json.loads((out / "pyhanko.json").read_text()) if (out / "pyhanko.json").exists() else None
if ph:
    ph_ns = ph["sign_s"] * 1e9
    row("PDF peer", "pyHanko sign, ECDSA P-256 (same file)", ph_ns, "gmseal sign format A (SM2 CMS)", t(pg, "sign format A (CMS)"), "both in memory; ours includes the input copy")
    row("PDF peer", "pyHanko sign, ECDSA P-256 (same file)", ph_ns, "Python hashlib SHA-256 over the file", ph["sha256_s"] * 1e9, "pyHanko's own hash-bound ratio")

# OFD
g = "ofd-100p"
sm3_ofd = t(g, "sm3/package")
row("OFD 100 pages", "sign with a seal", t(g, "gmseal/sign-seal"), "SM3 over the package", sm3_ofd)
row("OFD 100 pages", "verify a seal", t(g, "gmseal/verify-seal"), "SM3 over the package", sm3_ofd)
row("OFD 100 pages", "verify a bare SM2 signature", t(g, "gmseal/verify-sign"), "SM3 over the package", sm3_ofd)
row("OFD peer", "sOFD verify, bare SM2 signature (same file)", t(g, "sofd/verify-sign"), "gmseal verify, same file", t(g, "gmseal/verify-sign"), "like for like: both re-hash every reference")
row("OFD peer", "sOFD verify, seal (same file)", t(g, "sofd/verify-seal"), "gmseal verify, same file", t(g, "gmseal/verify-seal"), "sOFD does not re-hash a seal's references")
row("OFD peer", "sOFD verify, small sealed file", t("ofd-small", "sofd/verify-small-seal"), "gmseal verify, same file", t("ofd-small", "gmseal/verify-small-seal"))

# batch
bg = next((k[0] for k in med if k[0].startswith("batch-")), None)
if bg:
    n = int(bg.split("-")[1])
    base = t(bg, "sm2/bare-verify")
    for mode, label in [("one-by-one", "one by one (fresh verifier, no cache)"),
                        ("uncached", "one verifier, no cache"),
                        ("cached", "one verifier and cache, sequential"),
                        ("cached-parallel", "batch API: cache + rayon")]:
        v = t(bg, mode)
        row(f"Batch of {n}", f"{label}, per document", v / n if v else None, "RustCrypto sm2 verify", base)
    a, b = t(bg, "one-by-one"), t(bg, "cached-parallel")
    if a and b:
        rows.append((f"Batch of {n}", "speed-up: one by one / batch API", fmt_time(a), "batch API", fmt_time(b), f"{a / b:.2f}×", ""))

meta = dict(l.split(": ", 1) for l in (out / "meta.txt").read_text().splitlines() if ": " in l)

lines = [
    "# Performance",
    "",
    f"Generated by `benches/run-all.sh` on {meta.get('date', '?')}. Do not edit by hand: run the script again.",
    "",
    "**The ratios are the result, not the absolute times.** Each ratio divides two medians measured in",
    "the same run on the same machine (a bare SM2 operation, SM3 over the same bytes, or a peer on the",
    "same file). The machine is shared: other builds may have been running during the run, which moves",
    "absolute times (and ratios between benches run minutes apart) more than it moves the ratios within",
    "one bench. Criterion ran with short settings (`--warm-up-time 1 --measurement-time 3`, 10 samples",
    "for the large inputs), so expect a few percent of noise.",
    "",
    "Ratio = time / baseline time (below 1: faster than the baseline). The batch rows divide the",
    "time per document by one bare SM2 verification: an uncached document costs about six SM2",
    "verifications (signer and seal maker signatures, two certificate signatures in each of two",
    "chains), a cached one about one. The parallel row can gain at most the number of idle cores",
    f"({meta.get('nproc', '?')} here, shared with other builds).",
    "",
    "## Machine and versions",
    "",
]
for k in ["cpu", "nproc", "rustc", "openssl", "pyhanko", "sofd", "date"]:
    lines.append(f"* {k}: {meta.get(k, '?')}")
failed = out / "failed.txt"
if failed.exists():
    lines += ["", "**Failed in this run** (their rows say n/a):", ""]
    lines += [f"* `{l}`" for l in failed.read_text().splitlines() if l.strip()]
lines += [
    "",
    "## Ratios",
    "",
    "| Area | Measured | Time | Baseline | Baseline time | Ratio | Note |",
    "|---|---|---:|---|---:|---:|---|",
]
for r in rows:
    lines.append("| " + " | ".join(r) + " |")

cg = out / "callgrind.txt"
if cg.exists():
    counts = {}
    for l in cg.read_text().splitlines():
        mode, ir, docs = l.split()
        counts[mode] = (int(ir), int(docs))
    lines += [
        "",
        "## Where the batch time goes (callgrind)",
        "",
        "Instruction counts (valgrind callgrind, release build) of `verify_batch` in",
        "`benches/examples/batch-workload.rs`: sealed invoices, half OFD and half PDF, verified with",
        "trust anchors (leaf → sub CA → root for the signer and for the seal maker). Setup (making",
        "the PKI and the documents) is not counted. Instruction counts do not depend on the load of",
        "the machine. Callgrind runs threads one at a time, so the parallel mode is not counted.",
        "",
        "| Mode | Instructions | Per document | vs. before |",
        "|---|---:|---:|---:|",
    ]
    before = counts.get("one-by-one")
    for mode, (ir, docs) in counts.items():
        rel = f"{before[0] / ir:.2f}× fewer" if before and mode != "one-by-one" else "before"
        lines.append(f"| {mode} | {ir:,} | {ir // docs:,} | {rel} |")
    notes = (out / "callgrind-notes.txt")
    if notes.exists():
        lines += ["", notes.read_text().rstrip()]
doc.write_text("\n".join(lines) + "\n")
print(f"wrote {doc}")
