"""Markdown -> Anki HTML (math kept away from the renderer) and Anki HTML -> Markdown."""

from __future__ import annotations

import time

import pytest

from quizapp.export.html import markdown_to_html
from quizapp.importing.html_markdown import html_to_markdown


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("plain", "plain"),
        ("*a* and **b**", "<em>a</em> and <strong>b</strong>"),
        ("$x_1 * y_2 * z$", r"\(x_1 * y_2 * z\)"),  # not emphasis
        ("$a < b & c$", r"\(a &lt; b &amp; c\)"),
        ("$$\\frac{a}{b}$$", r"\[ \frac{a}{b}\]"),
        ("`$x$` stays code", "<code>$x$</code> stays code"),
        ("costs $5 and $6", "costs $5 and $6"),  # not math: a dollar before a digit
        ("a < b", "a &lt; b"),
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ("{{c1::$\\mu$}} over {{c2::batch}}", r"{{c1::\(\mu\)}} over {{c2::batch}}"),
    ],
)
def test_markdown_to_html(markdown: str, html: str) -> None:
    assert markdown_to_html(markdown) == html


@pytest.mark.parametrize(("markdown", "html"), [
    ("[sound:a.mp3] [anki:tts lang=en_US]hi[/anki:tts]", "&#91;sound:a.mp3] &#91;anki:tts lang=en_US]hi&#91;/anki:tts]"),
    ("`[sound:a.mp3]` and [latex]x[/latex]", "<code>&#91;sound:a.mp3]</code> and &#91;latex]x&#91;/latex]"),
    ("$[sound:a.mp3]$", r"\(&#91;sound:a.mp3]\)"),
    ("$$sound:a.mp3]$$", r"\[ sound:a.mp3]\]"),  # the `[` of `\[` starts no tag
    ("[x](https://e.org/a[1])", '<a href="https://e.org/a%5B1%5D">x</a>'),
])
def test_no_bracket_reaches_anki_as_a_media_or_tts_tag(markdown: str, html: str) -> None:
    """Anki played `[sound:a.mp3]` in a card's text (and made a LaTeX image of `[latex]...[/latex]`)."""
    assert markdown_to_html(markdown) == html


def test_several_paragraphs_and_lists_keep_their_tags() -> None:
    html = markdown_to_html("One $a$.\n\n- x\n- $y_i$")
    assert html == "<p>One \\(a\\).</p>\n<ul>\n<li>x</li>\n<li>\\(y_i\\)</li>\n</ul>"


def test_tables_render() -> None:
    assert "<table>" in markdown_to_html("| a | b |\n|---|---|\n| 1 | 2 |")


def test_inline_mode_never_makes_blocks() -> None:
    assert markdown_to_html("- not a list", inline=True) == "- not a list"


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<b>bold</b> <strong>s</strong> <i>it</i> <em>e</em>", "**bold** **s** *it* *e*"),
        ("one<br>two", "one\n\ntwo"),
        ("<div>one</div><div>two</div>", "one\n\ntwo"),
        ("a &amp; b &lt; c&nbsp;d", r"a & b \< c d"),
        ("<code>a*b_c</code>", "`a*b_c`"),
        ("x_1 * 2 costs $5", r"x\_1 \* 2 costs \$5"),
        ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
        ("<ol><li>a</li><li>b</li></ol>", "1. a\n1. b"),
        ('<a href="https://x.org">link</a>', "[link](https://x.org)"),
        ('<img src="p.png">', r"[image: p.png]"),
        ("#1 reason", r"\#1 reason"),
        (r"\(x_i &lt; 1\)", "$x_i < 1$"),
        (r"\[\sum_i x_i\]", "$$\\sum_i x_i$$"),
        (r"{{c1::\(\mu\)::mean}}", "{{c1::$\\mu$::mean}}"),
        ("<span style='color:red'>red</span>", "red"),
    ],
)
def test_html_to_markdown(html: str, markdown: str) -> None:
    assert html_to_markdown(html) == markdown


def test_plain_text_fields_are_only_escaped() -> None:
    assert html_to_markdown("a <b> *c* \\(x\\)", is_html=False) == r"a \<b> \*c\* $x$"


def test_round_trip_keeps_the_math() -> None:
    markdown = "Loss $L = -\\sum_i y_i \\log p_i$ per **batch**"
    assert html_to_markdown(markdown_to_html(markdown)) == markdown


