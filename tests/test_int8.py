"""Reduced precision on the CPU: int8 (``EngineSettings.quantize``) and bf16 (``dtype="bf16"``) labels agree with
fp32, and the int8 swap is the one meant."""
import warnings

import pytest
import torch

from stance.classify.engine import _FP32_CHANNELS, Int8Linear
from stance.classify.transformer import TransformerClassifier
from stance.settings import REPO_DIR, EngineSettings
from stance.types import Query

MODEL = REPO_DIR / "models" / "meetstance-minilm"

# (statement, speaker, target): hand-written, none of them in the engine's calibration sentences
STATEMENTS = [
    ("said he was ready to meet the prime minister without preconditions", "Ali Hassan", "the prime minister"),
    ("will not sit down with the separatists while the shelling continues", "Maria Lopez", "the separatists"),
    ("would meet the union leaders if they called off next week's strike", "the chief executive", "union leaders"),
    ("announced record quarterly profits on Tuesday", "the company", None),
    ("said talks with Beijing were 'the only way forward'", "the foreign minister", "Beijing"),
    ("rejected an invitation to attend the summit in Geneva", "President Okafor", "the summit hosts"),
    ("is prepared to hold direct talks as long as the blockade is lifted first",
     "the rebel commander", "the government"),
    ("scored a late penalty to win the match", "the striker", None),
    ("told reporters there was 'nothing to discuss' with the opposition", "the interior minister", "the opposition"),
    ("welcomed the offer of talks and said a date would be set soon",
     "the party spokesman", "the coalition partners"),
    ("said the chancellor would only meet the bankers once the audit was published",
     "a Treasury source", "the bankers"),
    ("dismissed calls for a meeting with the protest leaders as a publicity stunt",
     "the mayor", "the protest leaders"),
    ("has invited the neighbouring states to a conference on water rights", "Egypt", "neighbouring states"),
    ("warned that petrol prices would keep rising through the winter", "the energy regulator", None),
    ("ruled out any negotiation with the kidnappers", "the police chief", "the kidnappers"),
    ("said she looked forward to meeting her counterpart in Paris next month",
     "the trade secretary", "her French counterpart"),
    ("would agree to a meeting provided the talks were held in a neutral country", "the Kremlin", "Kyiv"),
    ("opened a new factory in the north of the country", "the carmaker", None),
    ("refused to meet the delegation, calling it illegitimate", "the president", "the delegation"),
    ("said he was 'very keen' to talk to the new owners about the club's future", "the manager", "the new owners"),
    ("will only talk to the board if the job cuts are withdrawn", "the union", "the board"),
    ("has no plans to meet the Dalai Lama during his visit", "the prime minister", "the Dalai Lama"),
    ("agreed to resume negotiations with the teachers' union on Monday",
     "the education minister", "the teachers' union"),
    ("said the album had sold more than a million copies", "the record label", None),
    ("offered to mediate between the two factions", "the UN envoy", "the two factions"),
    ("said there could be no dialogue with people who use violence", "the home secretary", "the rioters"),
    ("might consider meeting the investors if the share price recovered", "the founder", "the investors"),
    ("expects to sign the agreement with the airline by the end of the year", "the airport operator", "the airline"),
    ("said the storm had caused widespread flooding", "the weather service", None),
    ("walked out of the talks and said he would not return", "the opposition leader", "the government"),
    ("said he hoped to see the Pope when he travels to Rome", "the president", "the Pope"),
    ("insists it will not negotiate with Hamas until the hostages are freed", "Israel", "Hamas"),
    ("has called for urgent talks with the fishing industry", "the minister", "the fishing industry"),
    ("said the new drug could cut deaths from heart disease by a third", "the researchers", None),
    ("would be happy to debate his rival on live television", "the senator", "his rival"),
    ("has refused repeated requests for an interview", "the footballer", "journalists"),
    ("said a meeting with the regulator was planned for next week", "the bank", "the regulator"),
    ("could meet Mr Kim again if North Korea takes concrete steps toward denuclearisation", "Mr Trump", "Mr Kim"),
    ("is unwilling to engage with what it calls a puppet government", "the militia", "the government"),
    ("said the company would cut 2,000 jobs over the next two years", "the chairman", None),
    ("has welcomed the chance to sit down with the farmers' representatives",
     "the agriculture minister", "the farmers"),
    ("said any meeting with the rebels would be conditional on a ceasefire", "the army spokesman", "the rebels"),
    ("said Tehran had no intention of talking to Washington", "the Iranian foreign ministry", "Washington"),
    ("will travel to Brussels for talks with the commission", "the Irish taoiseach", "the commission"),
    ("said the film would be released in cinemas in March", "the studio", None),
    ("told the BBC he would never shake hands with the dictator", "the activist", "the dictator"),
    ("said she would meet the families of the victims once the inquiry had reported",
     "the health minister", "the families"),
    ("has agreed to meet the striking doctors on Thursday", "the health secretary", "the striking doctors"),
    ("says the government cannot negotiate while the occupation continues", "a cabinet minister", "the students"),
    ("said the price of gold had hit a record high", "analysts", None),
    ("said he was open to talks with the new administration", "the governor", "the new administration"),
    ("said it would not meet the bidders until a formal offer was made", "the board", "the bidders"),
    ("refused to comment on whether he had spoken to the coach", "the player", "the coach"),
    ("said both sides had agreed to meet again in a fortnight", "the mediator", "both sides"),
    ("said the new railway line would open in 2027", "the transport authority", None),
    ("promised to visit the flood victims as soon as possible", "the king", "the flood victims"),
    ("said he would not attend the conference if the Russian delegation was present",
     "the Ukrainian minister", "the Russian delegation"),
    ("called the proposed summit a waste of time", "the opposition", "the summit"),
    ("said it was ready to resume six-party talks without delay", "Pyongyang", "the other parties"),
    ("reported a sharp rise in house prices in London", "the building society", None),
    ("would meet the shareholders if they dropped the lawsuit", "the chief executive", "the shareholders"),
    ("said that he had turned down an invitation to the White House", "the champion", "the White House"),
    ("is keen to start talks with Brussels on a new trade deal", "the British government", "Brussels"),
    ("accused the minister of lying to parliament", "the MP", "the minister"),
    ("has asked for a meeting with the bishop to discuss the abuse claims", "the victims' group", "the bishop"),
    ("said it would only negotiate once the troops had withdrawn", "the Taliban", "the Afghan government"),
    ("said sales had fallen for the third month in a row", "the retailer", None),
    ("said there was 'no question' of meeting the hardliners", "the reformist candidate", "the hardliners"),
    ("wants to hold talks with the landowners before the project goes ahead", "the developer", "the landowners"),
    ("said the president would receive the envoy at the palace on Friday", "a spokesman", "the envoy"),
    ("said he would talk to anyone who could help end the war", "the general", "anyone"),
    ("has declined to meet the committee, citing ill health", "the former chairman", "the committee"),
    ("said the earthquake measured 6.1 on the Richter scale", "seismologists", None),
    ("would consider talks with the kidnappers only through intermediaries", "the family", "the kidnappers"),
    ("said she had had a productive meeting with the French president", "the chancellor", "the French president"),
    ("says the strike will go ahead because management will not talk", "the union leader", "management"),
    ("told supporters he would never negotiate with terrorists", "the candidate", "terrorists"),
    ("said the company hoped to merge with its rival next year", "the finance director", "its rival"),
    ("said the exhibition had attracted record numbers of visitors", "the museum", None),
    ("will meet the Chinese premier during the G20 summit", "the Australian prime minister", "the Chinese premier"),
    ("said he had no objection to meeting the rival candidate before the vote", "the mayor", "the rival candidate"),
    ("has vowed never to return to the negotiating table", "the miners' union", "the coal board"),
    ("could hold talks with the junta if political prisoners were released", "the ASEAN envoy", "the junta"),
    ("said inflation had fallen to its lowest level in three years", "the central bank", None),
    ("has accepted an invitation to address the European Parliament",
     "the Ukrainian president", "the European Parliament"),
    ("said he would not meet the archbishop while the investigation was under way", "the minister", "the archbishop"),
    ("will meet the parents on Monday only if the school agrees to keep the meeting private",
     "the headteacher", "the parents"),
    ("said the team had been training hard for the final", "the coach", None),
    ("is looking forward to talks with the Saudi crown prince", "the French president", "the Saudi crown prince"),
    ("said the authority would refuse to meet any group that had not condemned the attacks",
     "a government spokesman", "the groups"),
    ("said talks with the landlord could start once the rent arrears were paid",
     "the tenants' association", "the landlord"),
    ("reported that the volcano had erupted again overnight", "local officials", None),
    ("said she was delighted to have been asked to meet the Queen", "the author", "the Queen"),
    ("has said it will boycott the peace conference", "the main opposition party", "the peace conference"),
    ("would meet the new coach only after the season ended", "the club captain", "the new coach"),
    ("said more than 300 flights had been cancelled because of the fog", "the airport", None),
    ("said he was willing to travel to Moscow for talks", "the Finnish president", "Moscow"),
    ("has refused to engage with the inquiry", "the former minister", "the inquiry"),
    ("said any meeting would depend on the outcome of the election", "the ambassador", "the new government"),
    ("said the bridge would be closed for repairs until June", "the council", None),
]
QUERIES = [Query(t, s, g) for t, s, g in STATEMENTS]


