"""Attribution-dense wire copy of a given size, made up from word lists with a fixed seed:
every paragraph quotes a different made-up person or institution, so no speaker phrase
repeats the way one story's paragraph copied many times would."""

from __future__ import annotations

import random


def _words(text: str) -> list[str]:
    return text.split()


GIVEN = _words("Ana Kofi Lena Tomas Mara Jo Hana Chidi Rosa Ilse Omar Piet Eva Ray Dana Lars")
FAMILY = _words(
    "Mensah Kato Holm Ruel Lind Pell Okafor Vail Brandt Aziz Smit Lund Dunn Ross Holt Costa "
    "Reis Berg Sousa Idris Kaya Barrow Marsh Brill Ek Sato"
)
POSTS = _words("analyst lecturer spokeswoman director economist engineer farmer adviser")
ORGS = [
    "Harbour Board",
    "Grain Council",
    "Rail Authority",
    "Water Agency",
    "Tarn University",
    "Port Union",
]
TOWNS = _words("Tema Northfield Vienna Osaka Lagos Tete Riga Astana")
VERBS = ["said", "added", "warned", "sighed", "told reporters", "insisted", "wrote"]
LINES = [
    '"{q}," {verb} {name}, {art} {post} at the {town} {org}.',
    '{title} {name} said the {town} {org} had asked for help. "{q}," {pron} said.',
    '"{q}," the {town} {org} said in a statement, according to {name}.',
    '{name}, {art} {post} in {town}, said the plan was "{q2}".',
]
QUOTES = [
    "The harbour will not reopen before spring",
    "We need the money now and we need it in cash",
    "Nobody told us the line would close for a month",
    "This is the worst season our members have seen",
]


def dense_copy(size: int, *, seed: int = 7) -> str:
    """About ``size`` characters of wire copy: a headline, then one attributed paragraph per
    line, each naming a fresh speaker."""
    rng = random.Random(seed)
    out = ["Ports and farms brace for a long closure"]
    total = len(out[0])
    while total < size:
        post = rng.choice(POSTS)
        line = rng.choice(LINES).format(
            q=rng.choice(QUOTES),
            q2=rng.choice(QUOTES).lower(),
            verb=rng.choice(VERBS),
            name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}{rng.randrange(1000)}",
            art="an" if post[0] in "aeiou" else "a",
            post=post,
            title=rng.choice(["Deputy Mayor", "Minister", "Professor", "Governor"]),
            town=rng.choice(TOWNS),
            org=rng.choice(ORGS),
            pron=rng.choice(["he", "she"]),
        )
        out.append(line)
        total += len(line) + 1
    return "\n".join(out)
