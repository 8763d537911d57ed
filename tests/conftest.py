import pytest

import stance
from stance.parse import load_nlp


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


@pytest.fixture(scope="session")
def rules_pipeline():
    return stance.load("rules")
