"""Counts per period, CAMEO/PLOVER events, the report directory and the report/events commands, on dated
results built by hand (no pipeline run)."""
import csv
import json

import pandas as pd
import pytest

import stance
from stance import io
from stance.aggregation import aggregate, full_names
from stance.cli import main
from stance.datasets import plover
from stance.events import article_date, to_events, write_events
from stance.report import top_pairs, write_report
from stance.types import ArticleResult, Span, Statement

WILL, REJ, COND = "We are ready to meet them.", "We will not negotiate with them.", \
    "Talks can start only if they withdraw their troops."


def st(speaker, target, stance, text=None, reported_by=None):
    text = text or {"willing": WILL, "rejecting": REJ, "conditional": COND}.get(stance, "The weather was fine.")
    cond = Span.of(text, text.index("they withdraw"), len(text) - 1) if stance == "conditional" else None
    return Statement(text, 0, len(text), "direct", speaker=speaker, target=target, stance=stance, condition=cond,
                     reported_by=reported_by)


def results():
    ru, ur = ("Russia", "Ukraine"), ("Ukraine", "Russia")
    return [
        ArticleResult("a1", [st(*ru, "willing"), st(*ru, "willing"), st(*ru, "none"), st(*ur, "rejecting"),
                             st(*ru, "willing")], meta={"date": "2025-01-05", "title": "T1"}),
        ArticleResult("a2", [st(*ru, "rejecting"), st(None, "Ukraine", "willing")],
                      meta={"date": "2025-01-20T08:30:00Z"}),
        ArticleResult("a3", [st(*ru, "conditional"), st(*ur, "rejecting"), st(*ur, "rejecting", reported_by="Poland"),
                             st(*ur, "willing")], meta={"date": "2025-03-02", "source": "Wire"}),
        ArticleResult("a4", [st(*ur, "conditional")]),                                   # no date
        ArticleResult("a5", [st(*ru, "willing")], meta={"date": "sometime in May"}),     # not an ISO date
        ArticleResult("a6", [], error="could not read", meta={"date": "2025-01-10"}),
        ArticleResult("a7", [st("Hungary", None, "willing")], meta={"date": "2025-02-14"}),
    ]


EXPECTED = [  # period (None = undated), speaker, target, stance, count
    ("2025-01", "Russia", "Ukraine", "rejecting", 1),
    ("2025-01", "Russia", "Ukraine", "willing", 3),
    ("2025-01", "Ukraine", "Russia", "rejecting", 1),
    ("2025-01", "unknown", "Ukraine", "willing", 1),
    ("2025-02", "Hungary", "unknown", "willing", 1),
    ("2025-03", "Russia", "Ukraine", "conditional", 1),
    ("2025-03", "Ukraine", "Russia", "rejecting", 2),
    ("2025-03", "Ukraine", "Russia", "willing", 1),
    (None, "Russia", "Ukraine", "willing", 1),
    (None, "Ukraine", "Russia", "conditional", 1),
]


def rows(table):
    return [(None if pd.isna(p) else str(p), s, t, st_, n) for p, s, t, st_, n in table.itertuples(index=False)]


def test_counts_per_month():
    table = stance.aggregate(results())
    assert list(table.columns) == ["period", "speaker", "target", "stance", "count"]
    assert str(table["period"].dtype) == "period[M]" and table["count"].dtype == "int64"
    assert rows(table) == EXPECTED
    assert table["count"].sum() == 13  # every non-none statement, undated ones included


def test_include_none_and_other_periods():
    with_none = rows(aggregate(results(), include_none=True))
    assert set(with_none) - set(EXPECTED) == {("2025-01", "Russia", "Ukraine", "none", 1)}
    assert rows(aggregate(results(), freq="Q")) == [
        ("2025Q1", "Hungary", "unknown", "willing", 1), ("2025Q1", "Russia", "Ukraine", "conditional", 1),
        ("2025Q1", "Russia", "Ukraine", "rejecting", 1), ("2025Q1", "Russia", "Ukraine", "willing", 3),
        ("2025Q1", "Ukraine", "Russia", "rejecting", 3), ("2025Q1", "Ukraine", "Russia", "willing", 1),
        ("2025Q1", "unknown", "Ukraine", "willing", 1),
        (None, "Russia", "Ukraine", "willing", 1), (None, "Ukraine", "Russia", "conditional", 1)]


def test_dicts_as_read_back_count_the_same():
    assert rows(aggregate([r.to_dict() for r in results()])) == EXPECTED


