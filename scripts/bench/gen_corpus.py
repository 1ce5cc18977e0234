#!/usr/bin/env python3
"""Builds a benchmark corpus from our own sample reports (samples/).

    gen_corpus.py SAMPLES_DIR OUT_DIR --reports 2000 --big-mb 50

OUT_DIR/reports/NNNN.{txt,html}: `--reports` reports, each one sample
repeated 1-8 times with every number varied (years kept), in the sample's
own encoding and format (GBK stays GBK, HTML stays HTML: only the text
between tags is touched). OUT_DIR/big/big.txt: one UTF-8 text report of
about `--big-mb` MB made the same way. Deterministic (fixed seed).
"""
import argparse
import os
import random
import re

DIGITS = re.compile(rb"[0-9]+")
TAG = re.compile(rb"(<[^>]*>)")


def vary_numbers(chunk: bytes, rng: random.Random) -> bytes:
    def repl(m):
        d = m.group(0)
        if len(d) == 4 and d.startswith(b"20"):
            return d  # a year
        return bytes(rng.choice(b"123456789") for _ in d)

    return DIGITS.sub(repl, chunk)


def vary(sample: bytes, html: bool, rng: random.Random) -> bytes:
    if not html:
        # ASCII digits never occur inside a GBK double-byte character, so
        # replacing them byte-wise is safe in every supported encoding.
        return vary_numbers(sample, rng)
    parts = TAG.split(sample)
    return b"".join(p if p.startswith(b"<") else vary_numbers(p, rng) for p in parts)


def html_body(sample: bytes):
    lo = sample.find(b"<body")
    lo = sample.find(b">", lo) + 1 if lo >= 0 else 0
    hi = sample.rfind(b"</body>")
    hi = hi if hi >= 0 else len(sample)
    return sample[:lo], sample[lo:hi], sample[hi:]


def report(sample: bytes, html: bool, copies: int, rng: random.Random) -> bytes:
    if html:
        head, body, tail = html_body(sample)
        return head + b"".join(vary(body, True, rng) for _ in range(copies)) + tail
    return b"\n".join(vary(sample, False, rng) for _ in range(copies))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("samples")
    ap.add_argument("out")
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--big-mb", type=float, default=50)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    samples = []
    for name in sorted(os.listdir(a.samples)):
        ext = name.rsplit(".", 1)[-1].lower()
        if ext in ("txt", "html", "htm"):
            with open(os.path.join(a.samples, name), "rb") as f:
                samples.append((f.read(), ext != "txt"))
    if not samples:
        raise SystemExit(f"no sample reports in {a.samples}")
    rep = os.path.join(a.out, "reports")
    os.makedirs(rep, exist_ok=True)
    total = 0
    for i in range(a.reports):
        sample, html = samples[i % len(samples)]
        data = report(sample, html, rng.randint(1, 8), rng)
        with open(os.path.join(rep, f"{i:05d}.{'html' if html else 'txt'}"), "wb") as f:
            f.write(data)
        total += len(data)
    print(f"{a.reports} reports, {total} bytes in {rep}")
    if a.big_mb > 0:
        big = os.path.join(a.out, "big")
        os.makedirs(big, exist_ok=True)
        utf8_text = [s for s, html in samples if not html and s.decode("utf-8", "ignore").encode() == s]
        base = utf8_text[0] if utf8_text else samples[0][0]
        target = int(a.big_mb * 1e6)
        n = 0
        with open(os.path.join(big, "big.txt"), "wb") as f:
            while n < target:
                chunk = vary(base, False, rng) + b"\n"
                f.write(chunk)
                n += len(chunk)
        print(f"1 report, {n} bytes in {big}/big.txt")


if __name__ == "__main__":
    main()
