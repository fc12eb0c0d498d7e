"""The name a reader posts under: readable, and never one that passes for the site's own people.

Names are compared by their skeletons, what they look like once compatibility
forms, case, accents and look-alike characters are folded away: "ᴍɑriɑ"
(a small capital M and two Latin alphas) and "maria" have one skeleton.
Look-alikes come from Unicode's own confusables data (UTS #39,
confusables.txt, as shipped by the confusable-homoglyphs package), where each
character belongs to a group of characters drawn alike. A name is refused when
any reading of it (see `readings`) has the skeleton of a staff member's
username or full name, names one of the site's roles in either language, or
comes within one letter of the site's own name.
"""

import functools
import re
import unicodedata

from confusable_homoglyphs import confusables
from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .shared_copies import SharedCopy
from .text import FILLERS, INVISIBLE_MARKS

REQUIRED = _("Please tell us the name to show with your reply.")
INVISIBLE = _(
    "Your name contains invisible or control characters (such as zero-width "
    "spaces or text-direction marks). Please type it again with ordinary "
    "letters."
)
NO_LETTERS = _("Please use a name with at least one letter or digit.")
# The same words whatever the name matched: they must not tell anyone which
# staff account exists.
RESERVED = _(
    "This name could be mistaken for the site's moderators or editors. Please choose another."
)

# Characters a name may not contain: controls (tab and line breaks are only
# spacing, collapsed), format characters (bidirectional overrides and
# isolates, zero-width spaces and joiners, soft hyphens), private-use,
# unassigned and surrogate code points, and what draws nothing (comments.text).
UNWANTED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs"})
INVISIBLE_IN_NAMES = FILLERS | INVISIBLE_MARKS


def clean_name(value: str, *, max_length: int) -> str:
    """The name as it is stored (composed, its spacing collapsed), or a ValidationError."""
    name = unicodedata.normalize("NFC", value)
    if any(c not in "\t\n\r" and _unwanted(c) for c in name):
        # Refused, not removed: the reader sees the name they typed, or none.
        raise forms.ValidationError(INVISIBLE, code="invisible")
    name = " ".join(name.split())
    if not name:
        raise forms.ValidationError(REQUIRED, code="required")
    # Counted as stored: composing can lengthen a name (U+FB2C is three
    # characters once composed), collapsing its spaces shortens it.
    MaxLengthValidator(max_length)(name)
    if not any(c.isalnum() for c in name):
        raise forms.ValidationError(NO_LETTERS, code="no_letters")
    if impersonates_the_site(name) or looks_like_staff(name):
        raise forms.ValidationError(RESERVED, code="reserved")
    return name


def _unwanted(char: str) -> bool:
    return unicodedata.category(char) in UNWANTED_CATEGORIES or char in INVISIBLE_IN_NAMES


# ---------------------------------------------------------------------------------------------
# Skeletons


def _look_alikes(char: str) -> list[str]:
    """The characters (or letter pairs, such as "rn") Unicode lists as drawn like `char`."""
    found = confusables.is_confusable(char, greedy=True)
    return [glyph["c"] for glyph in found[0]["homoglyphs"]] if found else []


def _small_capital(char: str) -> str:
    """The letter a Latin small capital is drawn as ("ᴍ" gives "m"), else ""."""
    name = unicodedata.name(char, "") if len(char) == 1 else ""
    match = re.fullmatch(r"LATIN LETTER SMALL CAPITAL ([A-Z])", name)
    return match[1].lower() if match else ""


# Bounded: names can carry any of Unicode's characters.
@functools.lru_cache(maxsize=8192)
def _stand_in(char: str) -> str:
    """The one character (or pair) that stands for `char` and every character drawn like it.

    Unicode's data pairs each look-alike with its prototype, the character its
    group is drawn like: a character with many look-alikes is a prototype; one
    with a single look-alike is drawn like that one, unless the two are a pair
    on their own, where either stands for both.
    """
    alikes = _look_alikes(char)
    if len(alikes) > 1:
        group = {char, *alikes}
        prototype = char
    elif alikes:
        (other,) = alikes
        others = _look_alikes(other) if len(other) == 1 else []
        group = {char, other, *others}
        prototype = other if len(other) > 1 or len(others) > 1 else min(char, other)
    else:
        group = {char}
        prototype = char
    # Small capitals are drawn as small versions of their letter: a group
    # holding one (ᴍ, with Cyrillic м) and no plain letter reads as that letter.
    letter = next(filter(None, map(_small_capital, sorted(group))), "")
    if letter and not any(c.isascii() and c.isalpha() for c in group):
        return _stand_in(letter)
    return prototype


