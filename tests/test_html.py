"""Every HTML page of the real site, and of the fixture site (which has the pages the real one
does not yet: people, bylines, the team), passes the Nu HTML Checker (npm vnu-jar) with no error."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from .conftest import FIXTURES, REPO
from .tools import CI_NODE_MODULES, require


@pytest.mark.parametrize("content, at_least", [(REPO / "content", 40), (FIXTURES / "basic" / "content", 20)],
                         ids=["real", "fixture"])
def test_every_page_is_valid_html(tmp_path, content, at_least):
    jar = CI_NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    require(jar if jar.is_file() else None, "vnu-jar", "npm ci --prefix .ci")
    java = require(shutil.which("java"), "Java", "apt-get install openjdk-17-jre-headless")
    out = tmp_path / "site"
    subprocess.run([sys.executable, "build.py", "--base-url", "https://owner.github.io/repo/", "--out", str(out),
                    "--no-cards", "--content", str(content)], cwd=REPO, check=True, capture_output=True)
    # Not /admin/ (a site with a repository has it): the CMS is third-party code, its page ours
    # but bare; tests/test_cms.py checks what it holds.
    pages = sorted(str(p) for p in out.rglob("*.html") if "admin" not in p.relative_to(out).parts[:1])
    assert len(pages) > at_least
    result = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [(m.get("url", "").rsplit("/site/", 1)[-1], m.get("lastLine"), m["message"]) for m in messages]
    assert errors == []
    assert result.returncode == 0