def test_empty_and_bad_freq():
    empty = aggregate([ArticleResult("x", [st("A", "B", "none")], meta={"date": "2025-01-01"})])
    assert empty.empty and list(empty.columns) == ["period", "speaker", "target", "stance", "count"]
    with pytest.raises(ValueError, match="ME"):
        aggregate([], freq="ME")


def test_article_date():
    assert str(article_date({"date": "2025-03-01"})) == "2025-03-01"
    assert str(article_date({"date": "2025-03-01T10:00:00Z"})) == "2025-03-01"
    assert str(article_date({"date": "2025-03-01T23:30:00-05:00"})) == "2025-03-01"  # the date as written
    assert [article_date(m) for m in ({}, {"date": ""}, {"date": "03/01/2025"}, {"date": 20250301})] == [None] * 4


def test_events_codes_and_direction():
    events = list(to_events(results()))
    assert len(events) == 13 and [e.id for e in events[:4]] == ["a1-0", "a1-1", "a1-3", "a1-4"]  # a1-2 is none
    codes = {(e.stance, e.cameo, e.cameo_label, e.event, e.mode, e.context) for e in events}
    assert codes == {("willing", "036", "Express intent to meet or negotiate", "AGREE", None, "diplomatic"),
                     ("rejecting", "125", "Reject proposal to meet, discuss, or negotiate", "REJECT", "meet",
                      "diplomatic"),
                     ("conditional", "100", "Demand, not specified below", "DEMAND", None, "diplomatic")}
    # one event per statement, speaker -> target only: a1 has 3 Russia->Ukraine and 1 Ukraine->Russia
    assert [(e.source, e.target) for e in events if e.article_id == "a1"] == [("Russia", "Ukraine")] * 2 + \
        [("Ukraine", "Russia"), ("Russia", "Ukraine")]
    by_id = {e.id: e for e in events}
    assert by_id["a2-0"].date == "2025-01-20" and by_id["a4-0"].date is None and by_id["a5-0"].date is None
    assert by_id["a2-1"].source is None
    cond = by_id["a3-0"]
    assert cond.condition == "they withdraw their troops" and cond.text == COND and cond.publication == "Wire"
    assert by_id["a3-2"].reported_by == "Poland" and by_id["a7-0"].target is None
    with pytest.raises(ValueError, match="unknown stance 'maybe'"):
        list(to_events([ArticleResult("z", [st("A", "B", "maybe")])]))


def test_plover_records_read_back_by_a_plover_reader(tmp_path):
    """Exported records are PLOVER records: our own PLOVER gold-standard loader reads them back."""
    out = tmp_path / "events.jsonl"
    assert write_events(to_events(results()), out) == 13
    records = [json.loads(line) for line in out.read_text().splitlines()]
    first = records[0]
    assert first["source"] == [{"actorText": "Russia"}] and first["target"] == [{"actorText": "Ukraine"}]
    assert first["event"] == "AGREE" and first["date"] == "2025-01-05" and "mode" not in first  # nulls left out
    assert "source" not in records[5] and "target" not in records[-1]  # no speaker / no target
    gsr = tmp_path / "PLOVER_GSR_CAMEO.txt"
    gsr.write_text(json.dumps(records))
    back = plover.load(gsr)["test"]
    names = back.features["label"].names
    assert [names[i] for i in back["label"]] == [r["stance"] for r in records]
    assert back["speaker"][0] == "Russia" and back["target"][0] == "Ukraine"


def test_top_pairs_skip_unknown_speakers():
    counts = aggregate(results())
    assert top_pairs(counts, 8) == [("Russia", "Ukraine"), ("Ukraine", "Russia"), ("Hungary", "unknown")]
    assert top_pairs(counts, 1) == [("Russia", "Ukraine")]


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def check_pngs(paths):
    import matplotlib.image

    for path in paths.plots.values():
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        height, width, _ = matplotlib.image.imread(path).shape
        assert height > 100 and width > 100


