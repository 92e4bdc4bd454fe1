"""Vietnamese alphabetical order and accent-insensitive matching, in Python.

PostgreSQL does the same with an ICU collation and the unaccent extension; SQLite has neither, so
these functions are registered on every SQLite connection (see apps.py).
"""

import functools
import unicodedata

# Vietnamese letters in dictionary order; Latin letters Vietnamese does not use sit where English puts them.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
# Tones are a secondary difference: they only break ties between otherwise equal words.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letter_and_tone(char):
    decomposed = unicodedata.normalize("NFD", char)
    tone = max((_TONE_RANK.get(mark, 0) for mark in decomposed), default=0)
    letter = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in _TONE_RANK))
    return letter, tone


def _weight(letter):
    if letter in _LETTER_RANK:
        return 2, _LETTER_RANK[letter]
    return (1 if letter.isdigit() else 0), ord(letter[0]) if letter else 0


# SQLite calls the collation for every comparison of a sort: the same names over and over.
@functools.lru_cache(maxsize=65536)
def sort_key(text):
    """A key that orders words as a Vietnamese dictionary does: Â after A, Đ after D, tones last."""
    text = text or ""
    letters = [_letter_and_tone(char) for char in unicodedata.normalize("NFC", text.lower())]
    return tuple(_weight(letter) for letter, _ in letters), tuple(tone for _, tone in letters), text


def compare(left, right):
    """cmp-style comparison, as SQLite's create_collation wants."""
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def fold(text):
    """Lower-case, accent-free form used for searching: "Tiên Động" -> "tien dong"."""
    if text is None:
        return None
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()