@pytest.fixture(scope="module")
def fp32():
    return TransformerClassifier.load(MODEL, EngineSettings(device="cpu", dtype="fp32"))


@pytest.fixture(scope="module")
def int8():
    return TransformerClassifier.load(MODEL, EngineSettings(device="cpu", dtype="fp32", quantize=True))


def test_labels_agree_with_fp32(fp32, int8):
    a, b = fp32.logits(QUERIES), int8.logits(QUERIES)
    assert len({fp32.labels[i] for i in a.argmax(-1).tolist()}) == 4  # the set covers every label
    assert (a.argmax(-1) == b.argmax(-1)).float().mean() >= 0.99
    assert (a - b).abs().mean() < 0.05  # per-tensor dynamic int8 (the old scheme): 0.22 here, 95% agreement


def test_bf16_labels_agree_with_fp32(fp32):
    with warnings.catch_warnings():  # a CPU without native bf16 warns that it is slow; the labels must hold
        warnings.simplefilter("ignore", RuntimeWarning)
        bf16 = TransformerClassifier.load(MODEL, EngineSettings(device="cpu", dtype="bf16"))
    assert next(bf16.engine.model.parameters()).dtype == torch.bfloat16
    a, b = fp32.logits(QUERIES), bf16.logits(QUERIES)
    assert b.dtype == torch.float32
    assert (a.argmax(-1) == b.argmax(-1)).float().mean() >= 0.99
    assert (a - b).abs().mean() < 0.1


