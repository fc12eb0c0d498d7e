"""What seeded readers think of the proposals: opinion by strategy and by language group.

Real opinion on the article's question is not uniform noise around the middle
of the scale: some strategies are favoured on both sides of the border, some
are disliked on both, and some divide the two: Spanish readers rate U.S.
military action far lower on sovereignty than English readers do, and rate
"reduce demand in the United States" and "stop the guns going south" higher
on whether they would work. Each proposal's mean answers for a group are its
strategies' means for that group, moved by how it would act across the border
and by the proposal's own quality (one draw shared by both groups); each
rating is a draw around those means, by a rater whose language group is fixed
by who they are.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

# Strategy: {language: (mean "would it work", mean "respects sovereignty")}.
OPINIONS: dict[str, dict[str, tuple[float, float]]] = {
    "intelligence-sharing": {"en": (4.1, 4.2), "es": (3.9, 4.0)},
    "joint-investigations": {"en": (4.0, 4.1), "es": (4.0, 4.2)},
    "anti-money-laundering": {"en": (4.2, 4.3), "es": (3.8, 4.1)},
    "anti-corruption": {"en": (3.6, 4.3), "es": (4.1, 4.4)},
    "demand-reduction": {"en": (3.0, 4.6), "es": (4.2, 4.7)},
    "arms-trafficking": {"en": (3.1, 4.2), "es": (4.4, 4.5)},
    "economic-development": {"en": (2.8, 4.5), "es": (3.6, 4.6)},
    "precursor-chemicals": {"en": (3.7, 3.9), "es": (3.4, 3.5)},
    "police-and-courts": {"en": (2.4, 4.0), "es": (2.2, 4.2)},
    "military-action": {"en": (3.6, 3.4), "es": (1.9, 1.3)},
}
NEUTRAL = {"en": (3.0, 3.5), "es": (3.0, 3.5)}
# How acting across the border moves "respects sovereignty", by language.
MODE_RESPECTS = {
    "domestic": {"en": 0.2, "es": 0.3},
    "bilateral": {"en": 0.0, "es": 0.0},
    "multilateral": {"en": 0.0, "es": -0.1},
    "unilateral": {"en": -0.8, "es": -1.8},
    "": {"en": 0.0, "es": 0.0},
}
# How far one reader's answer strays from the group's mean.
SPREAD = 0.9


def reader_language(reader: int) -> str:
    """The language reader `reader` reads the site in: a little over half read in Spanish."""
    return "es" if reader % 20 < 11 else "en"


def proposal_ratings(
    rng: random.Random, themes: Sequence[str], mode: str, readers: Sequence[int]
) -> list[tuple[int, int, int, str]]:
    """One rating (reader, works, respects, language) by each of `readers` of one proposal."""
    quality = rng.gauss(0, 0.4), rng.gauss(0, 0.3)
    means = {}
    for language in ("en", "es"):
        opinions = [OPINIONS.get(theme, NEUTRAL)[language] for theme in themes] or [
            NEUTRAL[language]
        ]
        works = sum(works for works, _respects in opinions) / len(opinions) + quality[0]
        respects = (
            sum(respects for _works, respects in opinions) / len(opinions)
            + MODE_RESPECTS[mode][language]
            + quality[1]
        )
        means[language] = works, respects

    def answer(mean: float) -> int:
        return max(1, min(5, round(rng.gauss(mean, SPREAD))))

    ratings = []
    for reader in readers:
        language = reader_language(reader)
        works, respects = means[language]
        ratings.append((reader, answer(works), answer(respects), language))
    return ratings
