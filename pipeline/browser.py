"""Headless Chromium (Debian's package) for the report: offline check, screenshots, PDF.

Usage: python -m pipeline.browser check|pdf [reports/rapport.html]
"""

from __future__ import annotations

import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

from pipeline.config import ROOT

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
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
    """A page of a fresh headless Chromium whose every network request is refused."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height})
        blocked: list[str] = []

        def route(request_route):
            url = request_route.request.url
            if url.startswith(("file:", "data:", "blob:", "about:")):
                request_route.continue_()
            else:
                blocked.append(url)
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.blocked = blocked
        try:
            yield page
        finally:
            browser.close()


def check(html: Path, screenshots: Path | None = None) -> dict:
    """Open the report offline at each viewport: console errors, network requests, figures,
    and the height of the synthesis in screens."""
    html = Path(html).resolve()
    result = {
        "console_errors": [],
        "blocked_requests": [],
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
            page.goto(html.as_uri())
            page.wait_for_function(ALL_RENDERED, timeout=60_000)
            result["figures"] = page.evaluate("document.querySelectorAll('.plotly-figure').length")
            result["rendered"] = page.evaluate(
                "document.querySelectorAll('.plotly-figure[data-rendered=true] .main-svg').length > 0"
                " ? document.querySelectorAll('.plotly-figure[data-rendered=true]').length : 0"
            )
            result["horizontal_overflow"] = page.evaluate(
                "document.documentElement.scrollWidth > window.innerWidth + 1"
            ) if name == "phone" else result.get("horizontal_overflow", False)  # fmt: skip
            result[f"synthesis_screens_{name}"] = page.evaluate(SYNTHESIS_SCREENS)
            result["blocked_requests"] += page.blocked
            if screenshots is not None:
                Path(screenshots).mkdir(parents=True, exist_ok=True)
                shot = Path(screenshots) / f"rapport-{name}.png"
                page.screenshot(path=str(shot), full_page=False)
                result["screenshots"].append(shot)
    return result


def print_pdf(html: Path, pdf: Path) -> Path:
    """The report printed to PDF: A4, chapters on new pages, figures kept whole."""
    from pipeline.io import atomic_path

    with offline_page(PRINT_WIDTH, 1000) as page:
        page.emulate_media(media="print")  # before loading: figures size to the print layout
        page.goto(Path(html).resolve().as_uri())
        page.wait_for_function(ALL_RENDERED, timeout=60_000)
        with atomic_path(Path(pdf)) as tmp:
            page.pdf(path=str(tmp), format="A4", print_background=True, display_header_footer=False,
                     margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})  # fmt: skip
    return Path(pdf)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"check", "pdf"}:
        print("usage: python -m pipeline.browser check|pdf [report.html]", file=sys.stderr)
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
    return 0 if not result["console_errors"] and result["figures"] == result["rendered"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
