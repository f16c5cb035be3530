"""Telling what bytes that are not UTF-8 are, with the standard library's codecs.

Used only for a file that does not decode as UTF-8, to say what it is:

- damaged UTF-8 (``is_damaged_utf8``): nearly all of its non-ASCII bytes form valid
  UTF-8 sequences, and a few do not (a multi-byte character cut short). Bytes of another
  encoding form valid UTF-8 sequences only by accident, a small share of them;
- UTF-32 and UTF-16 without a byte-order mark, told by where their NUL bytes are;
- a legacy encoding (``guess_legacy``): the bytes are decoded strictly with each
  candidate codec (GB18030, Big5, Shift-JIS, EUC-JP, EUC-KR, Windows-1252), and each text
  that decodes gets a plausibility score, the share of its non-ASCII characters that its
  language would use: for Chinese the most frequent characters (bytes decoded with the
  wrong one of GB18030 and Big5 give rare ones), for Japanese hiragana and katakana
  (which every sentence has), for Korean Hangul syllables without Han characters, for
  Windows-1252 accented letters and typographic punctuation, one to three between ASCII
  letters (the bytes of a CJK text read so give long runs of symbols). The best plausible
  score names the encoding; a text too short to score (a title of two characters) is
  named by the first codec whose decoding is all of its scripts.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# The patterns below are sources, compiled by ``re`` on first use (and kept in its cache):
# most runs meet no file that needs them.

_UTF8_SEQUENCE = (
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTES = rb"[\x80-\xff]+"
DAMAGED_SHARE = 0.8  # of the non-ASCII bytes in valid UTF-8 sequences

# The most frequent characters of Chinese text, in simplified and traditional forms.
_FREQUENT_HAN = frozenset(
    "的一是不了人我在有他这這为為之大来來以个個中上们們到说說国國和地也子时時道出而要于於"
    "就下得可你年生自会會那后後能对對着著事其里裡所去行过過家十用发發天如然作方成者多日都"
    "三小军軍二无無同么麼经經法当當起与與好看学學进進种種将將还還分此心前面又定见見只主没"
    "沒公从從新业業动動现現部制度产產全机機实實问問关關政府市场場开開"
)
_KANA = "[\u3041-\u30ff]"
_HANGUL = "[\uac00-\ud7a3]"
_HAN = "[\u4e00-\u9fff]"
_CJK_PUNCTUATION = "\u3000-\u303f\uff00-\uffef"
_WESTERN = "[\u00a0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u2026\u20ac]"
_NON_ASCII_RUN = "[^\x00-\x7f]+"
PLAUSIBLE = 0.5  # the lowest score that names an encoding


class Guess(NamedTuple):
    """A legacy encoding: how messages name it, and the name ``iconv -f`` takes."""

    name: str
    iconv: str


_CANDIDATES = (
    ("gb18030", Guess("GB18030/GBK (Chinese)", "GB18030")),
    ("big5", Guess("Big5 (traditional Chinese)", "BIG5")),
    ("cp932", Guess("Shift-JIS (Japanese)", "SHIFT_JIS")),
    ("euc_jp", Guess("EUC-JP (Japanese)", "EUC-JP")),
    ("euc_kr", Guess("EUC-KR (Korean)", "EUC-KR")),
    ("cp1252", Guess("Windows-1252 or Latin-1 (Western European)", "WINDOWS-1252")),
)


_SCRIPTS = {
    "gb18030": f"[\u4e00-\u9fff{_CJK_PUNCTUATION}]",
    "big5": f"[\u4e00-\u9fff{_CJK_PUNCTUATION}]",
    "cp932": f"[\u3041-\u30ff\u4e00-\u9fff{_CJK_PUNCTUATION}]",
    "euc_jp": f"[\u3041-\u30ff\u4e00-\u9fff{_CJK_PUNCTUATION}]",
    "euc_kr": f"[\uac00-\ud7a3{_CJK_PUNCTUATION}]",
    "cp1252": _WESTERN,
}


def is_damaged_utf8(data: bytes) -> bool:
    """Whether ``data`` (not valid UTF-8) is UTF-8 with a few damaged sequences."""
    high = sum(len(run) for run in re.findall(_HIGH_BYTES, data))
    valid = sum(len(sequence) for sequence in re.findall(_UTF8_SEQUENCE, data))
    return valid > 0 and valid >= DAMAGED_SHARE * high


def _score(codec: str, text: str) -> float:
    """How plausible ``text`` is as the decoding of bytes in ``codec``: about 1 for text
    of the codec's language, near 0 for bytes of another encoding."""
    high = len(text) - len(text.encode("ascii", "ignore"))
    if not high:
        return 0.0
    if codec in ("gb18030", "big5"):
        return min(1.0, 2.5 * sum(char in _FREQUENT_HAN for char in text) / high)
    if codec in ("cp932", "euc_jp"):
        return min(1.0, 2 * len(re.findall(_KANA, text)) / high)
    if codec == "euc_kr":  # Korean text has Hangul and hardly any Han characters
        return max(0.0, (len(re.findall(_HANGUL, text)) - 2 * len(re.findall(_HAN, text))) / high)
    short = sum(len(run) for run in re.findall(_NON_ASCII_RUN, text) if len(run) <= 3)
    return len(re.findall(_WESTERN, text)) / high if short >= 0.6 * high else 0.0


