"""The batched inference engine: order restoration, batching invariance, token budgets, OOM back-off."""
import shutil

import pytest
import torch
from transformers import AutoTokenizer

from stance.classify.engine import Engine
from stance.settings import EngineSettings, base_encoder


class LengthModel(torch.nn.Module):
    """A fake classifier whose logits encode each row's true length, to check order and padding."""

    def __init__(self, oom_above: int | None = None):
        super().__init__()
        self.config = type("C", (), {"num_labels": 2})()
        self.oom_above = oom_above
        self.calls: list[int] = []
        self.dummy = torch.nn.Parameter(torch.zeros(1))

    def forward(self, input_ids, attention_mask):
        self.calls.append(input_ids.shape[0])
        if self.oom_above is not None and input_ids.shape[0] > self.oom_above:
            raise torch.cuda.OutOfMemoryError("fake OOM")
        n = attention_mask.sum(-1, keepdim=True).float()
        assert input_ids.shape[1] % 8 == 0  # padded to a multiple of 8
        return type("O", (), {"logits": torch.cat([n, -n], dim=-1)})()


@pytest.fixture(scope="module")
def tok():
    return AutoTokenizer.from_pretrained(base_encoder())


TEXTS = [("word " * n).strip() for n in (3, 40, 1, 17, 9, 60, 2, 25, 5, 11)]


def expected(tok):
    return [len(tok(t)["input_ids"]) for t in TEXTS]


@pytest.mark.parametrize("batch_size,max_tokens", [(1, 10_000), (3, 10_000), (64, 10_000), (64, 80), (4, 200)])
def test_order_restored_and_identical_across_batching(tok, batch_size, max_tokens):
    eng = Engine(LengthModel(), tok, EngineSettings(batch_size=batch_size, max_tokens=max_tokens, device="cpu"))
    out = eng.logits(TEXTS)
    assert out[:, 0].long().tolist() == expected(tok)


def test_plan_respects_budget_and_sorts_by_length(tok):
    eng = Engine(LengthModel(), tok, EngineSettings(batch_size=4, max_tokens=64, device="cpu"))
    lengths = [5, 30, 9, 17, 3, 3, 3, 3, 3]
    plan = eng.plan(lengths)
    assert sorted(i for b in plan for i in b) == list(range(len(lengths)))
    for batch in plan:
        width = -(-max(lengths[i] for i in batch) // 8) * 8
        assert len(batch) <= 4 and (width * len(batch) <= 64 or len(batch) == 1)
    assert lengths[plan[0][0]] == max(lengths)


def test_oom_back_off_halves_and_loses_nothing(tok):
    model = LengthModel(oom_above=2)
    eng = Engine(model, tok, EngineSettings(batch_size=8, max_tokens=100_000, device="cpu"))
    out = eng.logits(TEXTS)
    assert out[:, 0].long().tolist() == expected(tok)
    assert max(model.calls) == 8 and all(c <= 2 for c in model.calls if c not in (8, 4))


def test_empty_input(tok):
    eng = Engine(LengthModel(), tok, EngineSettings(device="cpu"))
    assert eng.logits([]).shape == (0, 2)


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                    reason="torch.compile on the CPU needs a C compiler")
def test_compiled_engine_gives_the_same_logits(tok):
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    config = BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, num_labels=4)
    model = BertForSequenceClassification(config).eval()
    plain = Engine(model, tok, EngineSettings(device="cpu", batch_size=4)).logits(TEXTS)
    compiled = Engine(model, tok, EngineSettings(device="cpu", batch_size=4, compile=True))
    assert compiled.model is not model  # torch.compile wrapped it
    assert torch.allclose(compiled.logits(TEXTS), plain, atol=1e-4)
