#!/usr/bin/env python3
"""Writes fixtures/html/encodings/: one small news page per legacy encoding, declared rightly, wrongly or not
at all, and manifest.json with the sentence each page must decode to and the warning codes expected.

  python3 scripts/gen_encoding_fixtures.py

Python's codecs do the encoding, so the fixtures do not depend on the decoder under test.
"""
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "html", "encodings")

SENTENCES = {
    "fr": "Le géant chinois Alibaba a annoncé lundi un investissement de 380 milliards de yuans dans l'intelligence artificielle, « un pari sur l'avenir » selon son président.",
    "de": "Der Onlinehändler Amazon will in den nächsten Jahren über 100 Milliarden Dollar in Rechenzentren für künstliche Intelligenz investieren, teilte das Unternehmen mit.",
    "pl": "Chiński gigant Alibaba zapowiedział, że w ciągu trzech lat zainwestuje w sztuczną inteligencję ponad 50 miliardów dolarów, więcej niż przez ostatnią dekadę.",
    "ru": "Китайская компания Alibaba объявила о планах инвестировать более 50 миллиардов долларов в облачные вычисления и искусственный интеллект в течение трёх лет.",
    "el": "Η κινεζική εταιρεία Alibaba ανακοίνωσε επενδύσεις ύψους 50 δισεκατομμυρίων δολαρίων στην τεχνητή νοημοσύνη τα επόμενα τρία χρόνια.",
    "zh": "阿里巴巴集团周一宣布，未来三年将投入超过三千八百亿元人民币，用于建设云计算和人工智能硬件基础设施，总额超过去十年的总和。",
    "zh-Hant": "阿里巴巴集團週一宣佈，未來三年將投入超過三千八百億元人民幣，用於建設雲端運算和人工智慧硬體基礎設施，總額超過過去十年的總和。",
    "ja": "アリババは月曜日、今後三年間でクラウドと人工知能のインフラに三千八百億元以上を投資すると発表した。これは過去十年間の投資総額を上回る。",
    "ko": "알리바바 그룹은 월요일 향후 3년 동안 클라우드 컴퓨팅과 인공지능 인프라에 3800억 위안 이상을 투자하겠다고 발표했다.",
}

# name, sentence, bytes encoding, declared charset (None: no declaration), expected warning codes
CASES = [
    ("windows-1252-declared", "fr", "cp1252", "windows-1252", []),
    ("iso-8859-1-declared", "fr", "cp1252", "iso-8859-1", []),
    ("iso-8859-2-declared", "pl", "iso-8859-2", "iso-8859-2", []),
    ("windows-1250-declared", "pl", "cp1250", "windows-1250", []),
    ("windows-1251-declared", "ru", "cp1251", "windows-1251", []),
    ("koi8-r-declared", "ru", "koi8-r", "koi8-r", []),
    ("iso-8859-7-declared", "el", "iso-8859-7", "iso-8859-7", []),
    ("gbk-declared", "zh", "gbk", "gbk", []),
    ("gb2312-declared", "zh", "gb2312", "gb2312", []),
    ("gb18030-declared", "zh", "gb18030", "gb18030", []),
    ("big5-declared", "zh-Hant", "big5", "big5", []),
    ("shift-jis-declared", "ja", "shift_jis", "Shift_JIS", []),
    ("euc-jp-declared", "ja", "euc-jp", "euc-jp", []),
    ("euc-kr-declared", "ko", "euc-kr", "euc-kr", []),
    # Declared wrongly or not at all: decoded right and flagged.
    ("utf8-declared-as-latin1", "de", "utf-8", "iso-8859-1", ["charset_mismatch"]),
    ("utf8-declared-as-gbk", "zh", "utf-8", "gbk", ["charset_mismatch"]),
    ("gbk-declared-as-utf8", "zh", "gbk", "utf-8", ["charset_mismatch"]),
    ("gbk-declared-as-latin1", "zh", "gbk", "iso-8859-1", ["charset_mismatch"]),
    ("shift-jis-declared-as-utf8", "ja", "shift_jis", "utf-8", ["charset_mismatch"]),
    ("euc-kr-declared-as-windows-1252", "ko", "euc-kr", "windows-1252", ["charset_mismatch"]),
    ("big5-undeclared", "zh-Hant", "big5", None, ["charset_guessed"]),
    ("gbk-undeclared", "zh", "gbk", None, ["charset_guessed"]),
    ("shift-jis-undeclared", "ja", "shift_jis", None, ["charset_guessed"]),
    ("euc-kr-undeclared", "ko", "euc-kr", None, ["charset_guessed"]),
    ("windows-1252-undeclared", "fr", "cp1252", None, ["charset_guessed"]),
]


def page(sentence, declared):
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">' if declared else ""
    return f"<!DOCTYPE html><html><head>{meta}<title>News</title></head><body><article><p>{sentence}</p></article></body></html>\n"


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = {}
    for name, language, encoding, declared, warnings in CASES:
        sentence = SENTENCES[language]
        path = os.path.join(OUT, name + ".html")
        with open(path, "wb") as f:
            f.write(page(sentence, declared).encode(encoding))
        manifest[name + ".html"] = {"text": sentence, "warnings": warnings, "bytes": encoding, "declared": declared}
    with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