def _in_script(codec: str, text: str) -> bool:
    """Whether nearly all non-ASCII characters of ``text`` are of the codec's scripts
    (for texts too short to score: a title of two characters)."""
    high = len(text) - len(text.encode("ascii", "ignore"))
    script = _SCRIPTS[codec]
    return high > 0 and len(re.findall(script, text)) >= 0.9 * high


def guess_legacy(data: bytes) -> Guess | None:
    """The most plausible legacy encoding of ``data``, or None when none is plausible.
    When no score is plausible (a short text), the first candidate whose decoding is all
    in its scripts."""
    best, best_score = None, PLAUSIBLE
    fallback = None
    for codec, guess in _CANDIDATES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _score(codec, text)
        if score > best_score:
            best, best_score = guess, score
        if fallback is None and _in_script(codec, text):
            fallback = guess
    return best or fallback


def utf16_without_bom(data: bytes) -> str | None:
    """ "UTF-16-LE"/"UTF-16-BE" when the NUL bytes say so: nearly all at odd (LE) or even
    (BE) offsets and the bytes decode to printable text; otherwise None."""
    head = data[:8192]
    head = head[: len(head) // 2 * 2]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd + even < max(4, len(head) // 8):
        return None
    encoding = "utf-16-le" if odd > 9 * even else "utf-16-be" if even > 9 * odd else None
    return encoding.upper() if encoding is not None and _printable(head, encoding) else None


def utf32_without_bom(data: bytes) -> str | None:
    """ "UTF-32-LE"/"UTF-32-BE" when every four bytes hold at least two NULs at the same
    places (text below U+10000 has its highest byte NUL) and decode to printable text."""
    head = data[:8192]
    head = head[: len(head) // 4 * 4]
    if len(head) < 8:
        return None
    quarters = [head[index::4].count(0) for index in range(4)]
    whole = len(head) // 4
    if quarters[3] == whole and quarters[2] >= 0.9 * whole:
        encoding = "utf-32-le"
    elif quarters[0] == whole and quarters[1] >= 0.9 * whole:
        encoding = "utf-32-be"
    else:
        return None
    return encoding.upper() if _printable(head, encoding) else None


def _printable(head: bytes, encoding: str) -> bool:
    try:
        text = head.decode(encoding)
    except UnicodeDecodeError:
        return False
    controls = sum(1 for char in text if char < " " and char not in "\t\r\n")
    return controls <= len(text) // 100
