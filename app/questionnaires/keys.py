"""Keys made from a question's (or a section's) text, so nobody has to invent one.

Cyrillic is written in Latin letters by the passport standard (the приказ МВД table for
foreign passports, after ICAO Doc 9303): it needs no apostrophes or
diacritics, so every result is a valid key, and it is the spelling people meet in their own
documents (щ → shch, ю → iu, я → ia, х → kh, ц → ts). Two departures, both for keys only:
ъ is dropped like ь (the standard's "ie" reads as noise in a key), and the Sakha letters, which
the standard does not cover, are written as the district asked: ҕ → gh, ҥ → ng, ө → o,
һ → h, ү → u. A table of 38 letters is used rather than a library (transliterate, Unidecode,
python-slugify): each of those follows its own system for Russian, none promises the Sakha
letters above, and the table here is at once the rule and its documentation.
"""

import re

from app.questionnaires.cleaning import MAX_KEY_LENGTH

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
    # Sakha
    "ҕ": "gh", "ҥ": "ng", "ө": "o", "һ": "h", "ү": "u",
}  # fmt: skip

# A generated key stops at a word boundary near this length: long enough to say what the
# question is, short enough to read in a formula.
WORDS_LENGTH = 32


def rules(taken: set[str]) -> dict:
    """What the builder's page needs to show, as the text is typed, the key saving will make."""
    return {
        "letters": CYRILLIC,
        "length": WORDS_LENGTH,
        "max": MAX_KEY_LENGTH,
        "taken": sorted(taken),
    }


def transliterate(text: str) -> str:
    return "".join(CYRILLIC.get(letter, letter) for letter in text.lower())


def key_from_text(text: str, fallback: str = "q") -> str:
    """A key from a title: its words in Latin letters joined by "_", a letter first.

    "Число учащихся 1–4 классов" → "chislo_uchashchikhsia_1_4".
    """
    words = re.findall(r"[a-z0-9]+", transliterate(text or ""))
    key = ""
    for word in words:
        longer = f"{key}_{word}" if key else word
        if len(longer) > WORDS_LENGTH and key:
            break
        key = longer[:WORDS_LENGTH]
    if not key:
        return fallback
    return key if key[0].isalpha() else f"{fallback}_{key}"


def unique_key(base: str, taken: set[str]) -> str:
    """``base`` or ``base_2``, ``base_3``… whichever is not taken, at most MAX_KEY_LENGTH long."""
    base = base[:MAX_KEY_LENGTH]
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"_{number}"
        key = base[: MAX_KEY_LENGTH - len(suffix)] + suffix
        if key not in taken:
            return key
        number += 1
