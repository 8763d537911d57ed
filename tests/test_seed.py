"""The seed article must come out right with the default model (read from ../shared when present)."""
import pytest

import stance
from stance.settings import SEED_ARTICLE

pytestmark = pytest.mark.skipif(not SEED_ARTICLE.is_file(), reason="seed article not present (../shared)")


@pytest.fixture(scope="module")
def seed():
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    return text, stance.load()(text, id="seed").statements


def find(statements, fragment):
    found = [s for s in statements if fragment in s.text]
    assert found, f"no statement contains {fragment!r}"
    return found[0]


@pytest.mark.parametrize("fragment,speaker,stance_,target,reported_by", [
    ("If Zelensky is ready", "Vladimir Putin", "conditional", "Volodymyr Zelensky", None),
    ("expressed willingness to meet Putin", "Volodymyr Zelensky", "willing", "Vladimir Putin", None),
    ("working to facilitate a potential meeting", "Donald Trump", "willing", None, None),
    ("whether there was any point in such a meeting", "Vladimir Putin", "rejecting", None, None),
    ("called for a full ceasefire", "Volodymyr Zelensky", "conditional", None, None),
    ("rejected peace", "Ukraine", "rejecting", "Russia", "Vladimir Putin"),
    ("every country has the right to security guarantees", "Vladimir Putin", "none", "Ukraine", None),
    ("never ruled out", "Vladimir Putin", "willing", "Volodymyr Zelensky", None),
    ("gone unanswered by the Kremlin", "Russia", "rejecting", None, None),
    ("any such agreement was reached", "Russia", "rejecting", None, None),
    ("has declined these offers", "Ukraine", "rejecting", None, "Vladimir Putin"),
    ("proposed peaceful resolutions", "Russia", "willing", None, "Vladimir Putin"),
    ("could take place if", "Vladimir Putin", "conditional", None, None),
    ("rejected formally recognizing Russian occupation", "Volodymyr Zelensky", "none", None, None),
    ("key demands in any future peace negotiations", "Russia", "conditional", "Ukraine", None),
    ("NATO accession is the best possible security guarantee", "Volodymyr Zelensky", "none", None, None),
    ("either they tear our heads off", "Vladimir Putin", "none", None, None),
])
def test_seed_statement(seed, fragment, speaker, stance_, target, reported_by):
    text, statements = seed
    s = find(statements, fragment)
    assert (s.speaker, s.stance, s.reported_by) == (speaker, stance_, reported_by)
    if target is not None:
        assert s.target == target
    assert text[s.start:s.end] == s.text


def test_seed_conditions(seed):
    _, statements = seed
    assert find(statements, "If Zelensky is ready").condition.text == "Zelensky is ready"
    assert find(statements, "called for a full ceasefire").condition.text == "a full ceasefire"
    assert find(statements, "every country has the right").condition is None


def test_demand_with_a_parenthetical_keeps_its_condition(seed):
    text, statements = seed
    s = find(statements, "demanded full control")
    assert (s.speaker, s.stance) == ("Vladimir Putin", "conditional")
    assert s.text.endswith("as a condition for a peace deal.")
    assert s.condition is not None and s.condition.text.startswith("full control over the eastern Donbas region")
