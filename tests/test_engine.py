"""The batched inference engine: order restoration, batching invariance, token budgets, OOM back-off."""
import copy
import shutil
import warnings

import pytest
import torch
from transformers import AutoTokenizer

from stance.classify.engine import Engine
from stance.settings import EngineSettings, base_encoder


class LengthModel(torch.nn.Module):
    """A fake classifier whose logits are each row's true length and the sum of its token ids, to check
    order, collation and padding."""

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
        assert (input_ids[attention_mask == 0] == 0).all()  # padded with the tokenizer's pad id
        ids = (input_ids * attention_mask).sum(-1, keepdim=True).float()
        return type("O", (), {"logits": torch.cat([n, ids], dim=-1)})()


@pytest.fixture(scope="module")
def tok():
    return AutoTokenizer.from_pretrained(base_encoder())


TEXTS = [("word " * n).strip() for n in (3, 40, 1, 17, 9, 60, 2, 25, 5, 11)]


def expected(tok):
    return [len(tok(t)["input_ids"]) for t in TEXTS]


def expected_id_sums(tok):
    return [sum(tok(t)["input_ids"]) for t in TEXTS]


@pytest.mark.parametrize("batch_size,max_tokens", [(1, 10_000), (3, 10_000), (64, 10_000), (64, 80), (4, 200)])
def test_order_restored_and_identical_across_batching(tok, batch_size, max_tokens):
    eng = Engine(LengthModel(), tok, EngineSettings(batch_size=batch_size, max_tokens=max_tokens, device="cpu"))
    out = eng.logits(TEXTS)
    assert out[:, 0].long().tolist() == expected(tok)
    assert out[:, 1].long().tolist() == expected_id_sums(tok)


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


def tiny_bert(tok, layers: int):
    """A randomly initialised BERT classifier (4 labels) small enough to compile in seconds."""
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    config = BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=layers, num_attention_heads=2,
                        intermediate_size=64, num_labels=4)
    return BertForSequenceClassification(config).eval()


needs_cc = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                              reason="torch.compile on the CPU needs a C compiler")


@needs_cc
def test_compiled_engine_gives_the_same_logits(tok):
    model = tiny_bert(tok, layers=1)
    plain = Engine(model, tok, EngineSettings(device="cpu", batch_size=4)).logits(TEXTS)
    compiled = Engine(model, tok, EngineSettings(device="cpu", batch_size=4, compile=True))
    assert compiled.model is not model  # torch.compile wrapped it
    from torch._inductor import config as inductor

    seen = []
    forward = model.forward
    model.forward = lambda *a, **k: (seen.append(inductor.freezing), forward(*a, **k))[1]  # traced while compiling
    assert torch.allclose(compiled.logits(TEXTS), plain, atol=1e-4)
    assert seen and all(seen) and not inductor.freezing  # weights frozen while compiling, the setting restored


@needs_cc
def test_compiled_int8_engine_gives_the_int8_logits(tok):
    model = tiny_bert(tok, layers=1)
    eager = Engine(copy.deepcopy(model), tok, EngineSettings(device="cpu", batch_size=4, quantize=True))
    compiled = Engine(model, tok, EngineSettings(device="cpu", batch_size=4, quantize=True, compile=True))
    assert compiled.model is not model
    assert torch.allclose(compiled.logits(TEXTS), eager.logits(TEXTS), atol=1e-3)


PAIRS = [("speaker: Moscow . target: Kyiv .", "word " * n) for n in (1, 30, 200, 7)]