def test_every_per_token_linear_is_int8_and_the_head_stays_fp32(fp32, int8):
    model, config = int8.engine.model, int8.engine.model.config
    swapped = {n: m for n, m in model.named_modules() if isinstance(m, Int8Linear)}
    fp32_linears = {n for n, m in model.named_modules() if isinstance(m, torch.nn.Linear)}
    assert len(swapped) == 6 * config.num_hidden_layers  # query, key, value, attention output, FFN in and out
    assert all(n.startswith("bert.encoder.layer.") for n in swapped)
    assert fp32_linears == {"bert.pooler.dense", "classifier"}  # one row per input: no int8 gain
    original = dict(fp32.engine.model.named_modules())
    for name, m in swapped.items():
        assert m.weight_t.dtype == torch.int8
        assert m.weight_t.shape == original[name].weight.T.shape
        assert len(m.outliers) == _FP32_CHANNELS
        assert (m.weight_t[m.outliers] == 0).all()  # those channels run in fp32 instead


def test_fp32_outlier_channels_cut_the_error_on_unseen_text(fp32, int8):
    """The channels found on the calibration sentences are outliers on these statements too: keeping them
    in fp32 makes every quantised layer closer to fp32, against the same int8 layer without them."""
    layers = {n: m for n, m in int8.engine.model.named_modules() if isinstance(m, Int8Linear)}
    original = dict(fp32.engine.model.named_modules())
    run = dict(fp32.engine.runner.named_modules())  # the modules the engine calls (oneDNN ones on x86)
    inputs: dict[str, list[torch.Tensor]] = {}
    hooks = [run[n].register_forward_pre_hook(lambda _m, args, n=n: inputs.setdefault(n, []).append(args[0]))
             for n in layers]
    try:
        fp32.logits(QUERIES)
    finally:
        for h in hooks:
            h.remove()
    with_outliers = without = 0.0
    with torch.inference_mode():
        for name, layer in layers.items():
            x = torch.cat([t.reshape(-1, t.shape[-1]) for t in inputs[name]])
            ref = original[name](x)
            with_outliers += (layer(x) - ref).abs().mean().item()
            without += (Int8Linear(original[name], torch.zeros(0, dtype=torch.long))(x) - ref).abs().mean().item()
    assert with_outliers < 0.9 * without


