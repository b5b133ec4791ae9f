"""Names as Kazakhstan writes them: one search key for every spelling of a name.

Джанбулатов, Жанбулат, Жанбулатов, Жанболат, Zhanbulatov and Janbulatov must meet.
`search_key` turns any spelling into one Latin key: NFC, lower case, Latin ə to ә,
Kazakh letters folded to their Russian look-alikes (ә→а, ө→о, ү/ұ→у, қ→к, ң→н, ғ→г,
һ→х, і→и), transliterated to Latin, Latin digraphs folded (dzh/j→zh, kh/h→h, ...),
and surname/patronymic suffixes aligned (-ов/-ев/-ова/-ева, -ұлы/-қызы, -ович/-овна
dropped) so trigram similarity compares the stems. Pure functions, no ORM.
"""

import re
import unicodedata

KAZAKH_FOLD = str.maketrans(
    {
        "ә": "а",
        "ө": "о",
        "ү": "у",
        "ұ": "у",
        "қ": "к",
        "ң": "н",
        "ғ": "г",
        "һ": "х",
        "і": "и",
        "ё": "е",
    }
)
LATIN_SCHWA = str.maketrans({"ə": "ә", "Ə": "Ә"})

CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip

# Passport-style Latin spellings that mean the same sound, folded to one spelling.
LATIN_FOLDS = [
    ("dzh", "zh"), ("dj", "zh"), ("j", "zh"), ("kh", "h"), ("x", "h"), ("q", "k"),
    ("yu", "iu"), ("ya", "ia"), ("yo", "e"), ("ye", "e"), ("w", "u"), ("y", "i"),
    ("zhzh", "zh"),
]  # fmt: skip

# Suffixes dropped from the end of a surname or patronymic, longest first. A 1996
# decree lets Kazakhs drop -ов/-ев and use -ұлы/-қызы; passports spell both.
# (in their folded Latin spelling: -ұлы is "uli", -қызы is "kizi")
SUFFIXES = ["ovna", "evna", "ovich", "evich", "kizi", "uli", "ova", "eva", "ov", "ev"]
MIN_STEM = 3

_NOT_LETTERS = re.compile(r"[^a-z ]+")


def fold_cyrillic(text: str) -> str:
    """NFC, lower case, Kazakh letters to their Russian look-alikes."""
    text = unicodedata.normalize("NFC", text).translate(LATIN_SCHWA).lower()
    return text.translate(KAZAKH_FOLD)


def to_latin(text: str) -> str:
    """Transliterate folded Cyrillic to plain Latin; Latin letters pass through."""
    latin = "".join(CYRILLIC_TO_LATIN.get(ch, ch) for ch in fold_cyrillic(text))
    latin = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    return latin


def _fold_latin(word: str) -> str:
    for old, new in LATIN_FOLDS:
        word = word.replace(old, new)
    return word


def _stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def search_key(*parts: str) -> str:
    """One comparable key for a name in any script and spelling ("" for no name)."""
    words = []
    for part in parts:
        for word in _NOT_LETTERS.sub(" ", to_latin(part or "")).split():
            words.append(_stem(_fold_latin(word)))
    return " ".join(word for word in words if word)


def transliterate(name: str) -> str:
    """A readable Latin spelling for the record (the passport may differ; editable)."""
    text = unicodedata.normalize("NFC", name or "").translate(LATIN_SCHWA)
    out = []
    for ch in text:
        lower = ch.lower()
        latin = CYRILLIC_TO_LATIN.get(lower.translate(KAZAKH_FOLD))
        if latin is None:
            out.append(ch)
            continue
        out.append(latin.capitalize() if ch != lower and latin else latin)
    return "".join(out)
