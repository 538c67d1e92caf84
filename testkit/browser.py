"""Check an HTML report in headless Chromium: it renders, and no text overflows.

Used by bench/bench_report.py and tests/test_report_chromium.py. ``layout_problems``
loads a copy of the report with a small checking script appended (the report itself
has no script) and reads the verdict back from the DOM that Chromium dumps.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

A4_WINDOW = (1240, 1754)  # A4 at 150 dpi
PRINT_WINDOW = (794, 1123)  # A4 at 96 dpi: the width the page has when printed
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars")

CHECK_SCRIPT = """
<script>
(function () {
  var out = [];
  window.addEventListener('error', function (e) { out.push('script error: ' + e.message); });
  window.addEventListener('load', function () {
    try {
      document.querySelectorAll('body *').forEach(function (el) {
        if (el.closest('svg')) return;
        var cs = getComputedStyle(el);
        if (el.clientWidth > 0 && cs.overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1)
          out.push('overflow: <' + el.tagName.toLowerCase() + '> ' + (el.textContent || '').trim().slice(0, 60));
      });
      document.querySelectorAll('svg').forEach(function (svg) {
        var vb = svg.viewBox.baseVal;
        svg.querySelectorAll('text').forEach(function (tx) {
          var w = tx.getComputedTextLength(), b = tx.getBBox();
          if (tx.dataset.maxw && w > +tx.dataset.maxw + 1)
            out.push('svg label too wide: ' + tx.textContent + ' (' + w.toFixed(0) + ' > ' + tx.dataset.maxw + ')');
          if (b.x < vb.x - 1 || b.x + b.width > vb.x + vb.width + 1)
            out.push('svg text outside its chart: ' + tx.textContent);
        });
      });
      if (document.documentElement.scrollWidth > window.innerWidth + 1)
        out.push('page wider than the window: ' + document.documentElement.scrollWidth);
      if (!document.querySelector('h1')) out.push('no title rendered');
    } catch (e) { out.push('check failed: ' + e); }
    var pre = document.createElement('pre');
    pre.id = 'tk-check';
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  });
})();
</script>
"""


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _run(args: list[str], timeout_s: float) -> subprocess.CompletedProcess:
    exe = find_chromium()
    if exe is None:
        raise FileNotFoundError("chromium is not installed (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="tk-chromium-") as profile:
        return subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout_s)


def screenshot(html_path: Path, png_path: Path, window: tuple[int, int] = A4_WINDOW,
               timeout_s: float = 60.0) -> Path:
    """Save a PNG of the page as Chromium renders it."""
    png_path = Path(png_path)
    png_path.unlink(missing_ok=True)
    proc = _run([f"--screenshot={png_path}", f"--window-size={window[0]},{window[1]}",
                 Path(html_path).resolve().as_uri()], timeout_s)
    if proc.returncode != 0 or not png_path.is_file():
        raise RuntimeError(f"chromium screenshot failed ({proc.returncode}): {proc.stderr[-500:]}")
    return png_path


def layout_problems(html_text: str, window: tuple[int, int] = A4_WINDOW, timeout_s: float = 60.0) -> list[str]:
    """Render the report and list overflowing text, script errors, missing content."""
    with tempfile.TemporaryDirectory(prefix="tk-report-") as tmp:
        page = Path(tmp) / "check.html"
        page.write_text(html_text.replace("</body>", CHECK_SCRIPT + "</body>"), encoding="utf-8")
        proc = _run(["--dump-dom", f"--window-size={window[0]},{window[1]}", page.as_uri()], timeout_s)
    if proc.returncode != 0:
        return [f"chromium failed ({proc.returncode}): {proc.stderr[-500:]}"]
    found = re.search(r'<pre id="tk-check">(.*?)</pre>', proc.stdout, re.S)
    if not found:
        return ["the page did not finish loading (no check result in the DOM)"]
    return list(json.loads(html.unescape(found.group(1))))


def pdf_pages(html_path: Path, pdf_path: Path, timeout_s: float = 60.0) -> int:
    """Print the page to an A4 PDF (as a browser's "print" does) and count its pages."""
    pdf_path = Path(pdf_path)
    pdf_path.unlink(missing_ok=True)
    proc = _run(["--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", Path(html_path).resolve().as_uri()],
                timeout_s)
    if proc.returncode != 0 or not pdf_path.is_file():
        raise RuntimeError(f"chromium print failed ({proc.returncode}): {proc.stderr[-500:]}")
    return len(re.findall(rb"/Type\s*/Page\b", pdf_path.read_bytes()))


def png_size(path: Path) -> tuple[int, int]:
    data = Path(path).read_bytes()[:24]
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def png_is_blank(path: Path) -> bool:
    """True when the image is (nearly) one colour: nothing was drawn."""
    import zlib

    data = Path(path).read_bytes()
    idat, pos = b"", 8
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    return len(set(raw[::97])) < 8
