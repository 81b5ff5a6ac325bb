#!/usr/bin/env python3
"""Generates a deterministic benchmark source tree: python3 eng/bench-tree.py DEST FILES TOTAL_BYTES.

Same arguments give the same bytes on every machine (seeded PRNG), so figures are comparable across runs.
Files are spread over 20 top-level folders (then 10 subfolders each), like a real source tree; content is
half pseudo-random, half repeated text, so gzip does real work but is not handed incompressible data only.
"""
import os, random, sys

dest, count, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
marker = dest.rstrip("/") + ".complete"  # beside the tree, not part of it
if os.path.exists(marker) and open(marker).read() == f"{count} {total} v2\n":
    sys.exit(0)  # generated once: reused by later runs
rng = random.Random(20261127)
size = total // count
text = (b"def handler(event, context):\n    return {'status': 200, 'body': event}\n" * (size // 70 + 1))
for i in range(count):
    folder = os.path.join(dest, f"pkg{i % 20:02d}", f"mod{(i // 20) % 10}")
    os.makedirs(folder, exist_ok=True)
    half = size // 2
    with open(os.path.join(folder, f"file{i:05d}.py"), "wb") as f:
        f.write(rng.randbytes(half))
        f.write(text[: size - half])
# Ignore rules both builds apply (buildx reads .dockerignore from the context root; the SDK image declares
# it as a DockerIgnore layer): the ignored files must stay out of the context and the image alike.
with open(os.path.join(dest, ".dockerignore"), "w") as f:
    f.write(".dockerignore\npkg19/mod9\n")
with open(marker, "w") as f:
    f.write(f"{count} {total} v2\n")
