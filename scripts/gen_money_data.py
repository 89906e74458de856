#!/usr/bin/env python3
"""Generate and validate the money-recognizer data files in pipelines/money/.

Public data:  pycountry (ISO 4217 codes and names) and babel (Unicode CLDR: English/Chinese currency
names and plurals, symbols in every locale, minor-unit digits, territory currencies, compact-number
abbreviations).  Hand-curated tables live in pipelines/money/curated/ and are merged over the
generated data.  See pipelines/money/README.md.

Usage:
    pip install -r scripts/requirements-data.txt && python3 scripts/gen_money_data.py
    python3 scripts/gen_money_data.py --check          # regenerate in memory, fail if files differ
    python3 scripts/gen_money_data.py --validate-only  # only validate the files (needs no packages)
    python3 scripts/gen_money_data.py --coverage DIR   # also report dev-set spans without a known form

Output is deterministic (sorted, no timestamps).  Any problem is reported and the script exits 1.
"""
from __future__ import annotations

import argparse
import collections
import decimal
import json
import re
import sys
import unicodedata
from pathlib import Path

PINS = {"babel": "2.18.0", "pycountry": "26.2.16"}
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "pipelines" / "money"
CUR = OUT / "curated"
REGEN = "pip install -r scripts/requirements-data.txt && python3 scripts/gen_money_data.py"

# ISO 4217 entries that are not money in the news sense: precious metals, bond-market units,
# testing/no-currency codes, accounting units.  Left out of every file.
NON_MONEY = {"XAU", "XAG", "XPT", "XPD", "XBA", "XBB", "XBC", "XBD", "XTS", "XXX", "XSU", "XUA", "XAD"}
# ISO 4217 fund codes: listed in currencies.tsv (they are active codes) but given no text forms
# (CHE, COU ... collide with words; their names are not used for amounts in news).
FUNDS = {"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW"}

EN_LOCALES = ["en", "en_001", "en_GB", "en_IN", "en_AU", "en_CA", "en_NZ", "en_SG", "en_ZA"]
ZH_LOCALES = ["zh", "zh_Hans_HK", "zh_Hans_MO", "zh_Hans_SG", "zh_Hant", "zh_Hant_HK", "zh_Hant_MO"]
ZH_GETTEXT = ["zh_CN", "zh_HK", "zh_TW"]
SCALE_LOCALES = ["en", "en_IN", "zh", "zh_Hant"]

FORM_KINDS = {"symbol", "code", "name"}
FORM_FLAGS = {"ambiguous", "cased", "dateline", "weak"}
SCALE_FLAGS = {"cased", "attached", "code_prefix"}
MINOR_FLAGS = {"ambiguous", "attached", "cased", "weak"}
NUMBER_KINDS = {"unit", "ten", "multiplier", "fraction", "cn_digit", "cn_unit", "cn_big"}
QUALIFIERS = {"approximately", "nearly", "more_than", "at_least", "up_to", "at_most", "less_than"}
CHANGE_KINDS = {"change", "range", "skip"}

FILES = {  # name: (columns, column names)
    "currencies.tsv": (3, "code<TAB>minor_digits<TAB>name"),
    "currency-forms.tsv": (4, "form<TAB>code<TAB>kind<TAB>flags"),
    "currency-context.tsv": (3, "form<TAB>context_word<TAB>code"),
    "scales.tsv": (3, "word<TAB>multiplier<TAB>flags"),
    "minor-units.tsv": (4, "form<TAB>code<TAB>factor<TAB>flags"),
    "number-words.tsv": (3, "word<TAB>value<TAB>kind"),
    "qualifiers.tsv": (2, "phrase<TAB>qualifier"),
    "per-units.tsv": (2, "phrase<TAB>unit"),
    "change-words.tsv": (2, "word<TAB>kind"),
}
# Which columns may be empty (0-based).
EMPTY_OK = {"currency-forms.tsv": {3}, "scales.tsv": {2}, "minor-units.tsv": {3}}


class Problems:
    def __init__(self):
        self.errors: list[str] = []
        self.notes: list[str] = []

    def err(self, msg: str):
        self.errors.append(msg)

    def note(self, msg: str):
        self.notes.append(msg)


P = Problems()


# ----------------------------------------------------------------------------- helpers
def is_han(ch: str) -> bool:
    return "CJK" in unicodedata.name(ch, "") or ch in "〇"


def has_han(s: str) -> bool:
    return any(is_han(ch) for ch in s)


def latin_letters_only(s: str) -> bool:
    """True if every character is a Latin letter, space, '.', '-', or apostrophe and at least one letter."""
    ok = False
    for ch in s:
        if ch.isalpha():
            if not unicodedata.name(ch, "").startswith("LATIN"):
                return False
            ok = True
        elif ch not in " .-'’":
            return False
    return ok


def fold(s: str) -> str:
    """Strip accents: 'króna' -> 'krona', 'São Tomé' -> 'Sao Tome'."""
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def clean(s: str) -> str:
    s = s.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    s = "".join(c for c in s if unicodedata.category(c) != "Cf")
    s = re.sub(r"\s+", " ", s).strip()
    return unicodedata.normalize("NFC", s)


