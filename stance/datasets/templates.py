"""Template sentences that add volume to MeetStance's train split only (never validation or test).

Each pattern is a reporting form with slots for the speaker, the counterpart and, for conditional
patterns, a condition; the generator is seeded, so the same examples come out every time.
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from typing import Any

PARTIES: dict[str, list[tuple[str, str]]] = {
    "russia_ukraine": [("Russia", "Ukraine"), ("Ukraine", "Russia"), ("Vladimir Putin", "Volodymyr Zelensky")],
    "middle_east": [("Israel", "Hamas"), ("Hamas", "Israel"), ("Lebanon", "Israel"), ("the Palestinian Authority", "Israel")],
    "us_china": [("United States", "China"), ("China", "United States"), ("Xi Jinping", "the US president")],
    "us_iran": [("Iran", "United States"), ("United States", "Iran"), ("Abbas Araghchi", "Washington")],
    "koreas": [("North Korea", "South Korea"), ("South Korea", "North Korea"), ("Kim Jong Un", "Seoul")],
    "india_pakistan": [("India", "Pakistan"), ("Pakistan", "India")],
    "balkans": [("Serbia", "Kosovo"), ("Kosovo", "Serbia")],
    "africa": [("the Sudanese army", "the Rapid Support Forces"), ("Ethiopia", "the Tigrayan leadership"),
               ("the M23 rebels", "Kinshasa")],
    "latam_dialogue": [("the Venezuelan government", "the opposition"), ("the opposition", "the government")],
    "labour": [("the union", "management"), ("the company", "the union"), ("the nurses' union", "the health board")],
    "takeover": [("the board", "the bidder"), ("the bidder", "the board"), ("shareholders", "the buyer")],
    "city_protest": [("the mayor", "the protesters"), ("the protest organisers", "city hall")],
    "eu_uk": [("Brussels", "London"), ("the UK", "the EU")],
}
MEETING = ["talks", "negotiations", "a meeting", "direct talks", "a summit", "dialogue", "a new round of talks",
           "face-to-face talks", "a sit-down", "peace talks", "a meeting at the highest level"]
CONDITIONS = ["the shelling stops", "a ceasefire is in place", "all prisoners are released", "the troops withdraw",
              "the sanctions are lifted", "the strike is called off", "the offer is raised", "the blockade ends",
              "the other side drops its preconditions", "the talks are held on neutral ground",
              "the agenda is agreed in advance", "hostages are freed first", "the tariffs are suspended"]
# past events that date a stance act; "rejected a settlement after the ceasefire broke down" is still rejecting
# (label guide: time clauses)
EVENTS = ["the ceasefire broke down in {Y}", "forces withdrew from the capital in {Y}", "the first round collapsed",
          "the deadline passed in {Y}", "the strike began in {Y}", "the troops pulled back in {Y}",
          "the election in {Y}", "the border clashes of {Y}", "the mediators left in {Y}"]
PATTERNS: dict[str, list[str]] = {
    "willing": [
        "said {S} was ready to hold {M} with {T}", "{S} is open to {M} with {T} at any time",
        "has repeatedly expressed willingness to hold {M} with {T}", "called for {M} with {T} to begin without delay",
        "said {S} had never ruled out {M} with {T}", "We are prepared to sit down with {T} tomorrow",
        "invited {T} to {M} next month", "said it would welcome {M} with {T}", "Our door remains open to {T}",
        "offered to host {M} between the two sides", "did not reject the idea of {M} with {T}",
        "signalled readiness to resume {M} with {T}", "urged {T} to return to the negotiating table",
        "We want {M}, and we want them soon", "agreed to {M} with {T} later this week",
        "offered {T} a negotiated settlement after {E}", "has repeatedly proposed a peaceful solution after {E}",
    ],
    "rejecting": [
        "ruled out {M} with {T}", "said there was no point in {M} with {T}", "rejected an invitation to {M} with {T}",
        "We will not sit down with {T}", "said the time was not right for {M} with {T}",
        "dismissed the proposal for {M} with {T} as a stunt", "declined to take part in {M} with {T}",
        "There is nothing to discuss with {T}", "walked out of {M} with {T} on Tuesday",
        "denied that any agreement on {M} with {T} had been reached", "We have no intention of meeting {T}",
        "refused to meet {T}", "said {S} would never negotiate with {T}", "left the offer of {M} from {T} unanswered",
        "rejected peace with {T} after {E}", "turned down a settlement with {T} after {E}",
        "broke off {M} with {T} after {E}",
    ],
    "conditional": [
        "said {S} would only agree to {M} with {T} if {C}", "We will talk to {T} once {C}",
        "ruled out {M} with {T} until {C}", "said {M} could resume provided that {C}",
        "set the condition that {C} before any {M} with {T}", "There will be no {M} with {T} unless {C}",
        "is ready for {M} with {T} as long as {C}", "demanded that {C} as a precondition for {M}",
        "said {M} with {T} were possible on condition that {C}", "If {C}, we are ready to meet {T}",
    ],
    "none": [
        "said the two sides had met in {Y}", "said {S} had held {M} with {T} in {Y}",
        "said the economy grew faster than expected", "rejected the report as inaccurate",
        "We condemn the attack in the strongest terms", "noted that {M} with {T} took place last year",
        "said the weather had delayed the delegation's flight", "said {S} would announce its budget next week",
        "The last meeting with {T} was in {Y}", "dismissed the criticism of its spending plans",
        "said prices would keep rising this winter", "refused to comment on the election result",
        "said the two sides had last met after {E}", "rejected the casualty figures published after {E}",
    ],
}


def generate(exclude_domains: Iterable[str], per_pattern: int = 12, seed: int = 13) -> Iterator[dict[str, Any]]:
    """Template examples (as keyword arguments for an example row) for every domain not excluded."""
    rng = random.Random(seed)
    domains = [d for d in sorted(PARTIES) if d not in set(exclude_domains)]
    n = 0
    for label, patterns in PATTERNS.items():
        for pattern in patterns:
            for _ in range(per_pattern):
                domain = rng.choice(domains)
                speaker, target = rng.choice(PARTIES[domain])
                cond = rng.choice(CONDITIONS)
                year = rng.choice(["2019", "2021", "March"])
                text = pattern.format(S=speaker if not pattern.startswith("{S}") else speaker[0].upper() + speaker[1:],
                                      T=target, M=rng.choice(MEETING), C=cond, Y=year,
                                      E=rng.choice(EVENTS).format(Y=year) if "{E}" in pattern else "")
                condition = None
                if label == "conditional":
                    at = text.index(cond)
                    condition = (at, at + len(cond))
                n += 1
                yield {"id_": f"template-{n:04d}", "text": text, "speaker": speaker, "target": target,
                       "label": label, "condition": condition, "domain": domain, "source": "template", "kind": ""}