def test_report_files(tmp_path):
    paths = write_report(results(), tmp_path / "rep", top=2)
    assert read_csv(paths.counts) == [["period", "speaker", "target", "stance", "count"]] + \
        [[p or "", s, t, x, str(n)] for p, s, t, x, n in EXPECTED]
    events = read_csv(paths.events)
    assert events[0][:3] == ["id", "article_id", "date"] and len(events) == 14
    assert list(paths.plots) == [("Russia", "Ukraine"), ("Ukraine", "Russia")]
    assert [p.name for p in paths.plots.values()] == ["pair-01-russia--ukraine.png", "pair-02-ukraine--russia.png"]
    check_pngs(paths)
    page = paths.index.read_text()
    for path in paths.plots.values():
        assert f'<img src="{path.name}"' in page
    assert 'href="counts.csv"' in page and 'href="events.csv"' in page
    assert "Russia → Ukraine" in page and "Hungary" not in page  # only the top 2 pairs
    assert "<td>undated</td>" in page and "2025-01 to 2025-03" in page


def test_report_without_dates_draws_nothing(tmp_path):
    paths = write_report([ArticleResult("u", [st("A", "B", "rejecting")])], tmp_path)
    assert paths.plots == {} and not list(tmp_path.glob("*.png"))
    page = paths.index.read_text()
    assert "No dated statements." in page and "<td>undated</td>" in page and "A → B" in page


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_cli_report_and_events(tmp_path, capsys, suffix):
    src = tmp_path / f"results{suffix}"
    (io.write_jsonl if suffix == ".jsonl" else io.write_parquet)([r.to_dict() for r in results()], src)
    assert main(["report", str(src), "-o", str(tmp_path / "rep"), "--top", "2"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "rep" / "index.html")
    counts = read_csv(tmp_path / "rep" / "counts.csv")
    assert counts[1:] == [[p or "", s, t, x, str(n)] for p, s, t, x, n in EXPECTED]
    assert len(list((tmp_path / "rep").glob("pair-*.png"))) == 2

    assert main(["events", str(src), "-o", str(tmp_path / "events.csv")]) == 0
    assert "events: 13" in capsys.readouterr().err
    rows_ = read_csv(tmp_path / "events.csv")
    assert rows_[1][rows_[0].index("cameo")] == "036"
    assert main(["events", str(src)]) == 0  # PLOVER JSON lines on stdout
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 13 and records[-1]["source"] == [{"actorText": "Hungary"}]

    assert main(["report", str(src), "-o", str(tmp_path / "bad"), "--freq", "ME"]) == 2
    assert "Invalid frequency: ME" in capsys.readouterr().err and not (tmp_path / "bad").exists()


def test_a_surname_counts_under_the_one_full_name_it_ends():
    day = {"date": "2025-01-05"}
    results = [ArticleResult("a", [st("Vladimir Putin", "Volodymyr Zelensky", "willing")], meta=day),
               ArticleResult("b", [st("Putin", "Zelensky", "willing"), st("Smith", "Kim", "rejecting")], meta=day),
               ArticleResult("c", [st("Anna Smith", "Kim Jong Un", "none"), st("John Smith", None, "none")], meta=day)]
    assert rows(aggregate(results)) == [("2025-01", "Smith", "Kim", "rejecting", 1),  # two Smiths; Kim is first
                                        ("2025-01", "Vladimir Putin", "Volodymyr Zelensky", "willing", 2)]
    assert len(aggregate(results, merge_names=False)) == 3
    assert full_names({"Putin", "Vladimir Putin", "unknown", "Korea", "North Korea", "South Korea", "Sudan",
                       "South Sudan"}) == {"Putin": "Vladimir Putin"}


def test_event_ids_stay_unique_when_article_ids_repeat():
    twice = [ArticleResult("a", [st("Russia", "Ukraine", "willing")]), ArticleResult("b", []),
             ArticleResult("a", [st("Ukraine", "Russia", "rejecting"), st("Ukraine", "Russia", "willing")]),
             ArticleResult("a", [st("Russia", "Ukraine", "willing")])]
    events = list(to_events(twice))
    assert [e.id for e in events] == ["a-0", "a/2-0", "a/2-1", "a/3-0"]
    assert {e.article_id for e in events} == {"a"}
    clash = [ArticleResult(i, [st("Russia", "Ukraine", "willing")]) for i in ("a", "a", "a/2")]
    assert [e.id for e in to_events(clash)] == ["a-0", "a/2-0", "a/2/2-0"]


def test_report_without_matplotlib_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    import sys

    src = tmp_path / "results.jsonl"
    io.write_jsonl([r.to_dict() for r in results()], src)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)  # as if not installed
    assert main(["report", str(src), "-o", str(tmp_path / "report")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("stance: error: ") and "pip install 'stance[plot]'" in err and "Traceback" not in err
    assert not (tmp_path / "report").exists()  # nothing written