def flags_str(flags) -> str:
    order = ["ambiguous", "attached", "cased", "code_prefix", "dateline", "weak"]
    return ",".join(f for f in order if f in flags)


def read_tsv(path: Path, ncols: int, empty_ok=frozenset()):
    """Strict TSV reader shared by generation and validation.  Returns [(lineno, fields)]."""
    rows = []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        P.err(f"{path}: not UTF-8 ({e})")
        return rows
    if "\r" in text:
        P.err(f"{path}: contains CR characters (use LF line endings)")
    if text.startswith("\ufeff"):
        P.err(f"{path}: has a BOM")
    for n, line in enumerate(text.split("\n"), 1):
        if line.strip() == "" or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != ncols:
            P.err(f"{path}:{n}: expected {ncols} columns, got {len(fields)}: {line!r}")
            continue
        bad = False
        for i, f in enumerate(fields):
            if f != f.strip():
                P.err(f"{path}:{n}: column {i + 1} has leading/trailing whitespace: {f!r}")
                bad = True
            if f == "" and i not in empty_ok:
                P.err(f"{path}:{n}: column {i + 1} is empty")
                bad = True
            if unicodedata.normalize("NFC", f) != f:
                P.err(f"{path}:{n}: column {i + 1} is not NFC: {f!r}")
                bad = True
            if any(unicodedata.category(c) in ("Cc", "Cf") for c in f):
                P.err(f"{path}:{n}: column {i + 1} has control/format characters: {f!r}")
                bad = True
        if not bad:
            rows.append((n, fields))
    return rows


def parse_flags(s: str, allowed: set, where: str) -> set:
    if s == "":
        return set()
    parts = s.split(",")
    if len(parts) != len(set(parts)):
        P.err(f"{where}: duplicate flag in {s!r}")
    for f in parts:
        if f not in allowed:
            P.err(f"{where}: unknown flag {f!r} (allowed: {', '.join(sorted(allowed))})")
    return set(parts)


def header(fname: str, sources: str, generated: bool = True) -> str:
    cols = FILES[fname][1]
    lines = [f"# {fname} - {cols}"]
    if generated:
        lines.append("# GENERATED by scripts/gen_money_data.py - do not edit; edit pipelines/money/curated/ and regenerate.")
    lines.append(f"# Sources: {sources}")
    lines.append(f"# Regenerate: {REGEN}")
    lines.append("# Format: UTF-8, one TAB between columns, '#' comment lines and blank lines ignored. See README.md.")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- curated input
def load_curated():
    c = {}
    c["forms"] = read_tsv(CUR / "currency-forms.tsv", 4, {3})
    c["alternatives"] = read_tsv(CUR / "currency-alternatives.tsv", 2)
    c["drop"] = read_tsv(CUR / "currency-forms-drop.tsv", 3)
    c["weak"] = read_tsv(CUR / "weak-forms.tsv", 2)
    c["context"] = read_tsv(CUR / "currency-context.tsv", 3)
    c["scales"] = read_tsv(CUR / "scales.tsv", 3, {2})
    c["minor"] = read_tsv(CUR / "minor-units.tsv", 4, {3})
    c["numbers"] = read_tsv(CUR / "number-words.tsv", 3)
    c["qualifiers"] = read_tsv(CUR / "qualifiers.tsv", 2)
    c["perunits"] = read_tsv(CUR / "per-units.tsv", 2)
    c["changes"] = read_tsv(CUR / "change-words.tsv", 2)
    return c


# ----------------------------------------------------------------------------- public data
def check_versions(allow_mismatch: bool):
    import importlib.metadata as md
    for pkg, pin in PINS.items():
        try:
            have = md.version(pkg)
        except md.PackageNotFoundError:
            P.err(f"package {pkg} is not installed; run: {REGEN}")
            continue
        if have != pin:
            msg = f"{pkg} {have} installed but {pin} pinned (output would differ); run: pip install -r scripts/requirements-data.txt"
            (P.note if allow_mismatch else P.err)(msg)


