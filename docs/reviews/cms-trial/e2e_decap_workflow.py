"""Decap's editorial workflow offline: decap-server with MODE=git keeps a draft as a local branch
(cms/<collection>/<slug>), as the GitHub backend keeps it as a pull request.

nice -n 10 /work/venv/bin/python e2e_decap_workflow.py
"""
import shutil
import subprocess

from e2e_decap import create_claim, start_decap_server
from harness import HERE, SHOTS, browser_page, static_server

WORK = HERE / "run-decap-git"
shutil.rmtree(WORK, ignore_errors=True)
shutil.copytree(HERE / "repo", WORK, symlinks=True)
server = start_decap_server(WORK, mode="git")
try:
    with static_server(HERE / "www/decap") as base, browser_page() as (page, log):
        create_claim(page, base)
        page.get_by_role("button", name="Save").first.click()
        page.wait_for_timeout(3000)
        page.goto(base + "/admin/#/workflow")
        page.wait_for_timeout(2000)
        page.screenshot(path=str(SHOTS / "decap_workflow.png"))
finally:
    server.terminate()
git = lambda *args: subprocess.run(["git", *args], cwd=WORK, capture_output=True, text=True).stdout
print(git("branch", "--list"))
print(git("show", "--stat", "--format=%s", "cms/claims/decap-end-to-end-claim"))
