"""Write /admin/ for Decap CMS and Sveltia CMS into www/<cms>/admin/, the config made from
repo/content/site.yml (verdicts and languages), the CMS bundle copied from node_modules (pinned
in package.json) with its licence beside it, and a meta Content-Security-Policy.

python make_admin.py [decap|sveltia ...]   CSP_DECAP / CSP_SVELTIA override the policies.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).parent
SITE = yaml.safe_load((HERE / "repo/content/site.yml").read_text(encoding="utf-8"))
NODE = HERE / "node_modules"

# The strictest policies each CMS ran under in the trial (REPORT.md, "CSP").
CSP = {
    "decap": ("default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' http://127.0.0.1:8081; "
              "worker-src 'self' blob:; frame-src 'self' blob:; manifest-src 'self'; base-uri 'none'; form-action 'none'"),
    "sveltia": ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; "
                "connect-src 'self' blob: data: https://api.github.com; worker-src 'self' blob:; "
                "frame-src 'self' blob:; base-uri 'none'; form-action 'none'"),
}


def fields(cms: str) -> list[dict]:
    verdicts = [{"label": v["label"], "value": str(v["slug"])} for v in SITE["verdicts"]]
    date = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
    return [
        {"name": "title", "label": "Title", "widget": "string", "i18n": True},
        {"name": "claim", "label": "Claim", "widget": "text", "i18n": True},
        {"name": "claimant", "label": "Claimant", "widget": "string"},
        {"name": "verdict", "label": "Verdict", "widget": "select", "options": verdicts},
        {"name": "summary", "label": "Summary", "widget": "text", "i18n": True},
        {"name": "published", "label": "Published", **date},
        {"name": "sources", "label": "Sources", "widget": "list", "required": False, "fields": [
            {"name": "source", "label": "Source id", "widget": "string"},
            {"name": "quote", "label": "Quote", "widget": "text", "required": False},
            {"name": "note", "label": "Note", "widget": "text", "required": False},
            {"name": "stance", "label": "Stance", "widget": "select",
             "options": ["supports", "contradicts", "context"]},
        ]},
        {"name": "body", "label": "Analysis", "widget": "markdown", "i18n": True},
    ]


def config(cms: str) -> dict:
    codes = [language["code"] for language in SITE.get("languages") or [{"code": SITE["language"]}]]
    i18n = {"structure": "multiple_files", "locales": codes, "default_locale": codes[0]}
    if cms == "sveltia":
        i18n["omit_default_locale_from_file_path"] = True  # <slug>.md + <slug>.uk.md
    conf: dict = {
        "backend": {"name": "github", "repo": "example/factsite", "branch": "main"},
        "publish_mode": "editorial_workflow",
        "media_folder": "content/media",
        "i18n": i18n,
        "collections": [{
            "name": "claims", "label": "Claims", "label_singular": "Claim",
            "folder": "content/claims", "create": True, "extension": "md", "format": "frontmatter",
            "slug": "{{slug}}", "summary": "{{title}}", "i18n": True,
            "fields": fields(cms),
        }],
    }
    if cms == "decap":
        conf["local_backend"] = {"url": "http://127.0.0.1:8081/api/v1"}
    else:
        conf["output"] = {"omit_empty_optional_fields": True, "yaml": {"quote": "double", "indent_sequences": True}}
    return conf


def index(cms: str, script: str) -> str:
    csp = os.environ.get(f"CSP_{cms.upper()}", CSP[cms])
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>Content manager</title>
<link rel="cms-config-url" type="application/yaml" href="config.yml">
</head>
<body>
<script{' type="module"' if cms == "sveltia" else ""} src="{script}"></script>
</body>
</html>
"""


def write(cms: str) -> None:
    admin = HERE / "www" / cms / "admin"
    shutil.rmtree(admin.parent, ignore_errors=True)
    admin.mkdir(parents=True)
    if cms == "decap":
        dist = NODE / "decap-cms/dist"
        for path in dist.iterdir():  # the bundle, its lazily loaded chunks and wasm, no source maps
            if path.name.endswith((".decap-cms.js", ".wasm")) or path.name in ("decap-cms.js", "decap-cms.js.LICENSE.txt"):
                shutil.copy(path, admin / path.name)
        shutil.copy(NODE / "decap-server/LICENSE", admin / "LICENSE.txt")  # decap-cms ships none; same repo, MIT
        version = json.loads((NODE / "decap-cms/package.json").read_text())["version"]
        script = "decap-cms.js"
    else:
        # The package's ES module build (npm/): unlike dist/sveltia-cms.js it loads its fonts from
        # its own assets/ instead of cdn.jsdelivr.net and does not ask unpkg.com for updates.
        npm = NODE / "@sveltia/cms/npm"
        shutil.copytree(npm, admin / "sveltia", ignore=shutil.ignore_patterns("*.map"))
        shutil.copy(NODE / "@sveltia/cms/LICENSE.txt", admin / "LICENSE.txt")
        (admin / "init.js").write_text('import CMS from "./sveltia/index.js";\n\nCMS.init();\n')
        version = json.loads((NODE / "@sveltia/cms/package.json").read_text())["version"]
        script = "init.js"
    (admin / "VERSION").write_text(version + "\n")
    (admin / "config.yml").write_text(yaml.safe_dump(config(cms), sort_keys=False, allow_unicode=True), encoding="utf-8")
    (admin / "index.html").write_text(index(cms, script), encoding="utf-8")


if __name__ == "__main__":
    for name in sys.argv[1:] or ["decap", "sveltia"]:
        write(name)
        print("wrote", HERE / "www" / name / "admin")
