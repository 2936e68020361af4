"""Seeded fuzz suites that stay in the test suite: malformed data trees for ``kg validate``/``kg stats`` and
mutated documents for ``kg ingest``.

Most cases run in-process (``kg.validate``, ``kg.load``, ``kg.ingest_file``), a sample through the real CLI.
``make test`` runs the default counts; ``KG_FUZZ=long`` (or ``KG_FUZZ_CASES=N``) runs more, ``KG_FUZZ_SEED``
picks another seed. Each suite prints its counts (``pytest -s``) and fails with the list of failing cases.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

import kg
from kg.errors import DataError, IngestError
from tests.conftest import BILLION_LAUGHS_TEXT, FIXTURES, run_kg

LONG = os.environ.get("KG_FUZZ") == "long"
CASES = int(os.environ.get("KG_FUZZ_CASES") or (2000 if LONG else 240))
CLI_CASES = min(CASES, 100 if LONG else 20)
SEED = int(os.environ.get("KG_FUZZ_SEED") or 20261202)
PER_CASE = 30  # seconds: a case that takes longer is a failure (a hang), in-process or in a subprocess

MINIMAL = FIXTURES / "minimal"
DOCUMENTS = sorted((FIXTURES / "documents").glob("*.txt"))
REGISTRY = FIXTURES / "documents" / "registry"
#: every C0 and C1 control character, DEL, and a few other characters YAML or terminals treat specially
CONTROLS = [*map(chr, range(0x20)), "\x7f", *map(chr, range(0x80, 0xA0)), "\ufeff", "\u2028", "\u202e", "\ufffe"]
SUMMARY = re.compile(r"^kg: ")
#: what the cases came to (valid tree / tree with errors; bundle / refused document), for the printed summary
OUTCOMES: Counter[str] = Counter()


class CaseTimeout(Exception):
    """A case ran past PER_CASE seconds."""


@contextmanager
def deadline(seconds: int = PER_CASE) -> Iterator[None]:
    """Interrupt a hanging in-process case (SIGALRM: the main thread on Linux)."""
    def expire(signum: int, frame: object) -> None:
        raise CaseTimeout(f"no answer after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------------------------------------------
# data trees


def _yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if p.is_file() and not p.is_symlink())


def _pick(rng: random.Random, root: Path) -> Path:
    return rng.choice(_yaml_files(root))


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace")


def _lines_with(path: Path, pattern: str) -> list[int]:
    return [i for i, line in enumerate(_text(path).split("\n")) if re.search(pattern, line)]


def _edit_line(rng: random.Random, path: Path, pattern: str, edit: Callable[[str], str]) -> None:
    lines = _text(path).split("\n")
    where = _lines_with(path, pattern)
    if where:
        at = rng.choice(where)
        lines[at] = edit(lines[at])
        path.write_text("\n".join(lines), encoding="utf-8")


def truncate(rng: random.Random, root: Path) -> str:
    path = _pick(rng, root)
    data = path.read_bytes()
    at = rng.randrange(len(data) + 1)
    path.write_bytes(data[:at])
    return f"truncate {path.name} at {at}"


def _other_type(rng: random.Random, value: object) -> object:
    choices: list[object] = [["a", {"b": 1}], {"k": [1, 2]}, "scalar", 42, 3.5, None, True, [], {}]
    return rng.choice([c for c in choices if type(c) is not type(value)])


def wrong_type(rng: random.Random, root: Path) -> str:
    """Replace one node (found by walking the parsed YAML) by a value of another type: list/mapping/scalar."""
    path = _pick(rng, root)
    try:
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):  # the mutation, not kg, gives up
        return truncate(rng, root)
    if not isinstance(tree, (dict, list)) or not tree:
        path.write_text(yaml.safe_dump(_other_type(rng, tree)), encoding="utf-8")
        return f"wrong type: whole of {path.name}"
    node: object = tree
    parent: dict[object, object] | list[object] | None = None
    key: object = None
    steps = []
    for _ in range(rng.randrange(1, 5)):
        if isinstance(node, dict) and node:
            parent, key = node, rng.choice(list(node))
        elif isinstance(node, list) and node:
            parent, key = node, rng.randrange(len(node))
        else:
            break
        steps.append(str(key))
        node = parent[key]  # type: ignore[index]
    if parent is None:
        return truncate(rng, root)
    parent[key] = _other_type(rng, node)  # type: ignore[index]
    path.write_text(yaml.safe_dump(tree, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return f"wrong type at {path.name}:{'/'.join(steps)}"


def deep_nesting(rng: random.Random, root: Path) -> str:
    path = _pick(rng, root)
    depth = rng.choice([65, 200, 5000, 100_000])
    if rng.random() < 0.5:
        value = "[" * depth + "]" * depth
    else:
        value = "{a: " * depth + "1" + "}" * depth
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n- nest: {value}\n" if _text(path).lstrip().startswith("-") else f"\nnest: {value}\n")
    return f"nesting {depth} in {path.name}"


def control_char(rng: random.Random, root: Path, char: str | None = None) -> str:
    path = _pick(rng, root)
    char = char if char is not None else rng.choice(CONTROLS)
    text = _text(path)
    at = rng.randrange(len(text) + 1)
    path.write_text(text[:at] + char + text[at:], encoding="utf-8", errors="surrogatepass")
    return f"U+{ord(char):04X} in {path.name} at {at}"


def encoding(rng: random.Random, root: Path) -> str:
    path = _pick(rng, root)
    text = _text(path)
    how = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "latin-1", "nul", "utf-32", "bom8", "cp1252"])
    if how == "nul":
        data = text.encode()
        at = rng.randrange(len(data) + 1)
        path.write_bytes(data[:at] + b"\x00" + data[at:])
    elif how == "bom8":
        path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    elif how in ("latin-1", "cp1252"):
        path.write_bytes(text.replace("Roe", "Röé").replace("Poe", "Pœ").encode(how, "replace"))
    else:
        path.write_bytes(text.replace("Roe", "Röé").encode(how))
    return f"{how} {path.name}"


def aliases(rng: random.Random, root: Path) -> str:
    path = _pick(rng, root)
    text = _text(path)
    listy = text.lstrip().startswith("-")
    how = rng.choice(["bomb", "anchor", "undefined", "recursive", "merge"])
    if how == "bomb":
        extra = BILLION_LAUGHS_TEXT if not listy else "- " + BILLION_LAUGHS_TEXT.replace("\n", "\n  ")
        path.write_text(text + "\n" + extra if rng.random() < 0.5 else BILLION_LAUGHS_TEXT, encoding="utf-8")
    elif how == "anchor":
        path.write_text(re.sub(r"(\n\s*)(id|title): ", r"\1\2: &x ", text, count=1) + "\n", encoding="utf-8")
        _edit_line(rng, path, r"^\s+(name|statement|label|summary): ", lambda s: s.split(":")[0] + ": *x")
    elif how == "undefined":
        _edit_line(rng, path, r": ", lambda s: s.split(":")[0] + ": *nowhere")
    elif how == "recursive":
        path.write_text(text + ("\n- &r [*r]\n" if listy else "\nloop: &r [*r]\n"), encoding="utf-8")
    else:
        path.write_text(text + ("\n- <<: *nowhere\n" if listy else "\nm: &m {a: 1}\nn: {<<: *m, b: 2}\n"),
                        encoding="utf-8")
    return f"aliases ({how}) in {path.name}"


def huge(rng: random.Random, root: Path) -> str:
    path = _pick(rng, root)
    how = rng.choice(["5mb", "100k-string", "many-records", "long-key"])
    text = _text(path)
    if how == "5mb":
        path.write_text(text + "\n# " + "x" * (5 * 1024 * 1024) + "\n", encoding="utf-8")
    elif how == "100k-string":
        _edit_line(rng, path, r"^\s*-?\s*(name|statement|title|label|summary|note): ",
                   lambda s: s.split(":")[0] + ": " + "y" * 100_000)
    elif how == "many-records":
        if text.lstrip().startswith("-"):
            records = "".join(f"- id: person/p{i}\n  name: P{i}\n" for i in range(20_000 if LONG else 2_000))
            path.write_text(text + records, encoding="utf-8")
        else:
            path.write_text(text + "\nextra: [" + ", ".join(["1"] * 250_000) + "]\n", encoding="utf-8")
    else:
        path.write_text(text + "\n" + "k" * 200_000 + ": 1\n", encoding="utf-8")
    return f"huge ({how}) {path.name}"


def odd_file(rng: random.Random, root: Path) -> str:
    """A symlink out of the tree, a binary or empty .yaml, a directory named .yaml, an odd file name."""
    how = rng.choice(["symlink-out", "symlink-dangling", "symlink-loop", "binary", "empty", "dir", "name-esc",
                      "name-newline", "name-unicode", "comment-only", "whitespace"])
    entities = root / "entities"
    entities.mkdir(exist_ok=True)
    if how == "symlink-out":
        outside = root.parent / "outside.yaml"
        outside.write_text(_text(MINIMAL / "entities" / "people.yaml"), encoding="utf-8")
        (entities / rng.choice(["people.linked.yaml", "../documents/linked.yaml"])).symlink_to(outside)
    elif how == "symlink-dangling":
        (entities / "concepts.dangling.yaml").symlink_to(root.parent / "missing.yaml")
    elif how == "symlink-loop":
        (entities / "people.loop.yaml").symlink_to(entities / "people.loop.yaml")
    elif how == "binary":
        data = rng.choice([b"\x89PNG\r\n\x1a\n" + rng.randbytes(2000), rng.randbytes(5000), b"\xff\xfe\x00\x00"])
        (root / rng.choice(["entities/sources.blob.yaml", "documents/blob.yaml"])).write_bytes(data)
    elif how == "empty":
        _pick(rng, root).write_bytes(b"")
    elif how == "dir":
        (root / rng.choice(["entities/people.folder.yaml", "documents/folder.yaml"])).mkdir()
    elif how == "name-esc":
        shutil.move(_pick(rng, root), root / "documents" / "evil\x1b[31mred.yaml")
    elif how == "name-newline":
        shutil.move(_pick(rng, root), root / "documents" / "two\nlines.yaml")
    elif how == "name-unicode":
        shutil.move(_pick(rng, root), root / "documents" / "é\u202eñ.yaml")
    elif how == "comment-only":
        _pick(rng, root).write_text("# nothing here\n", encoding="utf-8")
    else:
        _pick(rng, root).write_text("\n   \n\t\n", encoding="utf-8")
    return f"odd file ({how})"


def duplicate_key(rng: random.Random, root: Path) -> str:
    path = _pick(rng, root)
    lines = _text(path).split("\n")
    where = [i for i, s in enumerate(lines) if re.match(r"^\s*(- )?[a-z_]+: \S", s)]
    if not where:
        return truncate(rng, root)
    at = rng.choice(where)
    line = lines[at].replace("- ", "  ", 1)
    value = rng.choice(["other", "[x]", "{}", "''", lines[at].split(":", 1)[1]])
    lines.insert(at + 1, line.split(":")[0] + ": " + value)
    path.write_text("\n".join(lines), encoding="utf-8")
    return f"duplicate key {line.strip().split(':')[0]} in {path.name}"


def unknown_field(rng: random.Random, root: Path) -> str:
    path = _pick(rng, root)
    field = rng.choice(["bogus", "Id", "id ", "ID", "x-extra", "idd", "\u00e9t\u00e9", "'1'", "null", "true"])
    _edit_line(rng, path, r"^\s*(- )?id: ",
               lambda s: s + "\n" + " " * (len(s) - len(s.lstrip(" -")) if s.lstrip().startswith("-") else 0)
               + f"{field}: {rng.choice(['1', 'x', '[a]', '{b: c}'])}")
    if not _lines_with(path, r"^\s*(- )?id: "):
        path.write_text(_text(path) + f"\n{field}: 1\n", encoding="utf-8")
    return f"unknown field {field!r} in {path.name}"


def dangling_id(rng: random.Random, root: Path) -> str:
    path = _pick(rng, root)
    new = rng.choice(["person/nobody", "org/ghost", "concept/", "claim/missing", "source/x y", "doc/none", "nope",
                      "person/jane-roe/extra", "PERSON/JANE-ROE", "http://example.org/x", "person/\u00e9"])
    text = _text(path)
    ids = sorted(set(re.findall(r"\b(?:person|org|source|concept|claim|tension|event|question)/[a-z0-9-]+", text)))
    if not ids:
        return unknown_field(rng, root)
    old = rng.choice(ids)
    count = rng.choice([1, 0])  # 0: every occurrence (the definition too)
    path.write_text(text.replace(old, new, count or -1) if count else text.replace(old, new), encoding="utf-8")
    return f"dangling id {old} -> {new} in {path.name}"


def shuffle_lines(rng: random.Random, root: Path) -> str:
    path = _pick(rng, root)
    lines = _text(path).split("\n")
    how = rng.choice(["delete", "duplicate", "swap", "dedent", "indent", "tabs", "record-twice"])
    at = rng.randrange(len(lines))
    if how == "delete":
        del lines[at]
    elif how == "duplicate":
        lines.insert(at, lines[at])
    elif how == "swap":
        other = rng.randrange(len(lines))
        lines[at], lines[other] = lines[other], lines[at]
    elif how == "dedent":
        lines[at] = lines[at].lstrip()
    elif how == "indent":
        lines[at] = "   " + lines[at]
    elif how == "tabs":
        lines[at] = lines[at].replace("  ", "\t")
    else:
        lines = lines + lines
    path.write_text("\n".join(lines), encoding="utf-8")
    return f"{how} line {at + 1} of {path.name}"


MUTATIONS: list[Callable[[random.Random, Path], str]] = [
    truncate, wrong_type, deep_nesting, control_char, encoding, aliases, huge, odd_file, duplicate_key,
    unknown_field, dangling_id, shuffle_lines,
]


def tree_cases(count: int, seed: int) -> list[tuple[str, Callable[[Path], str]]]:
    """Named cases first (each control character, the bomb, the big file, ...), then random stacks of 1-3
    mutations; each is (id, a function that breaks a fresh copy of the minimal corpus and describes it)."""
    cases: list[tuple[str, Callable[[Path], str]]] = []
    for i, char in enumerate(CONTROLS):
        cases.append((f"control-U+{ord(char):04X}",
                      lambda root, i=i, char=char: control_char(random.Random(seed + i), root, char)))
    people, entities = Path("entities/people.yaml"), Path("entities")

    def write(name: Path, data: str | bytes, label: str) -> Callable[[Path], str]:
        def apply(root: Path) -> str:
            (root / name).write_bytes(data.encode() if isinstance(data, str) else data)
            return label
        return apply

    def reencode(codec: str) -> Callable[[Path], str]:
        def apply(root: Path) -> str:
            path = root / people
            path.write_bytes(path.read_text(encoding="utf-8").replace("Roe", "Röé").encode(codec))
            return codec
        return apply

    def symlink_out(root: Path) -> str:
        (root / entities / "people.out.yaml").symlink_to(root.parent / "outside.yaml")
        (root.parent / "outside.yaml").write_text((MINIMAL / people).read_text(encoding="utf-8"), encoding="utf-8")
        return "symlink out of the tree (to a copy of people.yaml)"

    fixed: dict[str, Callable[[Path], str]] = {
        "billion-laughs": write(people, BILLION_LAUGHS_TEXT, "billion laughs"),
        "5mb-file": write(entities / "people.big.yaml", "- id: person/big\n  name: '"
                          + "z" * (5 << 20) + "'\n", "5 MB"),
        "100k-string": write(entities / "people.long.yaml", "- id: person/long\n  name: "
                             + "n" * 100_000 + "\n", "100k"),
        "symlink-out": symlink_out,
        "binary": write(entities / "people.bin.yaml", bytes(range(256)) * 8, "binary"),
        "utf16-bom": reencode("utf-16"),
        "utf16-no-bom": reencode("utf-16-le"),
        "latin1": reencode("latin-1"),
        "nul": write(people, b"- id: person/a\x00b\n  name: A\n", "NUL"),
    }
    cases.extend(fixed.items())
    rng = random.Random(seed)
    while len(cases) < count:
        n = len(cases)
        steps = [rng.choice(MUTATIONS) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
        case_seed = rng.randrange(1 << 30)

        def apply(root: Path, steps: list[Callable[[random.Random, Path], str]] = steps, s: int = case_seed) -> str:
            r = random.Random(s)
            return "; ".join(step(r, root) for step in steps)
        cases.append((f"random-{n}-{'+'.join(s.__name__ for s in steps)}", apply))
    return cases[:count]


def names_a_file(line: str, root: Path) -> bool:
    """``path:line: `` or ``path: `` for a file of the tree (the tree's folder itself for tree-wide problems)."""
    return line.startswith(str(root)) and re.match(r"^[^\n]*?(:\d+)?: ", line) is not None


def check_tree_in_process(root: Path) -> list[str]:
    """Problems with what validate/load do on this tree (empty: fine)."""
    problems = []
    with deadline():
        report = kg.validate(root)
    OUTCOMES["tree with errors" if report.errors else "valid tree"] += 1
    for issue in report.issues:
        text = str(issue)
        if issue.location is None or not names_a_file(text, root):
            problems.append(f"issue names no file: {text[:200]!r}")
        if "\x1b" in text or "\n" in text or "\r" in text:
            problems.append(f"raw ESC/newline in issue: {text[:200]!r}")
    try:
        with deadline():
            graph = kg.load(root, cache=False)
            graph.stats()
        loaded = True
    except DataError as err:
        loaded = False
        for line in str(err).split("\n"):
            if not names_a_file(line, root) and not SUMMARY.match(line):
                problems.append(f"DataError line names no file: {line[:200]!r}")
            if "\x1b" in line:
                problems.append(f"raw ESC in DataError: {line[:200]!r}")
    if loaded == bool(report.errors) and not (loaded and all(i.code.startswith("shacl") for i in report.errors)):
        problems.append(f"validate says {len(report.errors)} errors but load {'succeeded' if loaded else 'failed'}")
    return problems


def check_cli(args: list[str], root: Path, *, allowed: Callable[[str], bool]) -> list[str]:
    """Problems with what the real command does: exit code, tracebacks, lines that name no file, ESC."""
    try:
        result = run_kg(*args, timeout=PER_CASE * 2)
    except Exception as err:  # subprocess.TimeoutExpired
        return [f"{' '.join(args[-2:])}: {type(err).__name__}: {err}"]
    problems = []
    if result.code not in (0, 1):
        problems.append(f"exit code {result.code}")
    if "Traceback" in result.err or "internal error" in result.err:
        problems.append(f"crash: {result.err[-500:]!r}")
    if "\x1b" in result.err:
        problems.append("raw ESC in stderr")
    lines = result.err.rstrip("\n").split("\n") if result.err.strip() else []
    for i, line in enumerate(lines):
        if not (allowed(line) or (i == len(lines) - 1 and SUMMARY.match(line))):
            problems.append(f"stderr line names no file: {line[:200]!r}")
    return problems


def test_fuzz_data_trees(tmp_path: Path) -> None:
    cases = tree_cases(CASES, SEED)
    named = {i for i, (name, _) in enumerate(cases) if name in ("billion-laughs", "symlink-out", "control-U+001B")}
    others = [i for i in range(len(cases)) if i not in named]
    cli = named | set(random.Random(SEED).sample(others, max(0, min(len(others), CLI_CASES - len(named)))))
    failures: list[str] = []
    started = time.monotonic()
    for i, (name, mutate) in enumerate(cases):
        work = tmp_path / f"case{i}"
        root = work / "data"
        shutil.copytree(MINIMAL, root)
        try:
            what = mutate(root)
            problems = check_tree_in_process(root)
        except Exception as err:  # noqa: BLE001 - any exception is the failure we look for
            what, problems = name, [f"{type(err).__name__}: {str(err)[:300]}"]
        if i in cli:
            problems += check_cli(["--data", str(root), "validate"], root, allowed=lambda s, r=root: names_a_file(s, r))
            if i % 4 == 0:
                problems += check_cli(["--data", str(root), "stats"], root,
                                      allowed=lambda s, r=root: names_a_file(s, r))
        failures.extend(f"{name} ({what}): {p}" for p in problems)
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nfuzz data trees: {len(cases)} cases ({len(cli)} also through the CLI), {len(failures)} failures, "
          f"seed {SEED}, {time.monotonic() - started:.1f} s; {OUTCOMES['valid tree']} valid, "
          f"{OUTCOMES['tree with errors']} with errors")
    assert not failures, "\n".join(failures[:40])


