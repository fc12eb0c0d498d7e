"""What the seeded readers are called and what they write: names, and sentences by strategy."""

from __future__ import annotations

import random
from collections.abc import Sequence

FIRST_NAMES = [
    ("Ana", "ana"), ("José", "jose"), ("María", "maria"), ("Luis", "luis"),
    ("Carmen", "carmen"), ("Jorge", "jorge"), ("Lucía", "lucia"), ("Miguel", "miguel"),
    ("Sofía", "sofia"), ("Diego", "diego"), ("Valeria", "valeria"), ("Andrés", "andres"),
    ("Fernanda", "fernanda"), ("Ricardo", "ricardo"), ("Paola", "paola"), ("Héctor", "hector"),
    ("Gabriela", "gabriela"), ("Raúl", "raul"), ("Ximena", "ximena"), ("Tomás", "tomas"),
    ("Sarah", "sarah"), ("James", "james"), ("Emily", "emily"), ("Michael", "michael"),
    ("Olivia", "olivia"), ("David", "david"), ("Grace", "grace"), ("Daniel", "daniel"),
    ("Hannah", "hannah"), ("Robert", "robert"), ("Priya", "priya"), ("Wei", "wei"),
    ("Amara", "amara"), ("Jonas", "jonas"), ("Inés", "ines"), ("Mateo", "mateo"),
]  # fmt: skip
LAST_NAMES = [
    ("García", "garcia"), ("Hernández", "hernandez"), ("López", "lopez"),
    ("Martínez", "martinez"), ("González", "gonzalez"), ("Pérez", "perez"),
    ("Rodríguez", "rodriguez"), ("Sánchez", "sanchez"), ("Ramírez", "ramirez"),
    ("Flores", "flores"), ("Torres", "torres"), ("Vargas", "vargas"), ("Castillo", "castillo"),
    ("Ortega", "ortega"), ("Núñez", "nunez"), ("Mendoza", "mendoza"), ("Smith", "smith"),
    ("Johnson", "johnson"), ("Brown", "brown"), ("Miller", "miller"), ("Davis", "davis"),
    ("Wilson", "wilson"), ("Anderson", "anderson"), ("Taylor", "taylor"), ("Moore", "moore"),
    ("Clark", "clark"), ("Nguyen", "nguyen"), ("Okafor", "okafor"), ("Schmidt", "schmidt"),
    ("Rossi", "rossi"),
]  # fmt: skip

# Sentences by the strategy they argue for; the keys are the slugs of the
# strategies the site ships with, so a proposal's tags match its text.
THEMES: dict[str, list[str]] = {
    "intelligence-sharing": [
        "Sharing intelligence in real time does more than any soldier could.",
        "Both countries already collect the data; what is missing is trust in sharing it.",
        "A joint intelligence cell, under Mexican command, would respect both sides.",
        "Intercambiar inteligencia no viola la soberanía de nadie.",
    ],
    "joint-investigations": [
        "Joint investigation teams, with prosecutors from both countries, build cases that hold.",
        "The cartels work across the border; the investigations have to as well.",
        "Extraditions only work when the evidence was gathered together from the start.",
    ],
    "police-and-courts": [
        "Without honest local police, every other strategy fails on the ground.",
        "Fund the courts: impunity is what makes trafficking cheap.",
        "Training and decent salaries for police are cheaper than any military operation.",
        "Sin jueces independientes, las detenciones no sirven de nada.",
    ],
    "economic-development": [
        "Young people join the cartels when there is no other job in town.",
        "Invest in the regions the cartels recruit from: schools, roads, credit.",
        "Development is slow, but it is the only strategy that lasts.",
    ],
    "demand-reduction": [
        "As long as the demand is in the United States, the supply will find a way.",
        "Treatment and public health at home would cut the cartels' income at the source.",
        "Washington should spend on addiction what it spends on interdiction.",
    ],
    "precursor-chemicals": [
        "Fentanyl starts with precursor chemicals; control the ports and the shipments.",
        "Track the chemicals from the factories, before they ever reach a lab.",
    ],
    "anti-money-laundering": [
        "Follow the money: freeze the accounts and the cartels lose their reach.",
        "Banks on both sides of the border still move cartel money with few questions.",
        "Seizing assets hurts the bosses more than arresting their soldiers.",
    ],
    "arms-trafficking": [
        "Most of the cartels' weapons come from the north; stopping them is a U.S. duty.",
        "Inspections of southbound traffic would save more lives than raids.",
    ],
    "anti-corruption": [
        "Corruption is the cartels' real protection; start with the officials who help them.",
        "Independent audits of police and customs would change more than new laws.",
        "La corrupción es el verdadero escudo de los cárteles.",
    ],
    "military-action": [
        "Some cartels are armies now, and only a military answer matches them.",
        "Foreign troops would unite Mexicans against them, not against the cartels.",
        "Military operations have been tried for years, and the violence only grew.",
    ],
}
THEME_WEIGHTS = {
    "intelligence-sharing": 9,
    "joint-investigations": 6,
    "police-and-courts": 8,
    "economic-development": 7,
    "demand-reduction": 8,
    "precursor-chemicals": 4,
    "anti-money-laundering": 7,
    "arms-trafficking": 5,
    "anti-corruption": 8,
    "military-action": 3,
}
GENERAL = [
    "Sovereignty is not an obstacle to cooperation; it is its condition.",
    "Any strategy has to be judged by whether violence actually goes down.",
    "We have heard these promises before, from both governments.",
    "The article is right that the relationship is at a turning point.",
    "Cooperation between equals is possible, but it has to be written down and verified.",
    "I live in Sinaloa, and what people here want first is safety.",
    "None of this works without measuring results and publishing them.",
    "Public opinion on both sides matters more than the politicians admit.",
    "La cooperación sí, la intervención no.",
    "It is not one strategy but the combination that counts.",
]
OPENERS = [
    "I agree with you.",
    "Respectfully, I see it differently.",
    "That is a fair point, but",
    "Exactly.",
    "Do you have a source for that?",
    "I used to think so too.",
    "Estoy de acuerdo.",
    "This is the key question.",
    "Not quite.",
]


def comment_body(rng: random.Random, themes: Sequence[str], *, reply: bool) -> str:
    """Sentences about `themes` (or the discussion in general), in short paragraphs."""
    count = 1 + min(int(rng.expovariate(1 / 2.2)), 10)
    if rng.random() < 0.02:
        count = rng.randint(12, 24)  # the occasional essay
    sentences = [rng.choice(OPENERS)] if reply else []
    for _ in range(count):
        bank = THEMES[rng.choice(themes)] if themes and rng.random() < 0.7 else GENERAL
        sentences.append(rng.choice(bank))
    paragraphs = []
    while sentences:
        size = rng.randint(1, 4)
        paragraphs.append(" ".join(sentences[:size]))
        del sentences[:size]
    return "\n\n".join(paragraphs)
