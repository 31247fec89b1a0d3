"""Name matching keys for person search: typo-tolerant, phonetic, and previous-name aware.

Pure functions. Search stores, for every name a person has had, a small set of keys:

* the normalised name (lower case, accents and punctuation removed);
* its Double Metaphone-style phonetic code (``jellyfish.metaphone``), so Smyth finds Smith;
* every single-character deletion of the normalised name, so a query with one typo
  (a wrong, missing, extra or swapped letter) shares a key with the stored name
  (the symmetric-delete method of SymSpell).

A query produces the same kinds of key; any shared key makes a candidate, and candidates are
ranked by string similarity. Equality lookups on an indexed key column work the same on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import jellyfish

_NOT_LETTERS = re.compile(r"[^a-z]")

EXACT = "n"
PHONETIC = "p"
DELETION = "d"

# Names shorter than this get no deletion keys: "li" minus a letter matches far too much.
MIN_LENGTH_FOR_DELETIONS = 4


@functools.lru_cache(maxsize=100_000)
def normalise(name: str) -> str:
    """``O'Brien-Smith`` -> ``obriensmith``; ``Zoë`` -> ``zoe``."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    return _NOT_LETTERS.sub("", ascii_only.lower())


def phonetic(name: str) -> str:
    n = normalise(name)
    return jellyfish.metaphone(n) if n else ""


def deletions(n: str) -> set[str]:
    if len(n) < MIN_LENGTH_FOR_DELETIONS:
        return set()
    return {n[:i] + n[i + 1 :] for i in range(len(n))}


def keys(name: str) -> set[str]:
    """All search keys for one name part, each prefixed by its kind."""
    n = normalise(name)
    if not n:
        return set()
    out = {f"{EXACT}:{n}", f"{DELETION}:{n}"}
    p = phonetic(n)
    if p:
        out.add(f"{PHONETIC}:{p}")
    out.update(f"{DELETION}:{d}" for d in deletions(n))
    return out


def query_keys(name: str) -> set[str]:
    """Keys to look up for a typed name; the same construction as :func:`keys`."""
    return keys(name)


def similarity(a: str, b: str) -> float:
    """0..1 similarity of two names after normalisation (Jaro-Winkler)."""
    return similarity_normalised(normalise(a), normalise(b))


def similarity_normalised(na: str, nb: str) -> float:
    """:func:`similarity` for names already passed through :func:`normalise`."""
    if not na or not nb:
        return 0.0
    return jellyfish.jaro_winkler_similarity(na, nb)


def score(query_given: str, query_family: str, given: str, family: str) -> float:
    """How well a stored name matches a typed one, 0..1; all four already normalised.

    Family name weighs 0.6 and given name 0.4; a typed initial ("J Smith") matches any given
    name starting with it; with no given name typed, the family name decides alone.
    """
    family_score = similarity_normalised(query_family, family)
    if not query_given:
        return family_score
    if len(query_given) == 1 and given.startswith(query_given):
        given_score = 0.95
    else:
        given_score = similarity_normalised(query_given, given)
    return 0.6 * family_score + 0.4 * given_score


def split_query(text: str) -> tuple[str, str]:
    """Split ``"Jane Smith"`` or ``"Smith, Jane"`` into (given, family); one word is a family."""
    text = (text or "").strip()
    if "," in text:
        family, _, given = text.partition(",")
        return given.strip(), family.strip()
    parts = text.split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return "", parts[0]
    return " ".join(parts[:-1]), parts[-1]