def _fold(text: str) -> str:
    """Case, accents and invisible characters folded away, and each character's stand-in."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    shown = (c for c in decomposed if not unicodedata.combining(c) and not _unwanted(c))
    return "".join(map(_stand_in, shown))


# Signs and digits written for letters. Unicode's data lists only what is drawn
# alike (1 and l, 0 and O, | and l); these are chosen to be read as letters
# ("m0d3rat0r", "Adm!n"), so they are one of the readings of a name.
LETTERS_WRITTEN_AS_SIGNS = str.maketrans(
    {
        "!": "i", "@": "a", "$": "s", "€": "e",
        "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    }
)  # fmt: skip
WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> tuple[str, ...]:
    """The skeletons of the words of `text`."""
    # Each character as written first (a Greek capital Μ is drawn as M, its
    # small μ as u), then folded until nothing changes: a stand-in can be a
    # capital (0 is drawn as O) or carry an accent.
    folded = _stand_in_each(unicodedata.normalize("NFKC", text))
    for _round in range(4):
        again = _fold(folded)
        if again == folded:
            break
        folded = again
    # Folded to one case, a capital I (drawn as l) and an i are one letter.
    return tuple(WORD.findall(folded.replace("l", "i")))


def _stand_in_each(text: str) -> str:
    return "".join(map(_stand_in, text))


def _without_signs(name: str) -> str:
    # Before compatibility forms are composed: "maria™" is "maria", not "mariaTM".
    return "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in name)


def readings(name: str) -> set[tuple[str, ...]]:
    """The ways `name` can be read, each as the skeletons of its words: as written, its
    signs left out ("Maria!", "maria™"), and its signs and digits read as letters."""
    return {
        _words(name),
        _words(_without_signs(name)),
        _words(name.translate(LETTERS_WRITTEN_AS_SIGNS)),
    }


def name_skeleton(name: str) -> str:
    """What `name` looks like, spacing and punctuation left out ("Mаriа  LÓPEZ" gives the
    skeleton of "marialopez")."""
    return "".join(_words(name))


# ---------------------------------------------------------------------------------------------
# The site's own people

# Words only the site's people may use of themselves, in English and Spanish:
# any of them in a name, alone or among other words, is a claim to a role.
ROLE_WORDS = (
    "moderator", "moderators", "moderation", "mod", "mods",
    "admin", "admins", "administrator", "administrators", "administration",
    "staff", "editor", "editors", "editorial", "official", "webmaster", "sysop",
    "moderador", "moderadora", "moderadores", "moderadoras", "moderación",
    "administrador", "administradora", "administradores", "administradoras", "administración",
    "editora", "editores", "editoras", "redacción", "redactor", "redactora", "oficial",
)  # fmt: skip
# Words that claim a role only when the whole name is made of them ("Team",
# "Site Team", "El equipo"): "Team Rocket" or "Ana Personal" are names.
GROUP_WORDS = (
    "team", "site", "forum", "support", "crew",
    "equipo", "personal", "sitio", "foro", "soporte",
)  # fmt: skip
LINKING_WORDS = ("the", "of", "and", "el", "la", "los", "las", "de", "del", "y")
# The site's name in each language: its skeleton, or one letter off it
# ("Sovereignty Forvm", "Soverignty Forum"), passes for the site.
SITE_NAMES = ("Sovereignty Forum", "Foro Soberanía")


def _skeletons(words) -> frozenset[str]:
    return frozenset(name_skeleton(word) for word in words)


ROLE_SKELETONS = _skeletons(ROLE_WORDS)
GROUP_SKELETONS = _skeletons(GROUP_WORDS)
LINKING_SKELETONS = _skeletons(LINKING_WORDS)
SITE_SKELETONS = _skeletons(SITE_NAMES)
_LONGEST = max(map(len, ROLE_SKELETONS | SITE_SKELETONS)) + 1


def impersonates_the_site(name: str) -> bool:
    """Whether `name`, or a run of its words, names a role or the site
    ("Ana, M.o.d.e.r.a.t.o.r" and "Moderation Team" do; "Badminton fan" does not)."""
    return any(_claims_a_role(words) for words in readings(name))


def _claims_a_role(words: tuple[str, ...]) -> bool:
    # A name made only of group and role words ("Site Team", "El equipo"), or spelled as one.
    claims = ROLE_SKELETONS | GROUP_SKELETONS
    if "".join(words) in claims or (
        any(word in GROUP_SKELETONS for word in words)
        and all(word in claims | LINKING_SKELETONS for word in words)
    ):
        return True
    # A role, or the site's name, as one of its words or a run of them ("M o d", "a.d.m.i.n").
    for start in range(len(words)):
        run = ""
        for word in words[start:]:
            run += word
            if len(run) > _LONGEST:
                break
            if run in ROLE_SKELETONS or any(_within_one_edit(run, site) for site in SITE_SKELETONS):
                return True
    return False


def _within_one_edit(a: str, b: str) -> bool:
    """Whether one letter added, removed or changed turns `a` into `b`."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]
    return True


def looks_like_staff(name: str) -> bool:
    """Whether a reading of `name` has the skeleton of a staff member's username or full name."""
    staff = staff_skeletons()
    return any("".join(words) in staff for words in readings(name))


def staff_skeletons() -> set[str]:
    """The skeletons of the staff's usernames and full names."""
    return set(STAFF_NAMES.get())


def _read_staff_skeletons() -> list[str]:
    staff = get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True)
    names = set()
    for username, first_name, last_name in staff.values_list("username", "first_name", "last_name"):
        names.add(name_skeleton(username))
        names.add(name_skeleton(f"{first_name} {last_name}"))
    names.discard("")
    return sorted(names)


# Read on every post, changed with an account (comments.apps connects forget()).
STAFF_NAMES = SharedCopy("moderation:staff-names", _read_staff_skeletons)
