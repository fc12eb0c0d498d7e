"""What in a reader's text draws nothing on the page.

A reply or a name made only of such characters is empty to every reader,
however many characters it has. Unicode classes most of them by category:
format characters (Cf: zero-width spaces and joiners, the word joiner, the
byte-order mark, the bidirectional embeddings, overrides and isolates such
as U+202E, the Mongolian vowel separator U+180E, invisible operators, tags),
controls (Cc), spaces and separators (Zs, Zl, Zp), and marks (Mn, Me), which
draw only on a letter before them: the combining grapheme joiner U+034F, the
variation selectors, the Mongolian free variation selectors, Khmer's inherent
vowels. What the categories miss is listed in FILLERS.
"""

import unicodedata

DRAWING_NOTHING = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn", "Me"})

# Characters Unicode classes as letters or symbols that still draw nothing:
# the Hangul fillers, which are letters (Lo) that stand for an empty part of
# a syllable, and the Braille pattern blank (So), a cell with no dots. The
# Hangul fillers are Default_Ignorable_Code_Point in Unicode's
# DerivedCoreProperties.txt; the Braille blank is the usual "invisible"
# character of spam and empty names.
FILLERS = frozenset(
    {
        "\u115f",  # HANGUL CHOSEONG FILLER
        "\u1160",  # HANGUL JUNGSEONG FILLER
        "\u3164",  # HANGUL FILLER
        "\uffa0",  # HALFWIDTH HANGUL FILLER
        "\u2800",  # BRAILLE PATTERN BLANK
    }
)

# Marks that draw nothing even on a letter: in a name they can only hide
# something (Unicode's Default_Ignorable_Code_Point marks).
INVISIBLE_MARKS = frozenset(
    {
        "\u034f",  # COMBINING GRAPHEME JOINER
        "\u17b4",  # KHMER VOWEL INHERENT AQ
        "\u17b5",  # KHMER VOWEL INHERENT AA
        "\u180b",  # MONGOLIAN FREE VARIATION SELECTOR ONE
        "\u180c",  # MONGOLIAN FREE VARIATION SELECTOR TWO
        "\u180d",  # MONGOLIAN FREE VARIATION SELECTOR THREE
        "\u180f",  # MONGOLIAN FREE VARIATION SELECTOR FOUR
        "\U00016fe4",  # KHITAN SMALL SCRIPT FILLER
    }
)


def draws_nothing(char: str) -> bool:
    return char in FILLERS or unicodedata.category(char) in DRAWING_NOTHING


def is_blank(text: str) -> bool:
    """Whether `text` shows a reader nothing at all (an empty text is blank too)."""
    return all(draws_nothing(char) for char in text)
