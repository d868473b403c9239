"""Nothing leaves the machine: index, query and the app run in a network namespace that has only loopback,
with every connect() they make traced; they must work and must not even try to reach another address."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import QUESTION, SEEDS, free_port

pytestmark = pytest.mark.slow  # the real model, Chroma, processes or chromium

ADDRESS = re.compile(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"')
DRIVER = """
import json, sys, time, urllib.request
url = sys.argv[1]
for _ in range(600):
    try:
        page = urllib.request.urlopen(url, timeout=2).read().decode()
        break
    except OSError:
        time.sleep(0.5)
from gradio_client import Client
answer = Client(url, verbose=False).predict(sys.argv[2], 5, api_name="/ask")

import asyncio
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

async def through_mcp():
    async with streamable_http_client(url + "gradio_api/mcp/") as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            return json.loads((await session.call_tool("ask", {"question": sys.argv[2]})).content[0].text)

print(json.dumps({"page": "askcorpus" in page, "answer": answer, "mcp": asyncio.run(through_mcp())}))
"""


def guarded(script: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run shell `script` in a network namespace of its own: loopback works, every other address is unreachable.
    Inside it, `$TRACE command` runs a command with all its connect() calls (its children's too) logged."""
    for tool in ("unshare", "strace", "ip"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is needed for the offline test (make test installs it)")
    trace = f"strace -f -qq -e trace=connect -o {shlex.quote(str(cwd / 'connects.log'))}"
    namespace = ["unshare", "--net"] if os.geteuid() == 0 else ["unshare", "--map-root-user", "--net"]
    return subprocess.run([*namespace, "sh", "-c", f"ip link set lo up && TRACE='{trace}' && {script}"],
                          capture_output=True, text=True, cwd=cwd, timeout=900)


def outside_connects(cwd: Path) -> list[str]:
    """The traced connect() calls to anything but loopback."""
    calls = (cwd / "connects.log").read_text().splitlines()
    outside = []
    for call in calls:
        for v4, v6 in ADDRESS.findall(call):
            address = v4 or v6
            if not (address.startswith("127.") or address in ("::1", "::ffff:127.0.0.1")):
                outside.append(call)
    return outside


def test_the_guard_catches_an_outside_connection(tmp_path):
    probe = "import socket; s = socket.socket(); s.settimeout(3); print(s.connect_ex(('1.1.1.1', 80)))"
    result = guarded(f"$TRACE {shlex.quote(sys.executable)} -c {shlex.quote(probe)}", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() != "0"  # unreachable in the namespace
    assert len(outside_connects(tmp_path)) == 1


def test_index_and_query_work_offline_and_try_nothing_outside(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    python = shlex.quote(sys.executable)
    where = "--seeds seeds --index index"
    result = guarded(f"$TRACE {python} -m askcorpus index --quiet {where} && "
                     f"$TRACE {python} -m askcorpus query {shlex.quote(QUESTION)} --json {where}", tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.splitlines()[-1])
    assert answer["quotes"][0]["source"] == "003_a6245cd8f77849b7.txt"
    assert outside_connects(tmp_path) == []


def test_the_app_works_offline_and_tries_nothing_outside(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "driver.py").write_text(DRIVER, encoding="utf-8")
    python, port = shlex.quote(sys.executable), free_port()
    result = guarded(
        f"$TRACE {python} -m askcorpus serve --mcp --seeds seeds --index index --port {port} > server.log 2>&1 & "
        f"server=$!; {python} driver.py http://127.0.0.1:{port}/ {shlex.quote(QUESTION)}; status=$?; "
        f"pkill -TERM -P $server; wait $server; exit $status", tmp_path)
    assert result.returncode == 0, result.stderr + (tmp_path / "server.log").read_text()
    reply = json.loads(result.stdout.splitlines()[-1])
    assert reply["page"] and reply["answer"]["quotes"][0]["source"] == "003_a6245cd8f77849b7.txt"
    assert reply["mcp"] == reply["answer"]  # the MCP tool call, traced too
    assert outside_connects(tmp_path) == []