class Public:
    """Everything taken from pycountry and babel."""

    def __init__(self):
        import pycountry
        from babel import Locale, localedata
        from babel.core import get_cldr_version
        from babel.numbers import (get_currency_name, get_currency_precision, get_currency_symbol,
                                   get_territory_currencies)
        self.Locale, self.localedata = Locale, localedata
        self.name, self.symbol = get_currency_name, get_currency_symbol
        self.precision, self.terr_cur = get_currency_precision, get_territory_currencies
        self.cldr = get_cldr_version()
        self.pycountry = pycountry
        self.iso = {c.alpha_3: c.name for c in pycountry.currencies}
        self.active = sorted(set(self.iso) - NON_MONEY)
        self.with_forms = [c for c in self.active if c not in FUNDS]
        # currency -> territories where it is current legal tender (CLDR supplemental data)
        en = Locale.parse("en")
        self.territories = sorted(t for t in en.territories if re.fullmatch(r"[A-Z]{2}", t))
        self.cur_terr = collections.defaultdict(list)
        for t in self.territories:
            for cur in get_territory_currencies(t, tender=True, non_tender=False):
                self.cur_terr[cur].append(t)

    # English names of a territory: CLDR 'en' plus pycountry names without commas.
    def terr_names_en(self, t: str) -> set:
        out = set()
        n = self.Locale.parse("en").territories.get(t)
        cands = [n] if n else []
        pc = self.pycountry.countries.get(alpha_2=t)
        if pc:  # the short common name only: ISO long names ("Viet Nam", "Russian Federation") are rare in news
            cands.append(getattr(pc, "common_name", None))
        for n in cands:
            if not n or "," in n or "(" in n:
                continue
            n = clean(n.replace(" SAR China", ""))
            if " - " in n:
                continue
            out.add(n)
            if "&" in n:
                out.add(n.replace("&", "and"))
            if "’" in n:
                out.add(n.replace("’", "'"))
            f = fold(n)
            if f != n:
                out.add(f)
        return out

    def terr_names_zh(self, t: str) -> set:
        out = set()
        for loc in ("zh", "zh_Hant"):
            n = self.Locale.parse(loc).territories.get(t)
            if not n:
                continue
            n = clean(n)
            m = re.fullmatch(r"中[国國](.+)特[别別]行政[区區]", n)
            if m:
                n = m.group(1)
            if all(is_han(ch) for ch in n):
                out.add(n)
        return out


def form_key(form: str, kind: str):
    return (form.casefold(), kind) if kind == "name" else (form, kind)


def display_form(e) -> str:
    return sorted(e["variants"].items(), key=lambda kv: (kv[1], kv[0]))[0][0]


def en_name_parts(name: str):
    """'Australian dollar' -> ('Australian', 'dollar'); None when not '<Capitalised adjective> <unit>'."""
    toks = name.split(" ")
    if len(toks) < 2 or not toks[0][:1].isupper() or not toks[-1].islower():
        return None
    return " ".join(toks[:-1]), toks[-1]


def adjective_for_context(adj: str) -> str:
    toks = adj.split(" ")
    while toks and (toks[-1].islower() or toks[-1] == "CFA"):
        toks.pop()
    return " ".join(toks)


# ----------------------------------------------------------------------------- generation
def gen_currencies(pub: Public):
    rows = []
    for c in pub.active:
        rows.append((c, str(pub.precision(c)), clean(pub.iso[c])))
    return rows