# ---------------------------------------------------------------------------------------------------------
# documents

MARKERS = ["[", "]", "[1", "(", ")", "**", "*", "`", "```", "|", '"', "“", "— ", "- ", "#", "## ", "[[", "]]",
           "[0]", "[99]", "<", ">", "&", "\\"]
HEADINGS = ["What", "Why it matters", "Open questions", "Timeline", "Perspectives", "Tensions", "Sources",
            "Credibility Rating", "Summary", "Key Points", "Cited by 2 pages", "Cached Content Preview", "Details",
            "Examples", "Mitigations", "Related"]


def mutate_document(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Mutate a document's bytes (1-4 steps): line edits, control characters, long lines, unbalanced markers,
    random bytes, or wholesale replacements (empty, headings only)."""
    text = data.decode("utf-8")
    steps = []
    for _ in range(rng.randint(1, 4)):
        lines = text.split("\n")
        at = rng.randrange(len(lines)) if lines else 0
        how = rng.choice(["delete", "duplicate", "shuffle", "shuffle-all", "control", "overlong", "marker",
                          "truncate", "heading", "blank", "crlf", "bytes", "empty", "headings-only", "block"])
        steps.append(how)
        if how == "delete" and lines:
            del lines[at: at + rng.randint(1, 5)]
        elif how == "duplicate" and lines:
            lines[at:at] = lines[at: at + rng.randint(1, 5)]
        elif how == "shuffle" and lines:
            other = rng.randrange(len(lines))
            lines[at], lines[other] = lines[other], lines[at]
        elif how == "shuffle-all":
            rng.shuffle(lines)
        elif how == "control" and lines:
            cut = rng.randint(0, len(lines[at]))
            lines[at] = lines[at][:cut] + rng.choice(CONTROLS) + lines[at][cut:]
        elif how == "overlong" and lines:
            lines[at] += rng.choice(["x", "word ", "[1]", "(", "a, ", "—"]) * rng.choice([10_000, 50_000])
        elif how == "marker" and lines:
            cut = rng.randint(0, len(lines[at]))
            lines[at] = lines[at][:cut] + rng.choice(MARKERS) * rng.randint(1, 3) + lines[at][cut:]
        elif how == "truncate":
            text = text[: rng.randrange(len(text) + 1)]
            continue
        elif how == "heading":
            lines.insert(at, rng.choice(HEADINGS))
        elif how == "blank" and lines:
            lines = [s for s in lines if s.strip()]
        elif how == "crlf":
            text = "\r\n".join(lines) if rng.random() < 0.5 else "\r".join(lines)
            continue
        elif how == "empty":
            text = rng.choice(["", "\n\n", "   \t", "\ufeff"])
            continue
        elif how == "headings-only":
            lines = [s for s in lines if s.strip() in HEADINGS or (s.strip() and len(s) < 40
                     and not s.lstrip().startswith(("-", "*", "•", "|", "[")))]
        elif how == "block" and lines:
            piece = lines[at: at + 10]
            del lines[at: at + 10]
            where = rng.randrange(len(lines) + 1)
            lines[where:where] = piece
        text = "\n".join(lines)
    out = text.encode("utf-8", "surrogatepass")
    if "bytes" in steps:
        raw = bytearray(out)
        for _ in range(rng.randint(1, 8)):
            raw.insert(rng.randrange(len(raw) + 1), rng.randrange(256))
        if rng.random() < 0.2:
            raw = bytearray(rng.randbytes(rng.randint(0, 3000)))
        out = bytes(raw)
    return out, "+".join(steps)


def check_document(path: Path, graph: kg.KnowledgeGraph | None, scratch: Path) -> list[str]:
    """Either a one-line IngestError/DataError naming the input, or a bundle that validates beside the data it
    was linked against (the registry fixture, or nothing)."""
    try:
        with deadline():
            bundle = kg.ingest_file(path, data=graph)
    except (IngestError, DataError) as err:
        OUTCOMES["refused document"] += 1
        message = str(err)
        problems = []
        if "\n" in message or "\r" in message or "\x1b" in message:
            problems.append(f"error not one clean line: {message[:200]!r}")
        if str(path) not in message:
            problems.append(f"error does not name the input: {message[:200]!r}")
        return problems
    OUTCOMES["bundle"] += 1
    problems = [f"warning names no line of the input: {str(w)[:200]!r}" for w in bundle.warnings
                if not str(w).startswith(f"{path}:")]
    data = scratch / "data"
    shutil.rmtree(data, ignore_errors=True)
    if graph is not None:
        shutil.copytree(REGISTRY, data)
    (data / "documents").mkdir(parents=True, exist_ok=True)
    bundle.write(data / "documents" / f"{bundle.slug}.yaml")
    with deadline():
        report = kg.validate(data, shacl=False)
    problems += [f"bundle does not validate: {str(i)[:300]}" for i in report.errors]
    return problems


def test_fuzz_ingest(tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    graph = kg.load(REGISTRY, cache=False)
    originals = [p.read_bytes() for p in DOCUMENTS]
    cases: list[tuple[str, bytes]] = [("empty", b""), ("nul", b"Title\x00\n"), ("bom-only", b"\xef\xbb\xbf"),
                                      ("utf16", DOCUMENTS[0].read_text(encoding="utf-8").encode("utf-16")),
                                      ("latin1", "Café - title\nWhat\nné".encode("latin-1"))]
    cases += [(f"{DOCUMENTS[i].stem}-headings-only",
               "\n".join(s for s in DOCUMENTS[i].read_text(encoding="utf-8").split("\n") if s.strip() in HEADINGS)
               .encode()) for i in range(len(DOCUMENTS))]
    cases += [(f"control-U+{ord(c):04X}", originals[k % len(originals)].replace(b"\n", f"\n{c}".encode(), 3))
              for k, c in enumerate(CONTROLS)]
    while len(cases) < CASES:
        k = rng.randrange(len(originals))
        data, how = mutate_document(rng, originals[k])
        cases.append((f"{DOCUMENTS[k].stem}-{len(cases)}-{how}", data))
    cases = cases[:CASES]
    cli = set(random.Random(SEED + 2).sample(range(len(cases)), CLI_CASES))
    failures: list[str] = []
    started = time.monotonic()
    registry = tmp_path / "registry"
    shutil.copytree(REGISTRY, registry)
    for i, (name, data) in enumerate(cases):
        path = tmp_path / "in" / f"doc{i}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        linked = graph if i % 4 else None
        try:
            problems = check_document(path, linked, tmp_path / "scratch")
        except Exception as err:  # noqa: BLE001 - any other exception is the failure we look for
            problems = [f"{type(err).__name__}: {str(err)[:300]}"]
        if i in cli:
            out = tmp_path / "out" / f"doc{i}.yaml"
            out.parent.mkdir(exist_ok=True)
            problems += check_cli(["--data", str(registry), "ingest", str(path), "-o", str(out), "--force"], path,
                                  allowed=lambda s, p=path: s.startswith((f"{p}:", f"kg: error: {p}", "kg: wrote ",
                                                                          "kg: doc/"))
                                  or (s.startswith("kg: error: ") and str(p) in s))
        failures.extend(f"{name}: {p}" for p in problems)
        path.unlink()
    print(f"\nfuzz ingest: {len(cases)} documents ({len(cli)} also through the CLI), {len(failures)} failures, "
          f"seed {SEED}, {time.monotonic() - started:.1f} s; {OUTCOMES['bundle']} bundles that validate, "
          f"{OUTCOMES['refused document']} one-line errors")
    assert not failures, "\n".join(failures[:40])


@pytest.mark.parametrize("seed", [SEED])
def test_case_generation_is_seeded(seed: int) -> None:
    assert [n for n, _ in tree_cases(60, seed)] == [n for n, _ in tree_cases(60, seed)]
    a = mutate_document(random.Random(seed), DOCUMENTS[0].read_bytes())
    assert a == mutate_document(random.Random(seed), DOCUMENTS[0].read_bytes())
