"""The alias table (institutions and capitals -> country, demonyms, role nouns), as data users can extend."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..settings import RESOURCES_DIR


@dataclass(frozen=True)
class AliasTable:
    alias_to_name: dict[str, str]  # lower-cased alias -> canonical name
    demonyms: dict[str, str]  # lower-cased demonym -> country
    roles: tuple[str, ...]  # longest first
    leader_roles: frozenset[str]

    def canonical(self, phrase: str) -> str | None:
        """The canonical name for an alias or a canonical name itself ("the Kremlin" -> "Russia")."""
        key = phrase.strip().lower()
        if key.startswith("the ") and key not in self.alias_to_name:
            key = key[4:]
        return self.alias_to_name.get(key)

    def alias_in(self, phrase: str) -> str | None:
        """The canonical name of the first alias (longer than three letters) inside a lower-cased phrase
        ("the kremlin press office" -> "Russia")."""
        m = self._alias_pattern.search(phrase)
        return self.alias_to_name[m.group()] if m else None

    def demonym_in(self, phrase: str) -> str | None:
        """The country of the first demonym inside a lower-cased phrase ("a north korean diplomat" ->
        "North Korea")."""
        m = self._demonym_pattern.search(phrase)
        return self.demonyms[m.group()] if m else None

    @cached_property
    def _alias_pattern(self) -> re.Pattern[str]:
        return _alternation([a for a in self.alias_to_name if len(a) > 3])

    @cached_property
    def _demonym_pattern(self) -> re.Pattern[str]:
        return _alternation(list(self.demonyms))


def _alternation(words: list[str]) -> re.Pattern[str]:
    """One pattern for whole-word matches of any of the words, longest first."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def load_aliases(path: str | Path | None = None, extra: dict[str, list[str]] | None = None) -> AliasTable:
    """Read the alias table (the shipped one by default); ``extra`` maps canonical names to more aliases."""
    data = json.loads(Path(path or RESOURCES_DIR / "aliases.json").read_text(encoding="utf-8"))
    groups: dict[str, list[str]] = dict(data["aliases"])
    for name, more in (extra or {}).items():
        groups[name] = list(groups.get(name, [])) + list(more)
    alias_to_name = {}
    for name, aliases in groups.items():
        alias_to_name[name.lower()] = name
        for alias in aliases:
            alias_to_name[alias.lower()] = name
    demonyms = {k.lower(): v for k, v in data["demonyms"].items()}
    roles = tuple(sorted(data["roles"], key=len, reverse=True))
    return AliasTable(alias_to_name, demonyms, roles, frozenset(data["leader_roles"]))