def gen_forms(pub: Public, weak_names: set, weak_exact: set):
    """Returns cand: {(form, kind): {"codes": Counter, "flags": set, "src": set}} and en_names info."""
    cand = {}

    prio = {"cldr-name": 0, "unit": 0, "zh-name": 0, "territory+unit": 1, "joined": 1, "name": 2}

    def add(form, kind, code, score=1, flags=(), src=""):
        form = clean(form)
        if not form:
            return
        # names match case-insensitively: one entry per casefolded name, shown in CLDR's casing
        e = cand.setdefault(form_key(form, kind), {"codes": collections.Counter(), "flags": set(),
                                                   "src": set(), "variants": {}})
        e["codes"][code] += score
        e["flags"].update(flags)
        e["src"].add(src)
        e["variants"][form] = min(e["variants"].get(form, 9), prio.get(src, 0))

    # 1. ISO codes
    for c in pub.with_forms:
        add(c, "code", c, src="iso")

    # 2. symbols from every CLDR locale (for the currencies of that locale's territory) and from 'en'
    sym_locales = collections.defaultdict(lambda: collections.defaultdict(set))
    for lid in pub.localedata.locale_identifiers():
        loc = pub.Locale.parse(lid)
        if not loc.territory:
            continue
        for cur in pub.terr_cur(loc.territory, tender=True, non_tender=False):
            if cur in pub.with_forms:
                sym_locales[clean(pub.symbol(cur, lid))][cur].add(lid)
    for c in pub.with_forms:
        for lid in ["en"] + ZH_LOCALES:
            sym_locales[clean(pub.symbol(c, lid))][c].add(lid)
    dropped_script = set()
    for s, per in sym_locales.items():
        for c, locs in per.items():
            if s == "" or s == c or "¤" in s or re.fullmatch(r"[A-Z]{3}", s):
                continue
            has_sc = any(unicodedata.category(ch) == "Sc" for ch in s)
            letters = [ch for ch in s if ch.isalpha()]
            if any(not unicodedata.name(ch, "").startswith("LATIN") for ch in letters):
                dropped_script.add(s)  # Cyrillic, Arabic, Devanagari ... not English/Chinese news
                continue
            if has_sc:
                add(s, "symbol", c, len(locs), {"cased"} if letters else set(), "cldr-symbol")
            elif latin_letters_only(s):
                if len(letters) == 1:
                    continue  # single letters (K, L, P, Q ...) only when curated
                add(s, "symbol", c, len(locs), {"cased", "weak"}, "cldr-symbol")
    P.note(f"symbols dropped for script (not Latin/Han): {len(dropped_script)}")
    # a dollar currency's code glued to the sign ("AUD$ 15", "NZD$15")
    for s, per in sym_locales.items():
        if s.endswith("$"):
            for c in per:
                add(f"{c}$", "symbol", c, 1, {"cased"}, "code+$")

    # 3. English names
    units = collections.defaultdict(set)      # unit word -> codes
    adjectives = {}                             # code -> adjective (from the singular name)
    for c in pub.with_forms:
        names = set()
        for lid in EN_LOCALES:
            for cnt in (None, 1, 2):
                n = pub.name(c, count=cnt, locale=lid) if cnt else pub.name(c, locale=lid)
                names.add((clean(n), cnt))
        names.add((clean(pub.iso[c]), None))
        for n, cnt in sorted(names, key=lambda x: (x[0], x[1] or 0)):
            if not n or re.fullmatch(r"[A-Z]{3}", n) or re.search(r"[()\d,/]", n) \
                    or not latin_letters_only(n.replace("&", "")):
                continue
            for v in {n, fold(n)}:
                add(v, "name", c, src="cldr-name" if cnt else "name")
            parts = en_name_parts(n) if cnt else None
            if parts:
                adj, unit = parts
                if cnt == 1 and c not in adjectives:
                    adjectives[c] = adj
                for u in {unit, fold(unit)}:
                    units[u].add(c)
                    add(u, "name", c, src="unit")
                # written run together in some texts ("42 Saudiriyal"); one-word adjectives only
                if re.fullmatch(r"[A-Za-z]+", adj):
                    add(f"{adj}{unit.lower()}", "name", c, src="joined")
                terr = pub.cur_terr.get(c, [])
                if len(terr) == 1:
                    for tn in pub.terr_names_en(terr[0]):
                        if tn.lower() != adj.lower() and latin_letters_only(tn.replace("&", "")):
                            for u in {unit, fold(unit)}:
                                add(f"{tn} {u}", "name", c, src="territory+unit")

    # 4. Chinese names (CLDR zh locales + ISO 4217 names translated in pycountry)
    import gettext
    zh_sources = []
    for lid in ZH_LOCALES:
        zh_sources.append(lambda c, lid=lid: pub.name(c, locale=lid))
    for lang in ZH_GETTEXT:
        try:
            t = gettext.translation("iso4217", pub.pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            P.err(f"pycountry has no iso4217 translation for {lang}")
            continue
        zh_sources.append(lambda c, t=t: t.gettext(pub.iso[c]))
    for c in pub.with_forms:
        for src in zh_sources:
            n = clean(src(c))
            if n and all(is_han(ch) for ch in n):
                add(n, "name", c, src="zh-name")

    # weak rule: common words and short Latin names
    for (_, kind), e in cand.items():
        form = display_form(e)
        if kind == "name" and (form.casefold() in weak_names or
                               (latin_letters_only(form) and " " not in form and len(form) <= 3)):
            e["flags"].add("weak")
        if kind in ("code", "symbol") and form in weak_exact:
            e["flags"].add("weak")
    return cand, units, adjectives


def merge_forms(pub, cand, cur):
    """Apply drops and curated rows.  Returns final {(form, kind): (code, flags)} and alternatives."""
    known = set(pub.active)
    final = {}
    alternatives = collections.defaultdict(set)   # form -> codes other than the default
    for n, (form, kind, reason) in cur["drop"]:
        if kind not in FORM_KINDS:
            P.err(f"curated/currency-forms-drop.tsv:{n}: bad kind {kind!r}")
        if form_key(form, kind) not in cand:
            P.err(f"curated/currency-forms-drop.tsv:{n}: {form!r}/{kind} is not generated (stale row?)")
        cand.pop(form_key(form, kind), None)
    dropped = {form_key(form, kind) for _, (form, kind, _r) in cur["drop"]}
    curated = {}
    for n, (form, code, kind, flags) in cur["forms"]:
        where = f"curated/currency-forms.tsv:{n}"
        if form_key(form, kind) in dropped:
            P.err(f"{where}: {form!r}/{kind} is also in curated/currency-forms-drop.tsv")
        if kind not in FORM_KINDS:
            P.err(f"{where}: bad kind {kind!r}")
        if code not in known:
            P.err(f"{where}: unknown currency {code!r}")
        if form_key(form, kind) in curated:
            P.err(f"{where}: duplicate curated row for {form!r}/{kind}")
        curated[form_key(form, kind)] = (form, code, parse_flags(flags, FORM_FLAGS, where))
    auto_defaults = []
    for key, e in cand.items():
        codes = e["codes"]
        if key in curated:
            continue
        form = display_form(e)
        if len(codes) == 1:
            final[(form, key[1])] = (next(iter(codes)), set(e["flags"]))
        else:
            best = sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            final[(form, key[1])] = (best, set(e["flags"]) | {"ambiguous"})
            auto_defaults.append(f"{form!r}/{key[1]} -> {best} (of {', '.join(sorted(codes))})")
        for c in codes:
            if c != final[(form, key[1])][0]:
                alternatives[form].add(c)
    for key, (form, code, flags) in curated.items():
        if key in cand:
            for c in cand[key]["codes"]:
                if c != code:
                    alternatives[form].add(c)
            if len(set(cand[key]["codes"]) | {code}) > 1 and "ambiguous" not in flags:
                P.err(f"curated form {form!r}/{key[1]} -> {code}: CLDR also gives "
                      f"{', '.join(sorted(set(cand[key]['codes']) - {code}))}; mark it ambiguous or drop the CLDR form")
        final[(form, key[1])] = (code, flags)
    for n, (form, code) in cur["alternatives"]:
        where = f"curated/currency-alternatives.tsv:{n}"
        if code not in known:
            P.err(f"{where}: unknown currency {code!r}")
        defaults = {c for (f, k), (c, fl) in final.items() if f == form and "ambiguous" in fl}
        if not defaults:
            P.err(f"{where}: {form!r} is not an ambiguous form")
        elif code in defaults:
            P.err(f"{where}: {code} is already the default of {form!r}")
        alternatives[form].add(code)
    for a in sorted(auto_defaults):
        P.note(f"ambiguous default chosen by rule (most CLDR locales, then alphabetical): {a}")
    # alternatives only matter for ambiguous forms
    amb = {f for (f, k), (c, fl) in final.items() if "ambiguous" in fl}
    alternatives = {f: s for f, s in alternatives.items() if f in amb}
    return final, alternatives


def gen_context(pub, final, alternatives, adjectives, cur):
    default = {}
    for (form, kind), (code, flags) in final.items():
        if "ambiguous" in flags:
            default[form] = code
    rows = {}
    conflicts = []
    for form in sorted(alternatives):
        d = default[form]
        zh = has_han(form)
        d_words = set()
        for t in pub.cur_terr.get(d, []):
            d_words |= pub.terr_names_zh(t) if zh else pub.terr_names_en(t)
        words = collections.defaultdict(set)
        for a in sorted(alternatives[form]):
            ws = set()
            for t in pub.cur_terr.get(a, []):
                ws |= pub.terr_names_zh(t) if zh else pub.terr_names_en(t)
            if not zh and a in adjectives:
                adj = adjective_for_context(adjectives[a])
                if adj and adj != "US":
                    ws |= {adj, fold(adj)}
            for w in ws:
                if w not in d_words:
                    words[w].add(a)
        for w, codes in words.items():
            if len(codes) > 1:
                conflicts.append(f"{form!r} + {w!r}: {', '.join(sorted(codes))}")
                continue
            rows[(form, w)] = next(iter(codes))
    for c in sorted(conflicts):
        P.note(f"context word left out (several alternatives share it): {c}")
    # curated rows; rows for '$' also apply to 'dollar'/'dollars' when the code is an alternative there
    known = set(pub.active)
    for n, (form, word, code) in cur["context"]:
        where = f"curated/currency-context.tsv:{n}"
        targets = [form] + (["dollar", "dollars"] if form == "$" else [])
        if form not in default:
            P.err(f"{where}: {form!r} is not an ambiguous form")
            continue
        if code not in known:
            P.err(f"{where}: unknown currency {code!r}")
        for f in targets:
            ok = code == default.get(f) or code in alternatives.get(f, set())
            if f == form and not ok:
                P.err(f"{where}: {code} is neither the default nor an alternative of {form!r}")
            if ok:
                rows[(f, word)] = code
    return [(f, w, c) for (f, w), c in rows.items()]


def gen_scales(pub, cur):
    rows = {}
    for lid in SCALE_LOCALES:
        data = pub.Locale.parse(lid)._data["compact_decimal_formats"]
        for style in sorted(data):
            for cat in sorted(data[style]):
                for mag, pat in data[style][cat].items():
                    p = pat.pattern if hasattr(pat, "pattern") else str(pat)
                    p = p.replace("'", "")
                    zeros = p.count("0")
                    word = clean(p.replace("0", "").replace("¤", ""))
                    if not word or zeros == 0:
                        continue
                    mult = int(mag) // (10 ** (zeros - 1))
                    if word in rows and rows[word][0] != mult:
                        P.err(f"CLDR {lid}: scale {word!r} has two multipliers {rows[word][0]} and {mult}")
                    flags = set()
                    if latin_letters_only(word) and word != word.lower() or len(word) == 1 and word.isascii():
                        flags.add("cased")
                    if len(word) == 1 and word.isascii() or re.fullmatch(r"[KL]Cr", word):
                        flags.add("attached")
                    rows[word] = (mult, flags)
    for n, (word, mult, flags) in cur["scales"]:
        where = f"curated/scales.tsv:{n}"
        if not re.fullmatch(r"[1-9][0-9]*", mult):
            P.err(f"{where}: multiplier must be a positive integer: {mult!r}")
            continue
        if word in rows and rows[word][0] != int(mult):
            P.err(f"{where}: {word!r} = {mult} but CLDR says {rows[word][0]}")
        rows[word] = (int(mult), parse_flags(flags, SCALE_FLAGS, where))
    return [(w, str(m), flags_str(f)) for w, (m, f) in rows.items()]


# ----------------------------------------------------------------------------- output
def sort_rows(fname, rows):
    keys = {
        "currencies.tsv": lambda r: r[0],
        "currency-forms.tsv": lambda r: (r[1], ["code", "symbol", "name"].index(r[2]), r[0].casefold(), r[0]),
        "currency-context.tsv": lambda r: (r[0], r[2], r[1]),
        "scales.tsv": lambda r: (int(r[1]), r[0]),
        "minor-units.tsv": lambda r: (r[1], decimal.Decimal(r[2]), r[0]),
        "number-words.tsv": lambda r: (sorted(NUMBER_KINDS).index(r[2]), decimal.Decimal(r[1]), r[0]),
        "qualifiers.tsv": lambda r: (r[1], r[0]),
        "per-units.tsv": lambda r: (r[1].casefold(), r[0]),
        "change-words.tsv": lambda r: (r[1], r[0]),
    }
    return sorted(set(tuple(r) for r in rows), key=keys[fname])


def render(fname, rows, sources, generated=True):
    return header(fname, sources, generated) + "".join("\t".join(r) + "\n" for r in sort_rows(fname, rows))


# ----------------------------------------------------------------------------- validation
def validate(texts: dict, weak_names=None, weak_exact=None):
    """Validate file contents (dict fname -> text).  Uses the same strict reader as the loader."""
    import tempfile
    parsed = {}
    with tempfile.TemporaryDirectory() as td:
        for fname, (ncols, _) in FILES.items():
            if fname not in texts:
                P.err(f"{fname}: missing")
                continue
            p = Path(td) / fname
            p.write_text(texts[fname], encoding="utf-8")
            before = len(P.errors)
            parsed[fname] = [f for _, f in read_tsv(p, ncols, EMPTY_OK.get(fname, frozenset()))]
            P.errors[before:] = [e.replace(str(p), fname) for e in P.errors[before:]]
            if not texts[fname].startswith("# "):
                P.err(f"{fname}: no header comment")
    cur = parsed.get("currencies.tsv", [])
    codes = {}
    for code, digits, name in cur:
        if not re.fullmatch(r"[A-Z]{3}", code):
            P.err(f"currencies.tsv: bad code {code!r}")
        if code in codes:
            P.err(f"currencies.tsv: duplicate {code}")
        if not re.fullmatch(r"[0-4]", digits):
            P.err(f"currencies.tsv: {code}: minor_digits {digits!r} not in 0..4")
        codes[code] = name
    for must in ("USD", "EUR", "CNY", "JPY", "GBP", "HKD", "INR"):
        if must not in codes:
            P.err(f"currencies.tsv: {must} missing")

    forms = parsed.get("currency-forms.tsv", [])
    seen, seen_ci, form_code, ambiguous = {}, {}, collections.defaultdict(set), {}
    for form, code, kind, flags in forms:
        w = f"currency-forms.tsv: {form!r}/{kind}"
        fl = parse_flags(flags, FORM_FLAGS, w)
        if code not in codes:
            P.err(f"{w}: currency {code} not in currencies.tsv")
        if kind not in FORM_KINDS:
            P.err(f"{w}: bad kind")
        if (form, kind) in seen:
            P.err(f"{w}: duplicate (form, kind) -> {seen[(form, kind)]} and {code}")
        seen[(form, kind)] = code
        if kind == "name" and "cased" not in fl:
            k = (form.casefold(), kind)
            if k in seen_ci and seen_ci[k] != code:
                P.err(f"{w}: same as {k[0]!r} case-insensitively with another currency")
            seen_ci[k] = code
        form_code[form].add(code)
        if "ambiguous" in fl:
            ambiguous[form] = code
        if kind == "code" and not re.fullmatch(r"[A-Za-z]{3}", form):
            P.err(f"{w}: a code form must be three letters")
        letters = [ch for ch in form if ch.isalpha()]
        if kind == "symbol" and letters and "cased" not in fl:
            P.err(f"{w}: a symbol with letters must be cased")
        if "dateline" in fl and "ambiguous" not in fl:
            P.err(f"{w}: only an ambiguous form can take its context from the dateline")
        if len(letters) == 1 and latin_letters_only(form) and "weak" not in fl:
            P.err(f"{w}: single-letter form must be weak")
        if kind == "name" and latin_letters_only(form) and " " not in form and len(form) <= 3 and "weak" not in fl:
            P.err(f"{w}: Latin name of <= 3 letters must be weak")
        if weak_names is not None and kind == "name" and form.casefold() in weak_names and "weak" not in fl:
            P.err(f"{w}: listed in curated/weak-forms.tsv but not weak")
        if weak_exact is not None and kind != "name" and form in weak_exact and "weak" not in fl:
            P.err(f"{w}: listed in curated/weak-forms.tsv but not weak")
    for form, cs in form_code.items():
        if len(cs) > 1:
            P.err(f"currency-forms.tsv: {form!r} maps to different currencies in different kinds: {sorted(cs)}")
    for must in ("$", "€", "£", "¥", "USD", "dollars", "euros", "yuan", "元", "美元", "人民币"):
        if not any(f == must for f, _, _, _ in forms):
            P.err(f"currency-forms.tsv: {must!r} missing")

    ctx_seen = set()
    ctx_forms = set()
    for form, word, code in parsed.get("currency-context.tsv", []):
        w = f"currency-context.tsv: {form!r}/{word!r}"
        if form not in ambiguous:
            P.err(f"{w}: form is not an ambiguous form of currency-forms.tsv")
        if code not in codes:
            P.err(f"{w}: currency {code} not in currencies.tsv")
        if (form, word) in ctx_seen:
            P.err(f"{w}: duplicate")
        ctx_seen.add((form, word))
        ctx_forms.add(form)
    for form in sorted(set(ambiguous) - ctx_forms):
        P.note(f"ambiguous form without context rows (always resolves to its default): {form!r} -> {ambiguous[form]}")

    seen = {}
    for word, mult, flags in parsed.get("scales.tsv", []):
        w = f"scales.tsv: {word!r}"
        fl = parse_flags(flags, SCALE_FLAGS, w)
        if not re.fullmatch(r"[1-9][0-9]*", mult):
            P.err(f"{w}: multiplier must be a positive integer string")
        key = word if "cased" in fl else word.casefold()
        if key in seen:
            P.err(f"{w}: duplicate")
        seen[key] = mult
        if len(word) == 1 and word.isascii() and not {"cased", "attached"} <= fl:
            P.err(f"{w}: single-letter abbreviation must be cased,attached")
    for w in ("million", "billion", "bn", "万", "亿"):
        if w not in seen:
            P.err(f"scales.tsv: {w!r} missing")

    seen = set()
    for form, code, factor, flags in parsed.get("minor-units.tsv", []):
        w = f"minor-units.tsv: {form!r}"
        parse_flags(flags, MINOR_FLAGS, w)
        if code not in codes:
            P.err(f"{w}: currency {code} not in currencies.tsv")
        try:
            f = decimal.Decimal(factor)
            if not (0 < f < 1):
                P.err(f"{w}: factor {factor} not in (0, 1)")
        except decimal.InvalidOperation:
            P.err(f"{w}: factor {factor!r} is not a decimal")
        if form in seen:
            P.err(f"{w}: duplicate")
        seen.add(form)

    seen = set()
    for word, value, kind in parsed.get("number-words.tsv", []):
        w = f"number-words.tsv: {word!r}"
        if kind not in NUMBER_KINDS:
            P.err(f"{w}: bad kind {kind!r}")
        if kind == "fraction":
            if not re.fullmatch(r"0\.[0-9]*[1-9]", value):
                P.err(f"{w}: a fraction's value must be a decimal in (0, 1)")
        elif not re.fullmatch(r"0|[1-9][0-9]*", value):
            P.err(f"{w}: value must be a non-negative integer")
        if kind.startswith("cn_") != has_han(word):
            P.err(f"{w}: cn_* kinds are for Chinese characters only")
        if word in seen:
            P.err(f"{w}: duplicate")
        seen.add(word)

    seen = set()
    for phrase, q in parsed.get("qualifiers.tsv", []):
        w = f"qualifiers.tsv: {phrase!r}"
        if q not in QUALIFIERS:
            P.err(f"{w}: unknown qualifier {q!r}")
        if phrase != phrase.lower():
            P.err(f"{w}: phrases are lower-case")
        if phrase in seen:
            P.err(f"{w}: duplicate")
        seen.add(phrase)

    seen = set()
    for phrase, unit in parsed.get("per-units.tsv", []):
        w = f"per-units.tsv: {phrase!r}"
        if phrase.casefold() in seen:
            P.err(f"{w}: duplicate (case-insensitive)")
        seen.add(phrase.casefold())
        if not re.fullmatch(r"[A-Za-z_]+", unit):
            P.err(f"{w}: unit label must be ASCII letters/underscore")

    seen = set()
    for word, kind in parsed.get("change-words.tsv", []):
        w = f"change-words.tsv: {word!r}"
        if kind not in CHANGE_KINDS:
            P.err(f"{w}: unknown kind {kind!r} (change, range, skip)")
        if word != word.lower() or " " in word:
            P.err(f"{w}: words are single lower-case words")
        if word in seen:
            P.err(f"{w}: duplicate")
        seen.add(word)
    return parsed


def coverage(parsed, devdir: Path):
    """Report gold money spans in the dev sets that contain no known currency form or minor unit."""
    forms = [(f, k, fl) for f, c, k, fl in parsed["currency-forms.tsv"]]
    minors = [f for f, c, fa, fl in parsed["minor-units.tsv"]]
    missing = []
    total = 0
    for p in sorted(devdir.glob("*.jsonl")):
        for line in p.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            for m in d["money"]:
                total += 1
                t = m["text"]
                hit = False
                for f, k, fl in forms:
                    if k == "name" and "cased" not in fl:
                        if re.search(r"(?<![A-Za-z])" + re.escape(f.casefold()) + r"(?![A-Za-z])", t.casefold()) \
                                or (has_han(f) and f in t):
                            hit = True
                            break
                    elif re.search(r"(?<![A-Za-z])" + re.escape(f) + r"(?![A-Za-z])", t):
                        hit = True
                        break
                if not hit and not any(mf in t for mf in minors if has_han(mf) or len(mf) > 1):
                    missing.append(f"{d['id']}: {t!r} ({m['currency']})")
    print(f"coverage: {total - len(missing)}/{total} dev spans contain a known currency form")
    for m in missing:
        print(f"  no form found: {m}")


# ----------------------------------------------------------------------------- main
def build(allow_mismatch: bool):
    check_versions(allow_mismatch)
    if P.errors:
        return None, None, None
    cur = load_curated()
    weak_names = {f.casefold() for _, (f, _r) in cur["weak"]}
    weak_exact = {f for _, (f, _r) in cur["weak"] if re.fullmatch(r"[A-Z]{3}", f)}
    pub = Public()
    src_pub = f"babel {PINS['babel']} (Unicode CLDR {pub.cldr} data), pycountry {PINS['pycountry']} (ISO 4217 from Debian iso-codes)"
    texts = {}
    texts["currencies.tsv"] = render(
        "currencies.tsv", gen_currencies(pub),
        f"pycountry {PINS['pycountry']} (codes, names; metals/test/bond units left out), "
        f"babel {PINS['babel']} get_currency_precision (CLDR {pub.cldr} minor digits)")
    cand, units, adjectives = gen_forms(pub, weak_names, weak_exact)
    final, alternatives = merge_forms(pub, cand, cur)
    form_rows = [(f, c, k, flags_str(fl)) for (f, k), (c, fl) in final.items()]
    texts["currency-forms.tsv"] = render("currency-forms.tsv", form_rows,
                                         f"{src_pub}; curated/currency-forms.tsv, curated/currency-forms-drop.tsv, curated/weak-forms.tsv")
    texts["currency-context.tsv"] = render(
        "currency-context.tsv", gen_context(pub, final, alternatives, adjectives, cur),
        f"{src_pub} (territory names, currency-name adjectives); curated/currency-alternatives.tsv, curated/currency-context.tsv")
    texts["scales.tsv"] = render("scales.tsv", gen_scales(pub, cur),
                                 f"babel {PINS['babel']} CLDR {pub.cldr} compact number formats (en, en_IN, zh, zh_Hant); curated/scales.tsv")
    simple = {"minor-units.tsv": "minor", "number-words.tsv": "numbers", "qualifiers.tsv": "qualifiers", "per-units.tsv": "perunits",
              "change-words.tsv": "changes"}
    for fname, key in simple.items():
        texts[fname] = render(fname, [f for _, f in cur[key]], f"curated/{fname} (hand-curated)")
    return texts, weak_names, weak_exact


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="do not write; fail if the files on disk differ")
    ap.add_argument("--validate-only", action="store_true", help="only validate the files on disk")
    ap.add_argument("--allow-version-mismatch", action="store_true", help="warn instead of failing on other package versions")
    ap.add_argument("--coverage", metavar="DIR", help="report dev-set (*.jsonl) spans with no known currency form")
    ap.add_argument("-v", "--verbose", action="store_true", help="print notes (auto defaults, dropped context words)")
    args = ap.parse_args()

    if args.validate_only:
        texts = {f: (OUT / f).read_text(encoding="utf-8") for f in FILES if (OUT / f).exists()}
        cur = load_curated()
        weak_names = {f.casefold() for _, (f, _r) in cur["weak"]}
        weak_exact = {f for _, (f, _r) in cur["weak"] if re.fullmatch(r"[A-Z]{3}", f)}
    else:
        texts, weak_names, weak_exact = build(args.allow_version_mismatch)
    parsed = validate(texts, weak_names, weak_exact) if texts else None

    if args.verbose or P.errors:
        for n in P.notes:
            print(f"note: {n}", file=sys.stderr)
    if P.errors:
        for e in P.errors:
            print(f"ERROR: {e}", file=sys.stderr)
        print(f"gen_money_data: {len(P.errors)} problem(s); nothing written.", file=sys.stderr)
        return 1
    if args.check:
        diff = [f for f, t in texts.items() if not (OUT / f).exists() or (OUT / f).read_text(encoding="utf-8") != t]
        if diff:
            print(f"gen_money_data: out of date: {', '.join(diff)}; run: {REGEN}", file=sys.stderr)
            return 1
    elif not args.validate_only:
        for f, t in texts.items():
            (OUT / f).write_text(t, encoding="utf-8")
    for f in FILES:
        n = sum(1 for line in texts[f].splitlines() if line and not line.startswith("#"))
        print(f"{f}: {n} rows")
    if args.coverage and parsed:
        coverage(parsed, Path(args.coverage))
    return 0


if __name__ == "__main__":
    sys.exit(main())