@pytest.mark.parametrize("max_length", [16, 128])
def test_fast_backend_gives_the_tokenizers_ids_for_pairs_with_truncation(tok, max_length):
    eng = Engine(LengthModel(), tok, EngineSettings(device="cpu", max_length=max_length))
    assert eng._backend is not None  # the Rust path, not tokenizer(...)
    texts, pairs = [a for a, _ in PAIRS], [b for _, b in PAIRS]
    enc = eng.encode(texts, pairs)
    want = tok(texts, pairs, truncation=True, max_length=max_length)["input_ids"]
    assert enc.lengths.tolist() == [len(w) for w in want]
    assert enc.flat.tolist() == [i for w in want for i in w]
    types = tok(texts, pairs, truncation=True, max_length=max_length)["token_type_ids"]
    assert enc.types.tolist() == [i for t in types for i in t] and 1 in enc.types.tolist()


def test_a_pair_model_gets_the_segment_ids_it_was_trained_with(tok):
    model = tiny_bert(tok, layers=1).eval()
    texts, pairs = [a for a, _ in PAIRS], [b for _, b in PAIRS]
    batch = tok(texts, pairs, truncation=True, max_length=128, padding=True, return_tensors="pt")
    with torch.no_grad():
        want = model(**batch).logits
    got = Engine(model, tok, EngineSettings(device="cpu", batch_size=2, max_length=128)).logits(texts, pairs)
    assert torch.allclose(got, want, atol=1e-5)
    assert Engine(model, tok, EngineSettings(device="cpu")).encode(texts, None).types is None  # single texts


class SlowTokenizer:
    """A tokenizer without a Rust backend (``is_fast`` False): the engine must fall back to calling it."""

    def __init__(self, tok):
        self.tok, self.pad_token_id, self.is_fast = tok, tok.pad_token_id, False

    def __call__(self, *args, **kwargs):
        return self.tok(*args, **kwargs)


def test_slow_tokenizer_falls_back_to_the_tokenizer_call(tok):
    eng = Engine(LengthModel(), SlowTokenizer(tok), EngineSettings(device="cpu", batch_size=3))
    assert eng._backend is None
    out = eng.logits(TEXTS)
    assert out[:, 0].long().tolist() == expected(tok)
    assert out[:, 1].long().tolist() == expected_id_sums(tok)


def test_inputs_beyond_one_pool_keep_their_order(tok, monkeypatch):
    import stance.classify.engine as engine

    monkeypatch.setattr(engine, "_POOL", 3)  # 10 inputs: pools of 3, 3, 3 and 1, each sorted on its own
    model = LengthModel()
    out = Engine(model, tok, EngineSettings(device="cpu", batch_size=64)).logits(TEXTS)
    assert out[:, 0].long().tolist() == expected(tok)
    assert out[:, 1].long().tolist() == expected_id_sums(tok)
    assert len(model.calls) == 4  # no batch spans two pools


def test_a_failure_in_the_staging_thread_reaches_the_caller(tok, monkeypatch):
    eng = Engine(LengthModel(), tok, EngineSettings(device="cpu"))
    monkeypatch.setattr(eng, "device", torch.device("cuda"))  # take the threaded (CUDA) staging path ...
    monkeypatch.setattr(eng, "_collate", lambda *a: (_ for _ in ()).throw(ValueError("bad batch")))
    with pytest.raises(ValueError, match="bad batch"):  # ... whose error must not leave the caller waiting
        list(eng._batches(TEXTS, None))


def test_dtype_choices_and_their_errors(tok, monkeypatch):
    assert next(Engine(LengthModel(), tok, EngineSettings(device="cpu")).model.parameters()).dtype == torch.float32
    with pytest.raises(ValueError, match="unknown dtype 'bfloat'"):
        Engine(LengthModel(), tok, EngineSettings(device="cpu", dtype="bfloat"))
    with pytest.raises(ValueError, match="int8 .* fp32"):
        Engine(LengthModel(), tok, EngineSettings(device="cpu", dtype="bf16", quantize=True))
    monkeypatch.setattr(torch.cpu, "get_capabilities", lambda: {"avx512_bf16": False, "amx_bf16": False})
    with pytest.warns(RuntimeWarning, match="no native bf16"):
        engine = Engine(LengthModel(), tok, EngineSettings(device="cpu", dtype="bf16"))
    assert engine.model.dummy.dtype == torch.bfloat16
    monkeypatch.setattr(torch.cpu, "get_capabilities", lambda: {"avx512_bf16": False, "amx_bf16": True})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Engine(LengthModel(), tok, EngineSettings(device="cpu", dtype="bf16"))  # AMX: no warning


