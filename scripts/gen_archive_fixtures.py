#!/usr/bin/env python3
"""Writes small test archives for newsflow's archive, WARC and JSONL readers, plus manifest.json saying
exactly which records and error records newsflow must write for each (in input order).

  python3 scripts/gen_archive_fixtures.py OUT_DIR

Content is real: the five pages in fixtures/html/pages/ and the five articles in seeds/ (both sorted by name,
read at generation time). Output is byte-identical across runs: fixed mtimes, gzip mtime 0, fixed owners.

pages.tar.gz      good pages and text, then one member per failure, then a good page (the run goes on):
                  ../escape.html and /abs/evil.html (unsafe_path: outside the extraction root), empty.html
                  (empty_content), image.png (binary_content), big.html (too_large under
                  --max-article-bytes 100000), nested/inner.zip (one level of nesting is followed; its
                  deeper.tar.gz is one level too many: limit_exceeded). A directory and a symlink give no output.
truncated.tar.gz  a tar.gz cut to 60 % of its length: the complete members, then one corrupt_archive error.
pages.zip         a page, ../b.html (unsafe_path), an empty file (empty_content) and a text article.
crawl.warc(.gz)   one gzip member per record: responses (UTF-8, undeclared windows-1252, chunked, gzip
                  content-encoding), skipped responses (PNG, 404, 301), a revisit, a resource record, and
                  warcinfo/request/metadata records that give no output.
rows.jsonl(.gz)   good rows, a blank line, truncated JSON, a row without html or text, a non-object row.
"""
import base64
import gzip
import hashlib
import html
import io
import json
import re
import struct
import sys
import tarfile
import uuid
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MTIME = 1700000000
ZIP_DATE = (2023, 11, 14, 22, 13, 20)
MAX_ARTICLE_BYTES = 100000
# Visible article text of pages[1] (the page has no <p> in its body; this is from the article body div).
CHUNKED_PROBE = "another man was critically injured in an"


def read_inputs():
    pages = [p.read_bytes() for p in sorted((ROOT / "fixtures/html/pages").glob("*.html"))]
    seeds_dir = ROOT / "seeds" if (ROOT / "seeds").is_dir() else ROOT.parent / "shared/seeds"
    seeds = [p.read_bytes() for p in sorted(seeds_dir.glob("*.txt"))]
    assert len(pages) == 5 and len(seeds) == 5, (len(pages), len(seeds))
    assert CHUNKED_PROBE.encode() in pages[1]
    return pages, seeds


def gz(data):
    return gzip.compress(data, mtime=0)


def png_8x8():
    """A valid 8x8 RGB PNG: a red-to-blue gradient."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\x00" + b"".join(bytes((x * 32, y * 32, 255 - x * 32)) for x in range(8)) for y in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def big_page(page, seeds):
    """page with a <p> of repeated seed paragraphs before </body>, 150,000-160,000 bytes in all."""
    paragraphs = [html.escape(line.strip()) for s in seeds for line in s.decode().splitlines() if line.strip()]
    filler, i = [], 0
    while len(page) + len(" ".join(filler).encode()) < 150000:
        filler.append(paragraphs[i % len(paragraphs)])
        i += 1
    cut = page.rindex(b"</body>")
    out = page[:cut] + b"<p>" + " ".join(filler).encode() + b"</p>\n" + page[cut:]
    assert 150000 <= len(out) <= 160000, len(out)
    return out


class Symlink(str):
    """Target of a symlink member in tar_bytes."""


def tar_bytes(members):
    """members: (name, bytes) for files, (name, None) for directories, (name, Symlink(target)) for symlinks."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)  # set directly: tarfile keeps "/abs/..." and "../..." as given
            info.mtime, info.uid, info.gid, info.uname, info.gname = MTIME, 1000, 1000, "newsflow", "newsflow"
            if data is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
            elif isinstance(data, Symlink):
                info.type, info.mode, info.linkname = tarfile.SYMTYPE, 0o777, data
            else:
                info.mode, info.size = 0o644, len(data)
            tar.addfile(info, io.BytesIO(data) if isinstance(data, bytes) else None)
    return buf.getvalue()


def zip_bytes(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)  # ZipInfo keeps "../b.html" as given
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 3, 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def record(member):
    return {"member": member, "expect": "record"}


def error(member, code):
    return {"member": member, "expect": "error", "code": code}


