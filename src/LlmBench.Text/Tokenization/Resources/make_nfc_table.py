"""Writes unicode-nfc.txt: the canonical decompositions, composition exclusions and combining classes that NFC
needs. .NET's string.Normalize does nothing under InvariantGlobalization (the product runs without ICU), so the
tokenizer carries this table. Usage: python3 make_nfc_table.py > unicode-nfc.txt && gzip -9n unicode-nfc.txt"""
import sys
import unicodedata

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3  # composed algorithmically, not listed


def main():
    out = sys.stdout
    out.write(f"# NFC data, Unicode {unicodedata.unidata_version}, from Python {sys.version.split()[0]}'s unicodedata.\n")
    out.write("# D cp d1 [d2] [x]: canonical decomposition (one level); x: not recomposed (exclusion or singleton).\n")
    out.write("# C ccc first [last]: canonical combining class of a range. All numbers hex except ccc.\n")
    for cp in range(0x110000):
        if HANGUL_FIRST <= cp <= HANGUL_LAST or 0xD800 <= cp <= 0xDFFF:
            continue
        d = unicodedata.decomposition(chr(cp))
        if not d or d.startswith("<"):
            continue
        parts = [f"{int(x, 16):X}" for x in d.split()]
        excluded = unicodedata.normalize("NFC", chr(cp)) != chr(cp)
        out.write("D " + f"{cp:X} " + " ".join(parts) + (" x" if excluded else "") + "\n")
    start, cls = None, 0
    for cp in range(0x110001):
        c = unicodedata.combining(chr(cp)) if cp < 0x110000 else 0
        if start is not None and c != cls:
            out.write(f"C {cls} {start:X}" + (f" {cp - 1:X}" if cp - 1 != start else "") + "\n")
            start = None
        if c and start is None:
            start, cls = cp, c


main()