def test_fp32_cpu_engine_runs_onednn_linears_on_a_copy_that_shares_the_weights(tok):
    from stance.classify.engine import OneDNNLinear

    if not torch.backends.mkldnn.is_available():
        pytest.skip("torch built without oneDNN")
    model = tiny_bert(tok, layers=2)
    with torch.inference_mode():
        enc = tok(TEXTS, padding=True, return_tensors="pt", return_token_type_ids=False)
        reference = model(**enc).logits
    eng = Engine(model, tok, EngineSettings(device="cpu", batch_size=3))
    runner = eng.runner
    swapped = [m for m in runner.modules() if isinstance(m, OneDNNLinear)]
    assert len(swapped) == 2 * 6 + 2  # q, k, v, attention output, intermediate, output per layer; pooler, head
    assert sum(m.attr == "gelu" for m in swapped) == 2  # each intermediate dense carries the GELU
    assert all(isinstance(layer.intermediate.intermediate_act_fn, torch.nn.Identity) for layer in runner.bert.encoder.layer)
    assert torch.allclose(eng.logits(TEXTS), reference, atol=1e-4)
    # the caller's model is untouched (still trainable) and its weights are the runner's
    assert eng.model is model and not any(isinstance(m, OneDNNLinear) for m in model.modules())
    assert runner.classifier.linear.weight is model.classifier.weight
    with torch.no_grad():
        model.classifier.bias.add_(5.0)  # e.g. averaged weights loaded into the model: the runner sees them
    assert torch.allclose(eng.logits(TEXTS), reference + 5.0, atol=1e-4)
    seen = []  # hooks go on the runner, the module that runs
    handle = runner.bert.encoder.layer[0].register_forward_hook(lambda *_: seen.append(1))
    eng.logits(TEXTS)
    handle.remove()
    assert len(seen) == 4  # 10 texts in batches of 3
    # new tensors in the model (a checkpoint loaded with assign=True) or another dtype: the copy is made again
    state = {k: v + 1.0 if k == "classifier.bias" else v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(state, assign=True)
    on_model = model.bert.encoder.layer[0].register_forward_hook(lambda *_: seen.append("model"))
    assert eng.runner is not runner and eng.runner.classifier.linear.bias is model.classifier.bias
    assert torch.allclose(eng.logits(TEXTS), reference + 6.0, atol=1e-4)
    on_model.remove()
    assert "model" not in seen  # the model's hooks are not copied (removing them there would leave the copy's)
    assert eng.runner.config is model.config and eng.runner.bert.encoder.config is model.config
    model.train()  # the copy follows the model's mode
    assert eng.runner.training and eng.runner.bert.encoder.layer[0].attention.self.dropout.training
    model.eval()
    assert not eng.runner.training
    model.bert.train()  # a submodule's mode too
    assert eng.runner.bert.encoder.layer[0].attention.self.dropout.training and not eng.runner.training
    model.eval()
    model.to(torch.bfloat16)
    assert eng.runner is model
    assert torch.allclose(eng.logits(TEXTS), reference + 6.0, atol=0.2)
    model.float()
    assert isinstance(eng.runner.classifier, OneDNNLinear)
    # bf16 and int8 engines run their model as it is (the int8 one swaps its Linear layers in place)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # bf16 on a CPU without native bf16
        bf16 = Engine(model, tok, EngineSettings(device="cpu", dtype="bf16"))
    assert bf16.runner is bf16.model
    int8 = Engine(model, tok, EngineSettings(device="cpu", quantize=True))
    assert int8.runner is int8.model and not any(isinstance(m, OneDNNLinear) for m in int8.runner.modules())
