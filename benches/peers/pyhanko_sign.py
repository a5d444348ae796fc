"""pyHanko (PyPI) signing a PDF with ECDSA P-256 / SHA-256 in PAdES-style CMS, the peer of
gmseal-pdf's signing in benches/run-all.sh.

usage: pyhanko_sign.py FILE.pdf KEY.pem CERT.pem [RUNS]
prints: JSON {"sign_s": median seconds of a whole sign (incremental update, hash, CMS),
              "sha256_s": median seconds of hashlib.sha256 over the same bytes, "bytes": N}
The file is read once; each run signs from memory into memory (no interpreter start-up).
"""
import hashlib
import io
import json
import statistics
import sys
import time

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers


def main():
    path, key, cert = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    data = open(path, "rb").read()
    signer = signers.SimpleSigner.load(key, cert)
    meta = signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm="sha256")
    sign, sha = [], []
    for _ in range(runs):
        t = time.perf_counter()
        out = io.BytesIO()
        signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), meta, signer=signer, output=out)
        sign.append(time.perf_counter() - t)
        t = time.perf_counter()
        hashlib.sha256(data).digest()
        sha.append(time.perf_counter() - t)
    print(json.dumps({"sign_s": statistics.median(sign), "sha256_s": statistics.median(sha),
                      "bytes": len(data), "signed_bytes": len(out.getvalue())}))


if __name__ == "__main__":
    main()
