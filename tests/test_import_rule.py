"""Imports go one way: web -> domains -> legal, mail. Among the domains, exports and letters
may import cases and signatures, which may import people and petitions, which may import
accounts; legal and mail import no domain; nothing but the application factory imports web.
No domain reads the request or renders a page: that is the doors' work (mail bodies render in
mail, letter documents in letters.render).

Every module's imports are read with ast, those inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "campaign"

# Modules every layer may import.
INFRASTRUCTURE = {"config", "csvsafe", "database", "errors", "extensions", "geography",
                  "link_tokens", "logs", "markdown", "types", "urls"}
# A domain may import only domains of a lower tier.
TIERS = {"accounts": 1, "people": 2, "petitions": 2, "cases": 3, "signatures": 3,
         "exports": 4, "letters": 4}
BELOW_DOMAINS = {"legal", "mail"}
# The application factory (campaign/__init__.py) wires every layer together; the demo data
# is loaded through every domain.
COMPOSITION = {"demo", "demo_cases", "demo_letters"}
# What only a door may use: the request, its session, and page rendering.
REQUEST_BOUND = {("flask", "request"), ("flask", "g"), ("flask", "session"),
                 ("flask", "render_template"), ("flask", "render_template_string"),
                 ("flask", "flash"), ("flask_login", "current_user")}
MAY_RENDER = {"letters/render.py"}


def _layer(module: str) -> str:
    """The first name after `campaign.`: a domain, web, or an infrastructure module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(source: str) -> list[tuple[int, str, str]]:
    """(line, module, name) of every import; name is "" for a plain `import x`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, "") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [(node.lineno, node.module, alias.name) for alias in node.names]
            found += [(node.lineno, f"{node.module}.{alias.name}", "") for alias in node.names
                      if node.module == "campaign"]
    return found


def _allowed(layer: str, target: str) -> bool:
    if target == layer or target in INFRASTRUCTURE:
        return True
    if layer == "web":
        return target not in COMPOSITION
    if target == "web":
        return False
    if layer in COMPOSITION:
        return True
    if layer in TIERS:
        return target in BELOW_DOMAINS or TIERS.get(target, 99) < TIERS[layer]
    if layer in BELOW_DOMAINS:
        return target in BELOW_DOMAINS
    return False  # infrastructure imports only infrastructure


def violations(path: str, source: str) -> list[str]:
    """What the module at `path` (relative to campaign/) imports against the rule."""
    module = ("campaign." + path.removesuffix(".py").replace("/", ".")).removesuffix(".__init__")
    layer = _layer(module)
    found = []
    for line, imported, name in _imports(source):
        where = f"{path}:{line}"
        if imported.startswith("campaign.") and module != "campaign" and \
                not _allowed(layer, _layer(imported)):
            found.append(f"{where} imports {imported}")
        if (layer in TIERS or layer in BELOW_DOMAINS) and (imported, name) in REQUEST_BOUND \
                and not (name.startswith("render_template") and path in MAY_RENDER):
            found.append(f"{where} uses {imported}.{name}, which belongs to a door")
    return found


def test_every_module_imports_the_way_the_layers_go():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += violations(path.relative_to(PACKAGE).as_posix(), path.read_text())
    assert found == []


def test_the_rule_knows_every_package():
    layers = {path.relative_to(PACKAGE).parts[0].removesuffix(".py")
              for path in PACKAGE.rglob("*.py")} - {"__init__"}
    assert layers - INFRASTRUCTURE - set(TIERS) - BELOW_DOMAINS - COMPOSITION == {"web"}


def test_a_domain_importing_a_higher_domain_is_caught():
    assert violations("petitions/services.py",
                      "from campaign.signatures.counters import signature_count\n") == [
        "petitions/services.py:1 imports campaign.signatures.counters"]


def test_domains_of_one_tier_may_not_import_each_other():
    assert violations("letters/services.py", "def f():\n    import campaign.exports.streams\n")


def test_a_domain_importing_a_door_or_the_request_is_caught():
    source = ("from flask import current_app, request\n"
              "from campaign.web.workspace.access import scoped_or_404\n")
    assert violations("signatures/services.py", source) == [
        "signatures/services.py:1 uses flask.request, which belongs to a door",
        "signatures/services.py:2 imports campaign.web.workspace.access"]


def test_mail_and_legal_import_no_domain_and_infrastructure_imports_no_layer():
    assert violations("mail/services.py", "from campaign.signatures.models import Signature\n")
    assert violations("urls.py", "from campaign.accounts.models import User\n")
    assert violations("urls.py", "from campaign import web\n")


def test_lower_tiers_infrastructure_and_doors_are_allowed():
    assert violations("letters/services.py", "from campaign.signatures.services import "
                      "public_goal\nfrom campaign.legal.catalogue import catalogue\n"
                      "from campaign.mail.services import queue_message\n") == []
    assert violations("web/public/pages.py", "from flask import request, render_template\n"
                      "from campaign.signatures import counters\n") == []