@pytest.mark.parametrize(("markdown", "html"), [
    (r"$\href{javascript:alert(1)}{click}$", r"\({click}\)"),
    (r"$\href{java{}script:alert(1)}{x}$", r"\({x}\)"),  # MathJax reads the balanced group as the target
    (r"$\url{file:///etc/passwd}$", r"\(\text{(link left out)}\)"),
    (r"$\href {https://example.org}{paper}$", r"\(\href {https://example.org}{paper}\)"),
    (r"$\hrefx{a}$", r"\(\backslash\text{hrefx}{a}\)"),  # not a link, and outside the allow-list
])
def test_math_keeps_web_links_only(markdown: str, html: str) -> None:
    """MathJax makes \\href and \\url links, and Anki ran a shared card's `javascript:` one when clicked."""
    assert markdown_to_html(markdown) == html


@pytest.mark.parametrize(("markdown", "html"), [
    (r"$\style{position:fixed;inset:0;background:url(https://e.org/t.png)}{x}$", r"\({x}\)"),
    (r"$\class {answer}{x} + \cssId{qa}{y}$", r"\({x} + {y}\)"),
    (r"$\data{a=b}{x}\require{action}\toggle{a}{b}\endtoggle$", r"\({x}\backslash\text{toggle}{a}{b}\backslash\text{endtoggle}\)"),
    (r"$\style{a{}b}{x}$", r"\({x}\)"),  # MathJax reads the balanced group as the style
    (r"$\styles{a} \classify x$", r"\(\backslash\text{styles}{a} \backslash\text{classify} x\)"),
])
def test_math_sets_no_styles_classes_or_ids_of_the_page(markdown: str, html: str) -> None:
    """MathJax's \\style, \\class, \\cssId and \\data put a shared card's CSS and attributes on Anki's page
    (a \\style of position:fixed can cover the whole review screen), and \\require loads extensions."""
    assert markdown_to_html(markdown) == html


@pytest.mark.parametrize("target", ["vscode://file/etc/passwd", "javascript:alert(1)", "file:///etc/passwd",
                                    "data:text/html;base64,PHNjcmlwdD4=", "/tmp/slides.desktop", "JaVaScRiPt:x"])
def test_only_web_links_become_links_in_anki(target: str) -> None:
    """The app refuses to open these, but the Anki export wrote them as live links (and `data:` images)."""
    for markdown in (f"see [x]({target})", f"<{target}>", f"![i]({target})", f"[x][r]\n\n[r]: {target}"):
        html = markdown_to_html(markdown)
        assert "<a" not in html and "<img" not in html, html
    kept = markdown_to_html("[a](https://example.org) [b](mailto:me@example.org) <http://example.org>")
    assert kept.count("<a href=") == 3


def test_anki_html_imports_web_links_only() -> None:
    assert html_to_markdown('<a href="vscode://file/x">editor</a> <a href="https://e.org">paper</a>') == (
        "editor [paper](https://e.org)")


@pytest.mark.parametrize("field", ["\\(a" * 200_000, "\\[a" * 200_000, "\\(x\\) " * 100_000 + "\\[",
                                   "\\(a\\[b" * 100_000])
def test_unclosed_math_openers_are_read_in_linear_time(field: str) -> None:
    # The math pattern was retried from every unclosed '\(': 20,000 of them took 4.6 s, a 2 MB field hours
    started = time.perf_counter()
    markdown = html_to_markdown(field)
    assert time.perf_counter() - started < 5
    assert markdown.count("$") == 2 * field.count("\\)")


def test_a_long_run_of_spaces_is_read_in_linear_time() -> None:
    # Spaces before a line end are dropped with a pattern that was retried from every space: 40,000 spaces in a
    # <pre> took 0.8 s, a 2 MB field half an hour
    started = time.perf_counter()
    assert html_to_markdown("<pre>" + " " * 1_000_000 + "x \n y</pre>") == "```\n" + " " * 1_000_000 + "x\n y\n```"
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("field, markdown", [
    ("\\(a \\[b\\] c\\) d", "$a \\[b\\] c$ d"),
    ("\\[x\\(y\\] z\\)", "$$x\\(y$$ z\\\\)"),
    ("\\(open \\[x\\]", "\\\\(open $$x$$"),
    ("\\[open \\(x\\)", "\\\\\\[open $x$"),
])
def test_math_spans_are_found_as_before(field: str, markdown: str) -> None:
    assert html_to_markdown(field) == markdown
