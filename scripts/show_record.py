#!/usr/bin/env python3
"""Print the entities and money amounts of newsflow records, one per line, for a quick look.

  newsflow batch seeds | python3 scripts/show_record.py
"""
import json
import sys

for line in sys.stdin:
    record = json.loads(line)
    print(f"== {record['source'].get('path') or record['source'].get('url')}  title={record['title']!r}"
          f" lang={record['language']} tokens={record['stats']['tokens']} sentences={record['stats']['sentences']}")
    text = record["text"]
    for e in record["entities"]:
        assert text[e["start"]:e["end"]] == e["text"], e
        print(f"   {e['label']:6} {e['text']!r:40} -> {e['canonical']}")
    for m in record["money"]:
        assert text[m["start"]:m["end"]] == m["text"], m
        extra = {k: m[k] for k in ("value_max", "qualifier", "per") if k in m}
        print(f"   MONEY  {m['text']!r:40} -> {m['value']} {m['currency']} {extra or ''}")
