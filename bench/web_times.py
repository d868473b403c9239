"""Time the chat app as a user meets it: `askcorpus serve` to a usable page (fresh and existing index),
and question to rendered answer in Debian chromium.

Usage: python bench/web_times.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUESTIONS = ["Wer vermittelte den Austausch von Kriegsgefangenen?", "Wo befand sich Putin während des Telefonats?",
             "Wer hat Steve Witkoff in Moskau empfangen?", "Was setzt Russland trotz der laufenden Gespräche fort?",
             "Wie ist das Wetter morgen in Berlin?"]


def start_to_usable_page(browser, seeds: Path, index: Path) -> tuple[float, subprocess.Popen, str]:
    """Seconds from starting `askcorpus serve` until the page shows its question box."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "NO_PROXY": "127.0.0.1,localhost"}
    started = time.perf_counter()
    process = subprocess.Popen([str(Path(sys.executable).parent / "askcorpus"), "serve", "--seeds", str(seeds),
                                "--index", str(index), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}/"
    page = browser.new_page()
    while True:
        try:
            page.goto(url, timeout=2000)
            page.wait_for_selector('#ac-input textarea[data-testid="textbox"]', timeout=30_000)
            break
        except Exception:
            if process.poll() is not None:
                raise SystemExit("server exited") from None
            time.sleep(0.2)
    elapsed = time.perf_counter() - started
    page.close()
    return elapsed, process, url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="askcorpus-web-"))
    seeds = work / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    fresh, existing, answers = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for run in range(args.runs):
            shutil.rmtree(work / "index", ignore_errors=True)
            for bucket in (fresh, existing):
                elapsed, process, url = start_to_usable_page(browser, seeds, work / "index")
                bucket.append(elapsed)
                if bucket is existing and run == 0:
                    page = browser.new_page()
                    page.goto(url)
                    page.wait_for_selector('#ac-input textarea[data-testid="textbox"]')
                    for n, question in enumerate(QUESTIONS * 2):
                        started = time.perf_counter()
                        page.fill('#ac-input textarea[data-testid="textbox"]', question)
                        page.click('button[data-testid="submit-button"]')
                        page.wait_for_function(
                            "n => document.querySelectorAll('[data-testid=\"bot\"] .ac-quote, [data-testid=\"bot\"] "
                            ".ac-abstain').length > n", arg=n)
                        answers.append(time.perf_counter() - started)
                    page.close()
                process.terminate()
                process.wait(timeout=30)
        browser.close()
    print(f"serve -> usable page, fresh index:    median {statistics.median(fresh):.1f} s over {len(fresh)} runs "
          f"({', '.join(f'{t:.1f}' for t in fresh)})")
    print(f"serve -> usable page, existing index: median {statistics.median(existing):.1f} s over {len(existing)} runs "
          f"({', '.join(f'{t:.1f}' for t in existing)})")
    print(f"question -> answer shown in chromium: median {statistics.median(answers) * 1000:.0f} ms, "
          f"max {max(answers) * 1000:.0f} ms over {len(answers)} questions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