def pages_tar(pages, seeds):
    inner = zip_bytes([("inner-page.html", pages[4]), ("deeper.tar.gz", gz(tar_bytes([("deep.html", pages[0])])))])
    data = gz(tar_bytes([
        ("site/", None), ("site/page-1.html", pages[0]), ("site/page-2.html", pages[1]),
        ("site/story.txt", seeds[0]), ("../escape.html", pages[2]), ("/abs/evil.html", pages[2]),
        ("empty.html", b""), ("image.png", png_8x8()), ("big.html", big_page(pages[3], seeds)),
        ("link-to-page", Symlink("site/page-1.html")), ("nested/inner.zip", inner), ("site/page-3.htm", pages[3]),
    ]))
    items = [
        record("site/page-1.html"), record("site/page-2.html"), record("site/story.txt"),
        error("../escape.html", "unsafe_path"), error("/abs/evil.html", "unsafe_path"),
        error("empty.html", "empty_content"), error("image.png", "binary_content"), error("big.html", "too_large"),
        record("nested/inner.zip!/inner-page.html"), error("nested/inner.zip!/deeper.tar.gz", "limit_exceeded"),
        record("site/page-3.htm"),
    ]
    return data, {"items": items, "skipped": 0}


def complete_tar_members(tar_prefix):
    """Names of the tar members whose header and whole (512-padded) data lie inside tar_prefix."""
    names, offset = [], 0
    while offset + 512 <= len(tar_prefix):
        header = tar_prefix[offset:offset + 512]
        if header == bytes(512):
            break
        size = int(header[124:136].rstrip(b"\0 ") or b"0", 8)
        end = offset + 512 + (size + 511) // 512 * 512
        if end > len(tar_prefix):
            break
        names.append(header[:100].rstrip(b"\0").decode())
        offset = end
    return names


def truncated_tar(pages, seeds):
    members = [(f"t-{i + 1}.html", pages[i]) for i in range(4)] + [("t-5.txt", seeds[1])]
    full = gz(tar_bytes(members))
    data = full[:len(full) * 60 // 100]
    names = complete_tar_members(zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data))
    items = [record(n) for n in names] + [
        {"member": None, "member_optional": True, "expect": "error", "code": "corrupt_archive"}]
    return data, {"items": items, "skipped": 0, "recoverable_members": len(names)}


def pages_zip(pages, seeds):
    data = zip_bytes([("a.html", pages[1]), ("../b.html", pages[0]), ("empty.txt", b""), ("notes/c.txt", seeds[2])])
    items = [record("a.html"), error("../b.html", "unsafe_path"), error("empty.txt", "empty_content"),
             record("notes/c.txt")]
    return data, {"items": items, "skipped": 0}


def latin_page(seed):
    """seeds[3] as a windows-1252 page without a meta charset (CJK glosses dropped, U+2011 made '-')."""
    text = re.sub(r"\s*\([^\x00-\xff]+\)", "", seed.decode()).replace("\u2011", "-")
    lines = ["Café société — la chronique tech. Prix du numéro : 2 €."] + text.splitlines()
    body = "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line.strip())
    page = f"<html><head><title>Café société</title></head><body><article>{body}</article></body></html>\n"
    return page.encode("cp1252")


