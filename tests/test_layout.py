"""The house: feature packages that say what they hold, a README that names them, templates
mirrored per feature, and every routes module loaded by the blueprints."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from flask import Flask

from quiz import blueprints

ROOT = Path(__file__).resolve().parent.parent
QUIZ = ROOT / "quiz"
MAX_MODULES = 20  # DESIGN.md: a folder over ~20 modules is the sign to split again


def packages() -> list[Path]:
    """The sub-packages of quiz/."""
    return sorted(p.parent for p in QUIZ.glob("*/__init__.py"))


def layout_section() -> str:
    """The README's Layout section."""
    text = (ROOT / "README.md").read_text()
    return text.split("## Layout", 1)[1].split("\n## ", 1)[0]


def test_readme_layout_names_every_package() -> None:
    section = layout_section()
    missing = [p.name for p in packages() if f"`quiz/{p.name}/`" not in section]
    assert missing == []
    named = set(re.findall(r"`quiz/([a-z_]+)/`", section))
    assert named <= {p.name for p in packages()}, "the README names a package that is gone"


def test_no_package_grows_past_the_split_sign() -> None:
    sizes = {p.name: len(list(p.glob("*.py"))) for p in packages()}
    assert {name: n for name, n in sizes.items() if n > MAX_MODULES} == {}


def route_modules_on_disk() -> set[str]:
    """Modules under quiz/ that add views to the students' or teachers' blueprint."""
    found = set()
    for path in QUIZ.rglob("*.py"):
        text = path.read_text()
        if "quiz.blueprints import" in text and ("@bp.route" in text or "record_once" in text):
            found.add(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return found


def test_blueprints_load_every_routes_module() -> None:
    assert set(blueprints.ROUTE_MODULES) == route_modules_on_disk()


def rendered_templates() -> dict[str, str]:
    """Every template name a module under quiz/ renders, with the module that renders it."""
    names: dict[str, str] = {}
    for path in QUIZ.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"[a-z_]+(/[a-z_]+)+\.html", node.value)
            ):
                names[node.value] = str(path.relative_to(QUIZ))
    return names


def test_templates_are_mirrored_per_feature() -> None:
    rendered = rendered_templates()
    assert rendered, "no render_template call was found: the scan is broken"
    missing = sorted(name for name in rendered if not (ROOT / "templates" / name).is_file())
    assert missing == []
    # A feature's pages render from its own templates folder (errors/ belongs to quiz/errors.py).
    misplaced = {
        name: module
        for name, module in rendered.items()
        if name.split("/")[0] not in (module.split("/")[0], "errors")
    }
    assert misplaced == {}
    folders = {p.name for p in (ROOT / "templates").iterdir() if p.is_dir()}
    assert folders <= {p.name for p in packages()} | {"errors"}


def test_endpoints_keep_their_audience(app: Flask) -> None:
    """Every student's page is under /study, every teacher's under /teach, as before the split."""
    wrong = [
        (rule.rule, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("study.", "teach."))
        and not rule.rule.startswith("/" + rule.endpoint.split(".")[0] + "/")
    ]
    assert wrong == []
