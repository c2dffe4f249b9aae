"""Headless Chromium (Debian's package) for the report: offline check, screenshots, PDF.

Usage: python -m pipeline.report.browser check|pdf [reports/rapport.html]
"""

from __future__ import annotations

import re
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

from pipeline.core.config import ROOT
from pipeline.core.io import atomic_path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
REPORT_URL = "https://rapport.invalid/rapport.html"  # .invalid: a name that resolves nowhere
LOCAL_REFUSED = re.compile(r"Not allowed to load local resource: (\S+)")
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
PRINT_WIDTH = 700  # px: A4 less the margins, so that figures are drawn at the printed width
# Height of the synthesis, from its heading to the bottom of the key figures, in viewport heights.
SYNTHESIS_SCREENS = (
    "(document.querySelector('.key-figures').getBoundingClientRect().bottom"
    " - document.getElementById('synthese').getBoundingClientRect().top) / window.innerHeight"
)
ALL_RENDERED = (
    "document.querySelectorAll('.plotly-figure').length === "
    "document.querySelectorAll('.plotly-figure[data-rendered=true]').length"
)


class BrowserError(RuntimeError):
    """Chromium is missing or the report misbehaves in it."""


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    raise BrowserError("chromium not found: `make browser` installs Debian's chromium package")


@contextmanager
def offline_page(width: int, height: int):
    """A page of a fresh headless Chromium that can read nothing but the report.

    `page.open(html)` serves the report's bytes at a made-up https address: every other request
    (network, `file:`, another page) is refused and listed in `page.refused`, and every dialog
    (`alert`, `confirm`…) is dismissed and listed in `page.dialogs`. A file loaded from `file:`
    could read the disk through an iframe; a page served this way cannot."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height})
        served: dict[str, bytes] = {}
        refused: list[str] = []

        def route(request_route):
            url = request_route.request.url
            if url in served:
                request_route.fulfill(body=served[url], content_type="text/html; charset=utf-8")
            elif url.startswith("data:"):  # inline, reads nothing
                request_route.continue_()
            else:
                refused.append(url)
                request_route.abort("blockedbyclient")

        context.route("**/*", route)
        page = context.new_page()
        page.refused, page.dialogs = refused, []
        page.on("dialog", lambda d: (page.dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
        # A `file:` address never reaches the route: Chromium refuses it first, and says so.
        page.on("console", lambda m: (match := LOCAL_REFUSED.match(m.text)) and refused.append(match[1]))

        def open_report(html: Path) -> None:
            served[REPORT_URL] = Path(html).read_bytes()
            page.goto(REPORT_URL)

        page.open = open_report
        try:
            yield page
        finally:
            browser.close()


def wait_for_figures(page) -> None:
    try:
        page.wait_for_function(ALL_RENDERED, timeout=60_000)
    except Exception as exc:  # playwright's TimeoutError, or a page that closed
        raise BrowserError(
            "figures did not render within 60 s (a script of the page failed?); "
            f"refused requests: {page.refused[:5]}, dialogs: {page.dialogs[:5]}"
        ) from exc


def check(html: Path, screenshots: Path | None = None) -> dict:
    """Open the report offline at each viewport: console errors, refused requests, dialogs,
    figures, and the height of the synthesis in screens."""
    html = Path(html).resolve()
    result = {
        "console_errors": [],
        "blocked_requests": [],
        "dialogs": [],
        "figures": 0,
        "rendered": 0,
        "screenshots": [],
    }
    for name, (width, height) in VIEWPORTS.items():
        with offline_page(width, height) as page:
            page.on(
                "console", lambda m: m.type == "error" and result["console_errors"].append(m.text)
            )
            page.on("pageerror", lambda e: result["console_errors"].append(str(e)))
            page.open(html)
            wait_for_figures(page)
            result["figures"] = page.evaluate("document.querySelectorAll('.plotly-figure').length")
            result["rendered"] = page.evaluate(
                "document.querySelectorAll('.plotly-figure[data-rendered=true] .main-svg').length > 0"
                " ? document.querySelectorAll('.plotly-figure[data-rendered=true]').length : 0"
            )
            result["horizontal_overflow"] = page.evaluate(
                "document.documentElement.scrollWidth > window.innerWidth + 1"
            ) if name == "phone" else result.get("horizontal_overflow", False)  # fmt: skip
            result[f"synthesis_screens_{name}"] = page.evaluate(SYNTHESIS_SCREENS)
            result["blocked_requests"] += page.refused
            result["dialogs"] += page.dialogs
            if screenshots is not None:
                Path(screenshots).mkdir(parents=True, exist_ok=True)
                shot = Path(screenshots) / f"rapport-{name}.png"
                page.screenshot(path=str(shot), full_page=False)
                result["screenshots"].append(shot)
    return result


def print_pdf(html: Path, pdf: Path) -> Path:
    """The report printed to PDF: A4, chapters on new pages, figures kept whole."""
    with offline_page(PRINT_WIDTH, 1000) as page:
        page.emulate_media(media="print")  # before loading: figures size to the print layout
        page.open(html)
        wait_for_figures(page)
        if page.refused or page.dialogs:
            raise BrowserError(f"{html}: the report asked for {page.refused[:5]} or opened "
                               f"dialogs {page.dialogs[:5]}; nothing printed")  # fmt: skip
        with atomic_path(Path(pdf)) as tmp:
            page.pdf(path=str(tmp), format="A4", print_background=True, display_header_footer=False,
                     margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})  # fmt: skip
    return Path(pdf)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"check", "pdf"}:
        print("usage: python -m pipeline.report.browser check|pdf [report.html]", file=sys.stderr)
        return 2
    html = Path(argv[1]) if len(argv) > 1 else ROOT / "reports" / "rapport.html"
    if not html.exists():
        print(f"{html}: not found; run `make study` first", file=sys.stderr)
        return 1
    try:
        if argv[0] == "pdf":
            print(f"pdf: {print_pdf(html, html.with_suffix('.pdf'))}")
            return 0
        result = check(html, html.parent / "screenshots")
    except BrowserError as exc:
        print(f"browser: {exc}", file=sys.stderr)
        return 1
    print(result)
    return 0 if passed(result) else 1


def passed(result: dict) -> bool:
    """No script error, nothing refused, no dialog, every figure drawn."""
    return not (result["console_errors"] or result["blocked_requests"] or result["dialogs"]) and (
        result["figures"] == result["rendered"]
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