def chunked(body, size=4096):
    parts = [body[i:i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def http(status, headers, body, length=True):
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers]
    lines += [f"Content-Length: {len(body)}"] if length else []
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def record_id(n):
    return f"<urn:uuid:{uuid.UUID(int=n)}>"


def sha1_digest(data):
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def warc_records(pages, seeds):
    """(warc bytes of each record, manifest item or None, skip reason or None), in file order."""
    html_utf8 = ("Content-Type", "text/html; charset=utf-8")
    not_found = (b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
                 b"<p>The requested URL was not found on this server.</p></body></html>\n")
    resp = "application/http; msgtype=response"
    one = "https://example.com/news/one"
    # (day, type, target URI, content type, block, extra WARC headers, expect, skip reason)
    specs = [
        (1, "warcinfo", None, "application/warc-fields",
         b"software: gen_archive_fixtures.py\r\nformat: WARC File Format 1.1\r\n", [], None, None),
        (1, "request", one, "application/http; msgtype=request",
         b"GET /news/one HTTP/1.1\r\nHost: example.com\r\nUser-Agent: newsflow-fixtures\r\n\r\n", [], None, None),
        (1, "response", one, resp, http("200 OK", [html_utf8], pages[0]), [], "record", None),
        (2, "response", "https://example.com/news/latin", resp,
         http("200 OK", [("Content-Type", "text/html; charset=windows-1252")], latin_page(seeds[3])), [],
         {"text_contains": ["Café", "€"]}, None),
        (3, "response", "https://example.com/news/chunked", resp,
         http("200 OK", [html_utf8, ("Transfer-Encoding", "chunked")], chunked(pages[1]), length=False), [],
         {"text_contains": [CHUNKED_PROBE]}, None),
        (4, "response", "https://example.com/news/gzipped", resp,
         http("200 OK", [html_utf8, ("Content-Encoding", "gzip")], gz(pages[2])), [], "record", None),
        (5, "response", "https://example.com/logo.png", resp,
         http("200 OK", [("Content-Type", "image/png")], png_8x8()), [], None, "non_html"),
        (6, "response", "https://example.com/missing", resp, http("404 Not Found", [html_utf8], not_found), [],
         None, "status"),
        (7, "response", "https://example.com/old", resp,
         http("301 Moved Permanently", [("Location", one)], b""), [], None, "status"),
        (8, "metadata", one, "application/warc-fields", b"fetchTimeMs: 120\r\n",
         [("WARC-Refers-To", record_id(3))], None, None),
        (9, "revisit", one, resp, http("200 OK", [html_utf8], b"", length=False),
         [("WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"),
          ("WARC-Refers-To", record_id(3)), ("WARC-Refers-To-Target-URI", one),
          ("WARC-Refers-To-Date", "2024-03-01T12:00:00Z"), ("WARC-Payload-Digest", sha1_digest(pages[0]))],
         None, "revisit"),
        (10, "response", "https://example.com/news/last", resp, http("200 OK", [html_utf8], pages[3]), [],
         "record", None),
        (11, "resource", "file:///notes/story.txt", "text/plain", seeds[4], [], "record", None),
    ]
    out = []
    for n, (day, kind, uri, ctype, block, extra, expect, skip) in enumerate(specs, start=1):
        date = f"2024-03-{day:02d}T12:00:00Z"
        headers = [("WARC-Type", kind), ("WARC-Record-ID", record_id(n)), ("WARC-Date", date)]
        headers += [("WARC-Target-URI", uri)] if uri else []
        headers += extra + [("Content-Type", ctype), ("WARC-Block-Digest", sha1_digest(block)),
                            ("Content-Length", str(len(block)))]
        head = "WARC/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
        item = None
        if expect:
            item = {"record": record_id(n), "url": uri, "fetched": date, "expect": "record"}
            item.update(expect if isinstance(expect, dict) else {})
        out.append((head.encode() + block + b"\r\n\r\n", item, skip))
    return out


def warc_expectations(records):
    skipped = {"non_html": 0, "status": 0, "revisit": 0}
    for _, _, skip in records:
        if skip:
            skipped[skip] += 1
    return {"items": [item for _, item, _ in records if item], "skipped": skipped}


def jsonl_rows(pages, seeds):
    url = "https://news.example.org/a"
    rows = [
        json.dumps({"url": url, "title": "Given title A", "published": "2024-01-02", "html": pages[4].decode()},
                   ensure_ascii=False),
        json.dumps({"id": "x2", "text": seeds[0].decode()}, ensure_ascii=False),
        "",
        '{"url": "https://news.example.org/broken"',
        json.dumps({"url": "https://news.example.org/none", "title": "no body"}),
        json.dumps({"text": seeds[1].decode(), "title": "Given title F"}, ensure_ascii=False),
        json.dumps(["not", "an", "object"]),
    ]
    items = [
        {"line": 1, "expect": "record", "title": "Given title A", "published": "2024-01-02", "url": url},
        {"line": 2, "expect": "record"},
        {"line": 4, "expect": "error", "code": "invalid_row"},
        {"line": 5, "expect": "error", "code": "invalid_row"},
        {"line": 6, "expect": "record", "title": "Given title F"},
        {"line": 7, "expect": "error", "code": "invalid_row"},
    ]
    return ("\n".join(rows) + "\n").encode(), {"items": items}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_archive_fixtures.py OUT_DIR")
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    pages, seeds = read_inputs()
    files, manifest = {}, {}
    files["pages.tar.gz"], manifest["pages.tar.gz"] = pages_tar(pages, seeds)
    files["truncated.tar.gz"], manifest["truncated.tar.gz"] = truncated_tar(pages, seeds)
    files["pages.zip"], manifest["pages.zip"] = pages_zip(pages, seeds)
    records = warc_records(pages, seeds)
    files["crawl.warc.gz"] = b"".join(gz(data) for data, _, _ in records)
    files["crawl.warc"] = b"".join(data for data, _, _ in records)
    manifest["crawl.warc.gz"] = manifest["crawl.warc"] = warc_expectations(records)
    rows, manifest["rows.jsonl.gz"] = jsonl_rows(pages, seeds)
    files["rows.jsonl.gz"], files["rows.jsonl"], manifest["rows.jsonl"] = gz(rows), rows, manifest["rows.jsonl.gz"]
    for name, data in sorted(files.items()):
        (out / name).write_bytes(data)
    doc = {"max_article_bytes": MAX_ARTICLE_BYTES, "files": manifest}
    (out / "manifest.json").write_text(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                       encoding="utf-8")


if __name__ == "__main__":
    main()
