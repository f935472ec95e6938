"""The native YAML format: one question set per file (questions/*.yaml). Pure."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from quiz.questions import Question, QuestionError, question_from_dict, question_to_dict
from quiz.questions.base import Fields, describe_value

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SET_FIELDS = ("slug", "title", "description", "source", "source_text", "tags", "questions")
BLANK_LINES = re.compile(r"\n[ \t]*\n")


class BankError(ValueError):
    """A question-set file that cannot be used; the message names the file, place and problem."""


@dataclass(frozen=True)
class QuestionData:
    """One question of a set with its stable key (the YAML `id`)."""

    key: str
    question: Question


@dataclass(frozen=True)
class SetData:
    """One question set as read from its file."""

    slug: str
    title: str
    description: str
    source: dict[str, Any]
    tags: tuple[str, ...]
    questions: tuple[QuestionData, ...]
    # Optional text the questions come from; paragraphs are split on blank lines, from 1.
    source_text: str = ""


def count_paragraphs(text: str) -> int:
    """How many paragraphs (blocks between blank lines) a source text has."""
    return len([block for block in BLANK_LINES.split(text.strip()) if block.strip()])


class _StrictLoader(yaml.SafeLoader):
    """The safe loader, refusing a key written twice in one mapping (YAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping after checking its keys are distinct."""
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key '{key_node.value}' appears twice", key_node.start_mark
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """An integer of at most MAX_INT_CHARACTERS characters: int() refuses more than
        4,300 digits with a ValueError, which no caller of a loader expects."""
        if len(str(node.value)) > MAX_INT_CHARACTERS:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number of {len(node.value):,} characters", node.start_mark
            )
        return int(super().construct_yaml_int(node))


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)
MAX_INT_CHARACTERS = 100


def _load(text: str, filename: str) -> tuple[Any, list[int]]:
    """The YAML document and the line of each item of its `questions` list."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        where = f", line {error.problem_mark.line + 1}" if error.problem_mark else ""
        raise BankError(f"{filename}{where}: {error.problem or error.context}") from error
    except yaml.YAMLError as error:
        raise BankError(f"{filename}: {error}") from error
    finally:
        loader.dispose()
    lines: list[int] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == "questions" and isinstance(value_node, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in value_node.value]
    return data, lines


def _read_source(value: Any) -> dict[str, Any]:
    """The optional set-level `source`: a mapping of names to plain values."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise QuestionError("source: must be a mapping, such as {article: ..., title: ...}")
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str | int | float | bool):
            raise QuestionError(f"source.{key}: must be a string or a number")
    return dict(value)


def _read_question(item: Any) -> QuestionData:
    """One item of `questions`: its `id` and the question's fields."""
    if not isinstance(item, Mapping):
        raise QuestionError("must be a mapping of fields")
    key = item.get("id")
    if not isinstance(key, str) or not SLUG.fullmatch(key):
        raise QuestionError("id: required, made of lower-case letters, digits and hyphens")
    question = question_from_dict({name: value for name, value in item.items() if name != "id"})
    return QuestionData(key=key, question=question)


def parse_set(text: str, filename: str) -> SetData:
    """Read one set from YAML text; BankError names the file, the question and the problem."""
    data, lines = _load(text, filename)
    if not isinstance(data, Mapping):
        problem = f"must be a mapping with slug, title and questions{describe_value(data)}"
        raise BankError(f"{filename}: {problem}")
    try:
        fields = Fields(data, "", SET_FIELDS)
        slug = fields.text("slug")
        if not SLUG.fullmatch(slug):
            raise fields.error("slug", "must be lower-case letters, digits and hyphens")
        head = {
            "slug": slug,
            "title": fields.text("title"),
            "description": fields.text("description", required=False),
            "source": _read_source(fields.value("source", required=False)),
            "tags": fields.texts("tags", required=False),
            "source_text": fields.text("source_text", required=False).strip(),
        }
        items = fields.items("questions", minimum=1)
    except QuestionError as error:
        raise BankError(f"{filename}: {error}") from error
    questions: list[QuestionData] = []
    first_of: dict[str, int] = {}
    for index, (_, item) in enumerate(items, start=1):
        where = f"{filename}, line {lines[index - 1]}" if len(lines) >= index else filename
        key = item.get("id") if isinstance(item, Mapping) else None
        label = f"question {index}" + (f" (id '{key}')" if isinstance(key, str) else "")
        try:
            read = _read_question(item)
        except QuestionError as error:
            raise BankError(f"{where}: {label}: {error}") from error
        paragraphs = count_paragraphs(head["source_text"])
        cited = read.question.paragraph
        if paragraphs and cited is not None and cited > paragraphs:
            problem = f"paragraph: {cited} is past the source text's {paragraphs} paragraphs"
            raise BankError(f"{where}: {label}: {problem}")
        if read.key in first_of:
            raise BankError(f"{where}: {label}: id repeats question {first_of[read.key]}")
        first_of[read.key] = index
        questions.append(read)
    return SetData(**head, questions=tuple(questions))


def load_set_file(path: Path) -> SetData:
    """Read one set file (UTF-8, with or without a byte-order mark)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise BankError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error
    return parse_set(text, str(path))


def load_bank(directory: Path) -> list[SetData]:
    """Every *.yaml and *.yml set in a directory, by file name; slugs must be unique."""
    if not directory.is_dir():
        raise BankError(f"{directory}: not a directory")
    sets: list[SetData] = []
    owner: dict[str, Path] = {}
    paths = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    for path in paths:
        data = load_set_file(path)
        if data.slug in owner:
            raise BankError(f"{path}: slug '{data.slug}' is already used by {owner[data.slug]}")
        owner[data.slug] = path
        sets.append(data)
    return sets


def _question_yaml(item: QuestionData) -> dict[str, Any]:
    """A question as a YAML mapping: its id first, optional fields only when set."""
    out = {"id": item.key, **question_to_dict(item.question)}
    if not out["tags"]:
        del out["tags"]
    if out["paragraph"] is None:
        del out["paragraph"]
    return out


class _BlockDumper(yaml.SafeDumper):
    """The safe dumper, writing text with line breaks as a literal block (`|`)."""


def _text_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _text_representer)


def dump_set(data: SetData) -> str:
    """YAML text for a set that parse_set reads back to equal data."""
    out: dict[str, Any] = {"slug": data.slug, "title": data.title}
    if data.description:
        out["description"] = data.description
    if data.source:
        out["source"] = dict(data.source)
    if data.source_text:
        out["source_text"] = data.source_text
    if data.tags:
        out["tags"] = list(data.tags)
    out["questions"] = [_question_yaml(item) for item in data.questions]
    return yaml.dump(out, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=100)
