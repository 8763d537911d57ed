"""One self-contained HTML page (inline CSS, no scripts, no external assets) showing articles and their statements.

Each statement is highlighted by stance with a colour from the Okabe-Ito palette *and* a text badge and a border
style, so the page reads without colour vision; speakers are bold, targets outlined, conditions underlined. A side
table lists the statements and links to them. Spans may nest or cross (a reported claim inside a quote, a speaker
mention inside a statement): the text is cut at every span boundary and each piece is wrapped in the spans that
cover it, closing and reopening elements where spans cross, so the markup is always well nested.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from html import escape

from .types import LABELS, ArticleResult, Statement

# label: (colour, badge text colour, border style); Okabe & Ito (2008), distinguishable with any colour vision
STYLES: dict[str, tuple[str, str, str]] = {
    "willing": ("#009E73", "#000", "solid"),
    "rejecting": ("#D55E00", "#000", "double"),
    "conditional": ("#0072B2", "#fff", "dashed"),
    "none": ("#999999", "#000", "dotted"),
}

_CSS = """
body{font:16px/1.6 system-ui,sans-serif;margin:0 1.5em;color:#222;background:#fff}
h1{font-size:1.4em}h2{font-size:1.2em;border-top:1px solid #ccc;padding-top:.6em}
.article{display:grid;grid-template-columns:minmax(0,4fr) minmax(0,3fr);gap:1.5em;align-items:start}
.text{white-space:pre-wrap;line-height:2.1}
.st{border-bottom:3px solid;padding:1px 0}.st .st{padding-bottom:6px}
.st:target{outline:3px solid #000}
.badge{font:bold 11px/1 system-ui,sans-serif;padding:2px 4px;margin-right:3px;border-radius:3px;
  white-space:nowrap;vertical-align:2px}
.speaker{font-weight:bold}
.target{outline:2px dotted #333;outline-offset:1px}
.cond{text-decoration:underline 2px;text-underline-offset:3px}
table{border-collapse:collapse;font-size:13px;width:100%}
th,td{border:1px solid #ccc;padding:2px 4px;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#f2f2f2}
.side{position:sticky;top:0;max-height:100vh;overflow:auto}
.error{border:2px solid #D55E00;background:#fbe9dc;padding:.5em}
.legend{display:flex;flex-wrap:wrap;gap:1em;font-size:14px;margin:.5em 0 1em}
""" + "".join(
    f".st-{lab}{{background:{c}22;border-bottom-style:{b};border-color:{c}}}"
    f".b-{lab}{{background:{c};color:{fg}}}\n" for lab, (c, fg, b) in STYLES.items())


@dataclass(frozen=True)
class _Mark:
    """One element to wrap around [start, end): a statement, or a speaker, target or condition mention."""

    start: int
    end: int
    rank: int  # nesting order among marks with the same extent: statements outside mentions
    cls: str
    title: str
    anchor: str = ""  # statement id, on its first fragment only
    badge: str = ""  # badge HTML, at the statement's start


def render(result: ArticleResult, text: str, title: str | None = None) -> str:
    """A page for one article; ``text`` is the article text the result's offsets refer to."""
    return _page(title or _heading(result), [_section(result, text, "a0")])


def render_many(pairs: Iterable[tuple[ArticleResult, str]]) -> str:
    """A page with one section per (result, text) pair, and a table of contents when there are several."""
    items = list(pairs)
    if len(items) == 1:
        return render(*items[0])
    toc = "".join(f'<li><a href="#a{k}">{escape(_heading(r))}</a> ({_summary(r)})</li>'
                  for k, (r, _) in enumerate(items))
    sections = [_section(r, t, f"a{k}") for k, (r, t) in enumerate(items)]
    return _page(f"stance: {len(items)} articles", [f"<nav><ol>{toc}</ol></nav>", *sections])


def _heading(r: ArticleResult) -> str:
    return str(r.meta.get("title") or r.id)


def _summary(r: ArticleResult) -> str:
    return "error" if r.error else f"{len(r.statements)} statement{'s' * (len(r.statements) != 1)}"


def _page(title: str, parts: list[str]) -> str:
    legend = "".join(_badge(lab, lab.upper()) for lab in LABELS) + (
        '<span class="speaker">speaker</span><span class="target">target</span><span class="cond">condition</span>')
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width"><style>{_CSS}</style></head>\n<body>'
            f'<h1>{escape(title)}</h1><div class="legend" aria-label="legend">{legend}</div>\n'
            + "\n".join(parts) + "\n</body></html>\n")


def _badge(label: str, text: str) -> str:
    return f'<span class="badge b-{escape(label)}">{escape(text)}</span>'


def _section(r: ArticleResult, text: str, aid: str) -> str:
    head = (f'<section id="{aid}"><h2>{escape(_heading(r))}</h2>'
            f'<p>id: <code>{escape(r.id)}</code> &middot; {_summary(r)}</p>')
    if r.error:
        head += f'<p class="error" role="alert"><strong>Error:</strong> {escape(r.error)}</p>'
    body = f'<div class="text">{_highlight(text, _marks(r.statements, aid, len(text)))}</div>'
    side = _table(r.statements, aid) if r.statements else ""
    return f'{head}<div class="article">{body}{side}</div></section>'


def _marks(statements: list[Statement], aid: str, n: int) -> list[_Mark]:
    """Marks for every statement and its mentions, clipped to the text; a mention shared by statements once."""
    marks: list[_Mark] = []
    mentions: dict[tuple[str, int, int], list[str]] = {}
    for i, s in enumerate(statements, 1):
        label = s.stance if s.stance in STYLES else "none"
        marks.append(_Mark(s.start, s.end, 0, f"st st-{label}", f"#{i} {s.stance} {s.score:.2f}; {s.kind}; "
                           f"speaker: {s.speaker or '?'}; target: {s.target or '-'}", f"{aid}-s{i}",
                           _badge(label, f"{i} {s.stance.upper()}")))
        for cls, span, who in (("speaker", s.speaker_mention, s.speaker), ("target", s.target_mention, s.target),
                               ("cond", s.condition, None)):
            if span is not None:
                mentions.setdefault((cls, span.start, span.end), []).append(f"#{i}" + (f" {who}" if who else ""))
    rank = {"speaker": 1, "target": 2, "cond": 3}
    marks += [_Mark(a, b, rank[cls], cls, f"{'condition' if cls == 'cond' else cls} of " + ", ".join(of))
              for (cls, a, b), of in mentions.items()]
    clipped = [replace(m, end=min(n, m.end)) for m in marks]
    return sorted((m for m in clipped if m.start < m.end), key=lambda m: (m.start, -m.end, m.rank))


def _highlight(text: str, marks: list[_Mark]) -> str:
    """``text`` escaped, cut at every mark boundary, each piece inside the elements of the marks covering it."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[str] = []
    stack: list[_Mark] = []  # open elements, outermost first; ``marks`` order keeps outer marks first
    for a, b in zip(cuts, cuts[1:]):
        want = [m for m in marks if m.start <= a and b <= m.end]
        keep = 0
        while keep < min(len(stack), len(want)) and stack[keep] is want[keep]:
            keep += 1
        out += ["</span>"] * (len(stack) - keep)
        for m in want[keep:]:
            first = m.start == a
            anchor = f' id="{m.anchor}"' if m.anchor and first else ""
            out.append(f'<span class="{m.cls}"{anchor} title="{escape(m.title)}">')
            if first:
                out.append(m.badge)
        stack = want
        out.append(escape(text[a:b]))
    out += ["</span>"] * len(stack)
    return "".join(out)


def _table(statements: list[Statement], aid: str) -> str:
    rows = []
    for i, s in enumerate(statements, 1):
        label = s.stance if s.stance in STYLES else "none"
        kind = s.kind + (f" (by {s.reported_by})" if s.reported_by else "")
        cells = (f'<a href="#{aid}-s{i}">{i}</a>', escape(s.speaker or "?"), escape(s.target or "-"),
                 _badge(label, s.stance.upper()), escape(s.condition.text if s.condition else ""), escape(kind),
                 f"{s.score:.2f}")
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("#", "speaker", "target", "stance", "condition", "kind", "score"))
    return f'<aside class="side"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></aside>'
