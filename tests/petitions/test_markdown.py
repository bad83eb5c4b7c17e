"""Organisers' Markdown is rendered, and anything that could run in a reader's browser is not."""

from campaign.markdown import render_markdown


def test_markdown_becomes_html():
    html = render_markdown("**Release** them.\n\n- one\n- two")
    assert "<strong>Release</strong>" in html
    assert "<li>one</li>" in html


def test_script_tags_are_not_passed_through():
    html = render_markdown("Hello <script>alert(1)</script> <img src=x onerror=alert(1)>")
    assert "<script" not in html
    assert "<img" not in html


def test_javascript_links_are_dropped_and_links_get_a_safe_rel():
    html = render_markdown("[click](javascript:alert(1)) and [ICRC](https://www.icrc.org/)")
    assert "href=\"javascript" not in html
    assert 'href="https://www.icrc.org/"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
