"""Memory and time of cleaning one large capture: what the default --max-bytes rests on.

usage: python bench/limits.py [--sizes 1,4,16,32] [--kinds text,html,line]

For each size (MB) and kind, a fresh process builds a synthetic capture of that size and
cleans it once with `clean()`; it prints the peak resident memory of the process (above
what it held before cleaning: the interpreter, the libraries and the capture itself) and
the CPU time. Kinds: `text`, a text capture of varied sentences, one a line;
`html`, the same sentences as <p> paragraphs of a page; `line`, one single line of text
(no line breaks at all). The capture is synthetic (a seeded random word list), so the
figures show how cost grows with size, not what any real page costs.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = r"""
import json, random, resource, sys, time
from cleaner import clean

kind, size = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
         for _ in range(5000)]
def sentence():
    return " ".join(rng.choice(words) for _ in range(rng.randint(8, 20))).capitalize() + "."
parts, total = [], 0
while total < size:
    line = sentence()  # 60-120 characters, as the lines of real text captures
    parts.append(line)
    total += len(line) + 1
if kind == "text":
    content = "\n".join(parts)
elif kind == "line":
    content = " ".join(parts)
else:
    content = ("<html><head><title>Page</title></head><body><nav><a href='/'>Home</a></nav>"
               + "".join(f"<p>{p}</p>\n" for p in parts) + "</body></html>")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.process_time()
article = clean(content, max_bytes=None)
seconds = time.process_time() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"bytes": len(content.encode()), "extra_mb": (peak - before) / 1024,
                  "seconds": seconds, "words": article.meta["word_count"]}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,4,16,32", help="capture sizes in MB")
    parser.add_argument("--kinds", default="text,html,line")
    args = parser.parse_args()
    print("| kind | MB | peak extra MB | extra / size | CPU s | words kept |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind in args.kinds.split(","):
        for mb in (float(s) for s in args.sizes.split(",")):
            done = subprocess.run(
                [sys.executable, "-c", CHILD, kind, str(int(mb * 1024 * 1024))],
                capture_output=True, text=True, check=True,
            )
            row = json.loads(done.stdout)
            size_mb = row["bytes"] / 2**20
            print(f"| {kind} | {size_mb:.0f} | {row['extra_mb']:.0f} | "
                  f"{row['extra_mb'] / size_mb:.1f} | {row['seconds']:.1f} | {row['words']:,} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
