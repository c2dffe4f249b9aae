"""The offline browser reads nothing but the report: no network, no `file:`, no dialog unseen."""

from __future__ import annotations

import pytest

from pipeline.report.browser import BrowserError, offline_page, passed, print_pdf

HOSTILE = """<html><body><p>texte</p>
<iframe src="file:///etc/passwd"></iframe><img src="http://example.com/x.png">
<script>alert("boom")</script></body></html>"""


def test_every_request_but_the_report_is_refused_and_dialogs_are_seen(tmp_path):
    page_file = tmp_path / "rapport.html"
    page_file.write_text(HOSTILE, encoding="utf-8")
    with offline_page(800, 600) as page:
        page.open(page_file)
        page.wait_for_load_state("load")
        assert page.evaluate("document.body.innerText").startswith("texte")
        assert "file:///etc/passwd" in page.refused
        assert any("example.com" in url for url in page.refused)
        assert page.dialogs == ["alert: boom"]


def test_a_report_that_asks_for_anything_is_not_printed(tmp_path):
    page_file = tmp_path / "rapport.html"
    page_file.write_text(HOSTILE, encoding="utf-8")
    with pytest.raises(BrowserError, match="file:///etc/passwd"):
        print_pdf(page_file, tmp_path / "rapport.pdf")
    assert not (tmp_path / "rapport.pdf").exists()


def test_check_fails_on_a_refused_request_or_a_dialog():
    clean = {"console_errors": [], "blocked_requests": [], "dialogs": [], "figures": 2, "rendered": 2}
    assert passed(clean)
    assert not passed(clean | {"blocked_requests": ["file:///etc/passwd"]})
    assert not passed(clean | {"dialogs": ["alert: 1"]})
    assert not passed(clean | {"rendered": 1})
