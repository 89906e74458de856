#!/usr/bin/env python3
"""Reads newsflow output as downstream users do and checks it.

  check_downstream.py OUTPUT_DIR SCHEMA_DIR

- every line of OUTPUT_DIR/part-*.jsonl validates against record.schema.json, every line of
  errors.jsonl against error.schema.json;
- every entity and money span satisfies text[start:end] == span text (Python code point offsets);
- DuckDB reads the part files with read_json and agrees: same record count, and
  substring(text, start + 1, end - start) equals each entity's text.
Prints one JSON summary line; exits 1 with the first problems on failure.
"""
import glob
import json
import os
import sys

import duckdb
import jsonschema


def main(out_dir, schema_dir):
    problems = []
    with open(os.path.join(schema_dir, "record.schema.json")) as f:
        record_schema = jsonschema.Draft202012Validator(json.load(f))
    with open(os.path.join(schema_dir, "error.schema.json")) as f:
        error_schema = jsonschema.Draft202012Validator(json.load(f))

    parts = sorted(glob.glob(os.path.join(out_dir, "part-*.jsonl")))
    records = 0
    spans = 0
    for part in parts:
        with open(part, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                record = json.loads(line)
                records += 1
                for error in record_schema.iter_errors(record):
                    problems.append(f"{part}:{number}: schema: {error.message} at {list(error.absolute_path)}")
                text = record["text"]
                for mention in record["entities"] + record["money"]:
                    spans += 1
                    if text[mention["start"]:mention["end"]] != mention["text"]:
                        problems.append(f"{part}:{number}: span {mention} does not match text")
    errors = 0
    errors_path = os.path.join(out_dir, "errors.jsonl")
    if os.path.exists(errors_path):
        with open(errors_path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                errors += 1
                for error in error_schema.iter_errors(json.loads(line)):
                    problems.append(f"{errors_path}:{number}: schema: {error.message}")

    duck_records = duck_mismatches = 0
    if parts:
        con = duckdb.connect()
        pattern = os.path.join(out_dir, "part-*.jsonl")
        duck_records = con.execute(
            "select count(*) from read_json(?, format='newline_delimited')", [pattern]).fetchone()[0]
        duck_mismatches = con.execute(
            """select count(*) from (
                 select text, unnest(entities) as e from read_json(?, format='newline_delimited'))
               where substring(text, e.start + 1, e."end" - e.start) <> e.text""", [pattern]).fetchone()[0]
        if duck_records != records:
            problems.append(f"duckdb read {duck_records} records, Python {records}")
        if duck_mismatches:
            problems.append(f"duckdb: {duck_mismatches} entity spans differ from substring(text, start + 1, end - start)")

    print(json.dumps({"records": records, "errors": errors, "spans": spans, "duckdb_records": duck_records,
                      "duckdb_span_mismatches": duck_mismatches, "problems": len(problems)}))
    if problems:
        print("\n".join(problems[:20]), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
