"""/admin/ as the build writes it: Sveltia CMS's configuration made from site.yml and the content's
tables, the admin page's own policy, and its place in the site (on no menu, in no sitemap, feed
or search index). tests/test_cms_browser.py runs it."""

from __future__ import annotations

import json
import re

import yaml

from factsite.commands.build import build
from factsite.read.schema import CLAIM_FIELDS, PAGE_FIELDS, PERSON_FIELDS, SOURCE_FIELDS, WORDINGS

from .conftest import REPO, contents_of, with_ukrainian

POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def built(project, tmp_path, **options):
    out = tmp_path / "site"
    build(project, out, cards=False, search=False, **options)
    return out


def config_of(out) -> dict:
    return yaml.safe_load((out / "admin/config.yml").read_text("utf-8"))


def fields_of(config: dict, collection: str) -> dict:
    found = next(c for c in config["collections"] if c["name"] == collection)
    return {field["name"]: field for field in found["fields"]}


def test_the_config_offers_what_site_yml_and_the_schema_allow(project, tmp_path):
    config = config_of(built(with_ukrainian(project), tmp_path))
    settings = yaml.safe_load((project.content_dir / "site.yml").read_text("utf-8"))
    claims = fields_of(config, "claims")
    assert claims["verdict"]["widget"] == "select" and claims["verdict"]["options"] == [
        {"label": v["label"], "value": str(v["slug"])} for v in settings["verdicts"]]
    assert claims["topics"] | {} == {**claims["topics"], "widget": "select", "multiple": True, "options": [
        {"label": t["name"], "value": t["slug"]} for t in settings["topics"]]}
    assert claims["claim_wording"]["options"] == list(WORDINGS)
    for date in ("published", "updated", "claim_date"):
        assert (claims[date]["widget"], claims[date]["format"], claims[date]["time_format"]) == \
            ("datetime", "YYYY-MM-DD", False)
    assert [f["name"] for f in fields_of(config, "claims")["sources"]["fields"]] == ["source", "quote", "note", "stance"]
    assert claims["body"]["widget"] == "markdown"
    # Every field of every file, in the schema's order (the files' order), and nothing else.
    for name, schema, extra in (("claims", CLAIM_FIELDS, ["body"]), ("sources", SOURCE_FIELDS, []),
                                ("people", PERSON_FIELDS, []), ("pages", PAGE_FIELDS, ["body"])):
        assert list(fields_of(config, name)) == list(schema) + extra, name
    # Translated: only what a translation may hold (read/translations.py).
    assert {name for name, f in claims.items() if f.get("i18n")} == {"title", "claim", "summary", "body"}
    assert config["i18n"] == {"structure": "multiple_files", "locales": ["en-GB", "uk"], "default_locale": "en-GB",
                              "omit_default_locale_from_file_path": True, "initial_locales": "default"}
    assert config["output"] == {"omit_empty_optional_fields": True, "yaml": {"quote": "double", "indent_sequences": True}}
    assert config["backend"] == {"name": "github", "repo": "test-owner/test-check", "branch": "main"}
    assert config["publish_mode"] == "editorial_workflow"


def test_a_changed_verdict_label_rewrites_the_config(project, tmp_path, settled):
    out = built(project, tmp_path)
    settings = project.content_dir / "site.yml"
    settings.write_text(settings.read_text("utf-8").replace('label: "True"', 'label: "Correct"', 1), "utf-8")
    build(project, out, cards=False, search=False)
    assert {"label": "Correct", "value": "true"} in fields_of(config_of(out), "claims")["verdict"]["options"]
    reference = built(project, tmp_path / "cold")
    assert contents_of(out) == contents_of(reference)


def test_admin_has_its_own_policy_and_the_site_keeps_its(project, tmp_path):
    out = built(project, tmp_path)
    admin = (out / "admin/index.html").read_text("utf-8")
    policy = POLICY.search(admin)[1]
    site_policy = POLICY.search((REPO / "templates/base.html").read_text("utf-8"))[1]
    assert policy != site_policy and "'unsafe-eval'" not in policy and "script-src 'self';" in policy
    assert "connect-src 'self' blob: data: https://api.github.com;" in policy
    assert "https://avatars.githubusercontent.com" in policy
    assert '<meta name="robots" content="noindex">' in admin
    assert "<script type=\"module\" src=\"/admin/init.js?v=" in admin and "<script>" not in admin
    for page in ("index.html", "claims/budget-doubled/index.html", "about/index.html"):
        assert POLICY.search((out / page).read_text("utf-8"))[1] == site_policy, page


def test_admin_is_in_no_sitemap_feed_search_or_menu(project, tmp_path):
    out = built(project, tmp_path)
    for name in ("sitemap.xml", "feed.xml", "claims.json", "index.html", "about/index.html"):
        assert "admin/" not in (out / name).read_text("utf-8"), name
    assert not (out / "uk/admin").exists()


def test_admin_is_the_vendored_cms_byte_for_byte_and_builds_the_same_twice(project, tmp_path):
    first, second = built(project, tmp_path / "a"), built(project, tmp_path / "b")
    assert contents_of(first) == contents_of(second)
    vendored = REPO / "static/admin"
    for path in vendored.rglob("*"):
        if path.is_file():
            assert (first / "admin" / path.relative_to(vendored)).read_bytes() == path.read_bytes()
    assert {p.name for p in (first / "admin").iterdir()} == {"config.yml", "index.html", "init.js", "sveltia"}


def test_no_repository_no_admin(project, tmp_path):
    settings = project.content_dir / "site.yml"
    settings.write_text(re.sub(r"(?m)^repository:.*\n", "", settings.read_text("utf-8")), "utf-8")
    assert not (built(project, tmp_path) / "admin").exists()


def test_hostile_verdict_labels_stay_data_in_the_config(project, tmp_path):
    label = '"]} </script><script>alert(1)</script> {x: y} - *a'
    settings = project.content_dir / "site.yml"
    settings.write_text(settings.read_text("utf-8").replace('label: "True"', "label: " + json.dumps(label), 1), "utf-8")
    out = built(project, tmp_path)
    assert fields_of(config_of(out), "claims")["verdict"]["options"][0]["label"] == label
    assert "alert" not in (out / "admin/index.html").read_text("utf-8")