def test_int8_linear_scales_each_row_on_its_own():
    """Rows 1000x apart in size, and an outlier channel: each row is as accurate as the others, and its
    result is the same alone as in the batch (a per-tensor activation scale would flatten the small rows)."""
    torch.manual_seed(0)
    linear = torch.nn.Linear(96, 40)
    x = torch.randn(12, 96) * torch.logspace(-1.5, 1.5, 12)[:, None]
    x[:, 7] *= 30
    layer = Int8Linear(linear, torch.tensor([7]))
    with torch.inference_mode():
        ref, out = linear(x), layer(x)
        alone = torch.cat([layer(x[i:i + 1]) for i in range(len(x))])
    torch.testing.assert_close(alone, out)
    rel = (out - ref).norm(dim=1) / (ref - linear.bias).norm(dim=1)
    assert rel.max() < 0.02


def test_int8_linear_is_its_quantisation_computed_in_float64():
    """Int8Linear (int8 products, dequantised in place) equals the same per-row quantisation of the input and
    per-channel quantisation of the weights, multiplied out in float64; 3-D and odd-sized inputs included."""
    torch.manual_seed(1)
    linear = torch.nn.Linear(40, 24)
    outliers = torch.tensor([3, 17])
    layer = Int8Linear(linear, outliers)
    x = torch.randn(3, 7, 40)
    x[..., 3] *= 25
    with torch.inference_mode():
        out = layer(x)
    rows = x.reshape(-1, 40).double()
    inliers = rows.index_fill(1, outliers, 0.0)
    lo, hi = inliers.amin(1, keepdim=True).clamp(max=0), inliers.amax(1, keepdim=True).clamp(min=0)
    scale = (hi - lo) / 255
    zero = torch.round(-lo / scale) - 128
    q = torch.round(inliers / scale + zero).clamp(-128, 127)
    w = linear.weight.detach().double()
    w_scale = w.index_fill(1, outliers, 0.0).abs().amax(1) / 127
    w_q = torch.round(w / w_scale[:, None]).index_fill(1, outliers, 0.0)
    expected = ((q - zero) * scale) @ (w_q * w_scale[:, None]).T + rows[:, outliers] @ w[:, outliers].T
    expected += linear.bias.detach().double()
    torch.testing.assert_close(out.reshape(-1, 24).double(), expected, rtol=1e-4, atol=1e-4)
