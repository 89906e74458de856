#!/usr/bin/env python3
"""Score newsflow's article extraction on the article-extraction dev pages, with the benchmark's own metric.

  scripts/html_eval.py [--bin .build/release/newsflow] [--pages DIR] [--keep PRED.json] [--worst N] [--min-f1 F]

Unpacks the pages (`*.html.gz`) to a temporary folder, runs `newsflow extract-html` over it and scores the
predictions with ../shared/eval/html-score.py against the folder's ground-truth.json. --worst N also lists
the N pages with the lowest F1 (precision/recall per page), for error analysis. --min-f1 F exits with status 1
when the overall F1 is below F (the test suite's floor).
"""
import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
PAGES = os.path.join(SHARED, "data", "article-extraction", "dev")
SCORER = os.path.join(SHARED, "eval", "html-score.py")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "newsflow"))
    ap.add_argument("--pages", default=PAGES)
    ap.add_argument("--keep", metavar="PRED.json", help="keep the predictions here")
    ap.add_argument("--worst", type=int, default=0, metavar="N")
    ap.add_argument("--min-f1", type=float, default=0.0, metavar="F")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="newsflow-html-")
    f1 = 0.0
    try:
        for name in sorted(os.listdir(args.pages)):
            if name.endswith(".html.gz"):
                with gzip.open(os.path.join(args.pages, name)) as src, open(os.path.join(work, name[:-3]), "wb") as dst:
                    shutil.copyfileobj(src, dst)
        pred = args.keep or os.path.join(work, "pred.json")
        subprocess.run([args.bin, "extract-html", work, "-o", pred], check=True)
        truth = os.path.join(args.pages, "ground-truth.json")
        scored = subprocess.run([sys.executable, SCORER, truth, pred], check=True, capture_output=True, text=True)
        print(scored.stdout, end="")
        # The scorer's last line: name, P, R, F1, accuracy, pages, missing.
        f1 = float(scored.stdout.strip().splitlines()[-1].split()[3])
        if args.worst:
            sys.path.insert(0, os.path.dirname(SCORER))
            import importlib.util
            spec = importlib.util.spec_from_file_location("html_score", SCORER)
            score = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(score)
            gold = json.load(open(truth, encoding="utf-8"))
            found = json.load(open(pred, encoding="utf-8"))
            rows = []
            for page, item in gold.items():
                body = (found.get(page) or {}).get("articleBody") or ""
                tp, fp, fn = score.page_tp_fp_fn(item["articleBody"], body)
                p = tp / (tp + fp) if tp + fp else 0.0
                r = tp / (tp + fn) if tp + fn else 0.0
                f = 2 * p * r / (p + r) if p + r else 0.0
                rows.append((f, p, r, page, item.get("url", "")))
            for f, p, r, page, url in sorted(rows)[:args.worst]:
                print(f"{f:.3f}  P {p:.3f}  R {r:.3f}  {page[:16]}  {url}")
    finally:
        shutil.rmtree(work)
    if f1 < args.min_f1:
        sys.exit(f"F1 {f1:.3f} is below the floor {args.min_f1:.3f}")


if __name__ == "__main__":
    main()
