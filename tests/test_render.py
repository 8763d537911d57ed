"""The HTML view: well-nested, escaped markup on hand-built results, and the page as headless Chromium shows it."""
import os
import re
import shutil
import struct
import subprocess
from html import escape
from html.parser import HTMLParser

import pytest

from stance import cli
from stance.view import STYLES, render, render_many
from stance.types import ArticleResult, Span, Statement

VOID = {"meta", "br", "img", "hr", "input", "link"}


class Page(HTMLParser):
    """Checks that tags balance and, for each character of article text, records the classes around it."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, list[str]]] = []
        self.ids: list[str] = []
        self.text = ""  # article text, badges left out
        self.classes: list[set[str]] = []  # per character of self.text: classes of the enclosing elements
        self.st_ids: list[str] = []  # per character: ids of the statement elements it starts in
        self.feed(html)
        self.close()
        assert self.stack == [], f"unclosed: {self.stack}"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag not in VOID:
            self.stack.append((tag, (a.get("class") or "").split()))

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        classes = [c for _, cs in self.stack for c in cs]
        if "text" in classes and "badge" not in classes:
            self.text += data
            self.classes += [set(classes)] * len(data)


def statement(text, sub, label, **kw):
    start = text.index(sub)
    return Statement(sub, start, start + len(sub), kw.pop("kind", "direct"), stance=label, score=0.9, **kw)


def mention(text, sub, length=None):
    start = text.index(sub)
    end = start + (len(sub) if length is None else length)
    return Span(text[start:end], start, end)


TEXT = ('Alvarez said <script>alert("x")</script> & more. "We will meet them if the fighting stops, '
        'and Ortega said they refused talks," Alvarez told reporters.')


@pytest.fixture
def nested() -> ArticleResult:
    """A quote with a reported claim inside it, a condition crossing the inner claim, mentions inside spans."""
    quote = "We will meet them if the fighting stops, and Ortega said they refused talks"
    outer = statement(TEXT, quote, "conditional",
                      speaker="Alvarez <b>", speaker_mention=mention(TEXT, "Alvarez told", 7),
                      target="Ortega", target_mention=mention(TEXT, "them"),
                      condition=mention(TEXT, "the fighting stops, and Ortega"))
    inner = statement(TEXT, "Ortega said they refused talks", "rejecting", kind="reported",
                      speaker="Ortega", speaker_mention=mention(TEXT, "Ortega"), reported_by="Alvarez")
    crossing = statement(TEXT, "& more. \"We will", "none", kind="indirect")
    return ArticleResult("art<1>", [outer, inner, crossing], meta={"title": "Talks & <news>"})


def test_text_is_escaped_and_kept_whole(nested):
    html = render(nested, TEXT)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html and "Talks &amp; &lt;news&gt;" in html and "art&lt;1&gt;" in html
    assert Page(html).text == TEXT


def test_overlapping_spans_nest_and_cover_their_characters(nested):
    page = Page(render(nested, TEXT))  # raises when tags do not balance
    assert page.text == TEXT
    for s in nested.statements:
        for cls, span in ((f"st-{s.stance}", s), ("speaker", s.speaker_mention), ("target", s.target_mention),
                          ("cond", s.condition)):
            if span is not None:
                assert all(cls in page.classes[i] for i in range(span.start, span.end)), (cls, span)
    outside = TEXT.index("Alvarez told") + 7
    assert not page.classes[outside] & {"st", "cond", "target"}
    both = TEXT.index("refused")  # inside the quote and the reported claim: two statement elements
    assert {"st-conditional", "st-rejecting"} <= page.classes[both]
    assert sorted(page.ids) == sorted(set(page.ids)) and {"a0-s1", "a0-s2", "a0-s3"} <= set(page.ids)


def test_every_statement_has_a_badge_and_a_linked_row(nested):
    html = render(nested, TEXT)
    for i, s in enumerate(nested.statements, 1):
        assert f'<span class="badge b-{s.stance}">{i} {s.stance.upper()}</span>' in html
        assert f'<a href="#a0-s{i}">{i}</a>' in html
    assert html.count("<tr>") == 1 + len(nested.statements)
    assert "reported (by Alvarez)" in html and "the fighting stops, and Ortega" in html
    assert "http" not in html and "<script" not in html and "<link" not in html  # self-contained


def test_error_record_and_several_articles(nested):
    failed = ArticleResult("missing.txt", error="input missing.txt does not exist")
    html = render_many([(nested, TEXT), (failed, "")])
    page = Page(html)
    assert 'role="alert"' in html and "input missing.txt does not exist" in html
    assert '<a href="#a0">Talks &amp; &lt;news&gt;</a>' in html and '<a href="#a1">missing.txt</a>' in html
    assert {"a0", "a1", "a0-s1"} <= set(page.ids) and "<nav>" in html
    assert "<nav>" not in render_many([(nested, TEXT)])


def test_spans_past_the_text_are_clipped():
    text = "They are ready to talk."
    r = ArticleResult("x", [Statement("ready to talk. And more", 9, 40, "indirect", stance="willing")])
    page = Page(render(r, text))
    assert page.text == text and "st-willing" in page.classes[-1]


# -- headless Chromium ----------------------------------------------------------------------------------------
ARTICLE = ('President Alvarez said on Monday that he was ready to meet the rebel leader "at any time".\n\n'
           '"We will not negotiate with terrorists," the rebel commander Ortega told reporters in the capital.\n\n'
           '"If they withdraw their troops, we will sit down for talks," Foreign Minister Lindqvist said. '
           'She added that the talks could start next week.\n')
EXPECTED = ["willing", "rejecting", "conditional", "none"]


@pytest.fixture(scope="session")
def chromium() -> str:
    def find():
        return shutil.which("chromium") or shutil.which("chromium-browser")

    if not find() and os.geteuid() == 0 and os.environ.get("STANCE_INSTALL_CHROMIUM") == "1":
        subprocess.run(["apt-get", "install", "-y", "chromium"], capture_output=True, timeout=900)
    if not find():
        pytest.skip("headless Chromium not installed: apt-get install chromium")
    return find()


def browse(chromium, page, profile, *action):
    return subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={profile}", "--window-size=1280,1600", *action, page.as_uri()],
                          capture_output=True, text=True, timeout=120)


def test_chromium_shows_the_statements(chromium, rules_pipeline, tmp_path):
    from matplotlib.image import imread

    result = rules_pipeline(ARTICLE, id="own")
    assert [s.stance for s in result.statements] == EXPECTED
    page = tmp_path / "page.html"
    page.write_text(render(result, ARTICLE), encoding="utf-8")
    shot = tmp_path / "shot.png"
    browse(chromium, page, tmp_path / "profile", f"--screenshot={shot}")
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1280, 1600)
    pixels = (imread(shot)[..., :3] * 255).round()
    for label in EXPECTED:
        rgb = [int(STYLES[label][0][i:i + 2], 16) for i in (1, 3, 5)]
        assert (abs(pixels - rgb).max(axis=-1) <= 2).sum() > 200, f"no {label} colour on the screenshot"

    dom = browse(chromium, page, tmp_path / "profile", "--dump-dom").stdout
    badges = re.findall(r'<span class="badge b-(\w+)">(\d+) (\w+)</span>', dom)
    assert badges == [
        (lab, str(i), lab.upper()) for i, lab in enumerate(EXPECTED, 1)]
    assert '<span class="cond"' in dom and "they withdraw their troops" in dom
    assert re.search(r'<span class="speaker"[^>]*>Ortega</span>', dom)  # the name in "the rebel commander Ortega"


def test_cli_show_writes_one_page(tmp_path):
    art = tmp_path / "own.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "page.html"
    assert cli.main(["show", str(art), str(tmp_path / "absent.txt"), "-o", str(out), "--model", "rules"]) == 1
    html = out.read_text(encoding="utf-8")
    assert "1 WILLING" in html and "2 REJECTING" in html and "3 CONDITIONAL" in html
    assert "absent.txt does not exist" in html and f'<a href="#a1">{escape(str(tmp_path / "absent.txt"))}</a>' in html
