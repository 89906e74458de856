#!/usr/bin/env python3
"""Score newsflow's entity recognizer on the NER dev sets, the way the held-out checks run them.

CoNLL and FiNER lines are sentences with a `doc` id. By default each document is rebuilt (its sentences
joined by newlines, as articles arrive in use), annotated whole, and the mentions are mapped back onto the
sentences so that the corpus scorer sees the gold ids. `--unit sentence` annotates each line alone instead.

  scripts/ner_eval.py [--unit doc|sentence] [--bin .build/release/newsflow] [--pred-dir DIR] [SET.jsonl ...]

Prints precision / recall / F1 per set and label (PERSON→PER, GPE/LOC→LOC, labels PER,ORG,LOC), using
../shared/eval/ner-score.py. With --pred-dir the per-sentence predictions are kept for inspection.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
DEFAULT_SETS = ["conll2003_testa.jsonl", "finer_ord_validation.jsonl", "ieer_dev.jsonl"]
MAP = "PERSON=PER,GPE=LOC"
LABELS = "PER,ORG,LOC"


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def group_documents(rows):
    """[(doc_id, [rows])] in first-seen order; rows without a doc id are their own document."""
    order, docs = [], {}
    for row in rows:
        doc = row.get("doc") or row["id"]
        if doc not in docs:
            docs[doc] = []
            order.append(doc)
        docs[doc].append(row)
    return [(doc, docs[doc]) for doc in order]


def annotate(binary, rows):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps({"id": row["id"], "text": row["text"]}, ensure_ascii=False) + "\n")
        path = f.name
    try:
        out = subprocess.run([binary, "annotate", path], check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    return {rec["id"]: rec.get("entities", []) for rec in map(json.loads, out.splitlines())}


def predict(binary, rows, unit):
    """Per-sentence predictions {id, entities} for the gold rows."""
    if unit == "sentence":
        found = annotate(binary, rows)
        return [{"id": r["id"], "entities": found[r["id"]]} for r in rows]
    docs = group_documents(rows)
    joined = [{"id": doc, "text": "\n".join(r["text"] for r in members)} for doc, members in docs]
    found = annotate(binary, joined)
    predictions = []
    for doc, members in docs:
        mentions = found[doc]
        offset = 0
        for row in members:
            end = offset + len(row["text"])
            inside = [
                dict(m, start=m["start"] - offset, end=m["end"] - offset)
                for m in mentions if offset <= m["start"] and m["end"] <= end
            ]
            predictions.append({"id": row["id"], "entities": inside})
            offset = end + 1
    return predictions


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="*", help="gold files (default: the three dev sets in ../shared/data/ner)")
    parser.add_argument("--unit", choices=["doc", "sentence"], default="doc")
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build/release/newsflow"))
    parser.add_argument("--pred-dir", help="keep the predictions here, one file per set")
    args = parser.parse_args()
    sets = args.sets or [os.path.join(SHARED, "data/ner", name) for name in DEFAULT_SETS]
    scorer = os.path.join(SHARED, "eval/ner-score.py")
    for gold in sets:
        rows = read_jsonl(gold)
        predictions = predict(args.bin, rows, args.unit)
        name = os.path.basename(gold).removesuffix(".jsonl")
        if args.pred_dir:
            os.makedirs(args.pred_dir, exist_ok=True)
            pred_path = os.path.join(args.pred_dir, name + ".jsonl")
        else:
            pred_path = tempfile.mktemp(suffix=".jsonl")
        with open(pred_path, "w", encoding="utf-8") as f:
            for p in predictions:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
        # Gold written with newsflow's own labels (fixtures/ner) is scored with the same mapping.
        mapping = dict(pair.split("=") for pair in MAP.split(","))
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
            for row in rows:
                entities = [dict(e, label=mapping.get(e["label"], e["label"])) for e in row["entities"]]
                f.write(json.dumps({"id": row["id"], "entities": entities}, ensure_ascii=False) + "\n")
            gold_path = f.name
        result = subprocess.run(
            [sys.executable, scorer, gold_path, pred_path, "--map", MAP, "--labels", LABELS, "--json"],
            check=True, capture_output=True, text=True).stdout
        os.unlink(gold_path)
        rows_by_label = json.loads(result)
        cells = "  ".join(
            f"{label} {100 * r['f1']:5.1f} (P{100 * r['precision']:.1f}/R{100 * r['recall']:.1f})"
            for label, r in rows_by_label.items())
        print(f"{name:28s} {cells}")
        if not args.pred_dir:
            os.unlink(pred_path)


if __name__ == "__main__":
    main()
