"""Install, list and verify speech models in the user's data directory.

Data dir: ``--models-dir`` > ``$TIMEKEEPER_DATA`` > ``$XDG_DATA_HOME/timekeeper`` >
``~/.local/share/timekeeper``; models live in ``<data>/models/<name>/``.
Downloads go to ``<name>.zip.part`` (resumed with an HTTP Range request), are checked
against the manifest (exact size, sha256, else md5), unpacked into a temporary folder
inside the models dir (the unpacked size capped: a zip bomb is refused before anything is
written), checked to hold the files the model needs, and renamed into place with
``os.replace``: never a half-installed or empty model. A zip installed ``--from`` a file
that bears an official model's name is checked against the manifest the same way.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import stat
import tempfile
import tomllib
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from timekeeper.errors import ConfigError, ModelError
from timekeeper.paths import data_dir  # noqa: F401  (re-exported: the manager's data root)

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (bytes done, bytes total or 0)


@dataclass(frozen=True)
class ModelEntry:
    key: str  # "fr", "en", "spk"
    name: str
    lang: str
    kind: str
    url: str
    size_bytes: int
    md5: str
    size_exact: bool = False
    sha256: str = ""


# The unpacked size of a model zip is capped: by UNPACK_RATIO times the archive's size
# (real models unpack to less than twice their zip; a zip bomb to a thousand times) and by
# MAX_UNPACKED_BYTES whatever the archive.
UNPACK_RATIO = 8
MAX_UNPACKED_BYTES = 4 << 30
KALDI_BINARY = b"\0B"  # every binary Kaldi file (final.mdl, final.ext.raw...) starts with it


def model_problems(folder: Path, kind: str) -> list[str]:
    """What keeps ``folder`` from being a usable vosk model of ``kind`` ("asr" or "speaker")."""
    def binary(rel: str) -> str | None:
        f = folder / rel
        if not f.is_file():
            return f"missing {rel}"
        with open(f, "rb") as fh:
            return None if fh.read(2) == KALDI_BINARY else f"{rel} is not a Kaldi model file"

    if kind == "speaker":
        problems = [binary("final.ext.raw")]
        problems += [f"missing {rel}" for rel in ("mean.vec", "transform.mat") if not (folder / rel).is_file()]
    else:
        problems = [binary("am/final.mdl")]
        conf = folder / "conf" / "model.conf"
        if not conf.is_file():
            problems.append("missing conf/model.conf")
        elif "--" not in conf.read_text(encoding="utf-8", errors="replace"):
            problems.append("conf/model.conf holds no decoder option")
        if not any((folder / "graph").glob("*.fst")):
            problems.append("missing graph/*.fst")
    return [p for p in problems if p]


def kind_of(name: str) -> str:
    return "speaker" if "spk" in name else "asr"


def manifest_path() -> Path:
    here = Path(__file__).resolve()
    top = here.parents[2] / "models" / "manifest.toml"
    return top if top.exists() else here.parent / "manifest.toml"


def load_manifest(path: Path | None = None) -> dict[str, ModelEntry]:
    p = path or manifest_path()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"model manifest {p} unreadable ({exc})") from exc
    out = {}
    for key, m in data.get("models", {}).items():
        out[key] = ModelEntry(key, m["name"], m.get("lang", ""), m.get("kind", "asr"), m["url"],
                              int(m.get("size_bytes", 0)), m.get("md5", ""), bool(m.get("size_exact", False)),
                              m.get("sha256", ""))
    return out


def md5_file(path: Path, algorithm: str = "md5") -> str:
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_archive(path: Path, e: ModelEntry, what: str = "the download") -> None:
    """ModelError (one line) unless ``path`` is the manifest's archive: exact size, sha256 (else md5)."""
    size = path.stat().st_size
    if e.size_exact and e.size_bytes and size != e.size_bytes:
        raise ModelError(f"{e.name}: {what} is {size:,} bytes, the official zip {e.size_bytes:,}; nothing was "
                         f"installed (download it again)")
    for algorithm, want in (("sha256", e.sha256), ("md5", e.md5)):
        if want:
            got = md5_file(path, algorithm)
            if got != want.lower():
                raise ModelError(f"{e.name}: checksum mismatch ({algorithm} {got}, expected {want}); nothing was "
                                 f"installed (download it again)")
            return
    log.warning("%s: the manifest has no checksum, %s is not verified", e.name, what)


def download(url: str, dest_part: Path, progress: Progress | None = None, timeout_s: float = 30.0) -> Path:
    """Fetch ``url`` into ``dest_part``, resuming from its current size with a Range request."""
    have = dest_part.stat().st_size if dest_part.exists() else 0
    req = urllib.request.Request(url)
    if have and not url.startswith("file:"):
        req.add_header("Range", f"bytes={have}-")
    try:
        resp = urllib.request.urlopen(req, timeout=timeout_s)  # noqa: S310 (URL from our manifest)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # already complete
            return dest_part
        raise ModelError(f"download of {url} failed (HTTP {exc.code}); try again later or use `install --from FILE.zip`") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ModelError(f"download of {url} failed ({getattr(exc, 'reason', exc)}); check the network or use "
                         f"`timekeeper models install --from FILE.zip`") from exc
    with resp:
        status = getattr(resp, "status", None) or resp.getcode()
        resumed = status == 206
        if not resumed:
            have = 0
        total = int(resp.headers.get("Content-Length") or 0) + have
        done = have
        with open(dest_part, "ab" if resumed else "wb") as f:
            while True:
                try:
                    chunk = resp.read(1 << 16)
                except OSError as exc:
                    raise ModelError(f"download of {url} interrupted ({exc}); run the same command again to resume") from exc
                if not chunk:
                    break
                f.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    if total and done < total:
        raise ModelError(f"download of {url} stopped at {done} of {total} bytes; run the same command again to resume")
    return dest_part


def _safe_members(zf: zipfile.ZipFile, archive: Path) -> list[zipfile.ZipInfo]:
    members = zf.infolist()
    for m in members:
        name = m.filename
        p = PurePosixPath(name.replace("\\", "/"))
        if name.startswith(("/", "\\")) or p.is_absolute() or (len(name) > 1 and name[1] == ":"):
            raise ModelError(f"{archive}: refused, the archive holds an absolute path ({name})")
        if ".." in p.parts:
            raise ModelError(f"{archive}: refused, the archive holds a path leaving its folder ({name})")
        mode = (m.external_attr >> 16) & 0o170000
        if mode == stat.S_IFLNK:
            raise ModelError(f"{archive}: refused, the archive holds a symbolic link ({name})")
    return members


def _check_unpacked_size(members: list[zipfile.ZipInfo], archive: Path, models_dir: Path,
                         limit: int | None) -> None:
    total = sum(m.file_size for m in members)  # zipfile never unpacks more than a member declares
    cap = min(MAX_UNPACKED_BYTES, limit or UNPACK_RATIO * max(archive.stat().st_size, 1 << 20))
    if total > cap:
        raise ModelError(f"{archive}: refused, it would unpack to {total / 1e6:,.0f} MB (more than {cap / 1e6:,.0f} "
                         f"MB: not a speech model, perhaps a zip bomb)")
    free = shutil.disk_usage(models_dir).free
    if total > free:
        raise ModelError(f"{archive}: it unpacks to {total / 1e6:,.0f} MB and {models_dir} has {free / 1e6:,.0f} MB "
                         f"free; make room and try again")


def unpack(archive: Path, models_dir: Path, expect_name: str | None = None, max_bytes: int | None = None) -> Path:
    """Unpack a model zip safely into ``models_dir/<top folder>``; returns the model folder.
    ``max_bytes``: the most it may unpack to (default: UNPACK_RATIO times its size)."""
    models_dir.mkdir(parents=True, exist_ok=True)
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ModelError(f"{archive}: not a complete zip file ({exc}); download it again") from exc
    with zf:
        members = _safe_members(zf, archive)
        tops = {PurePosixPath(m.filename).parts[0] for m in members if m.filename.strip("/")}
        if len(tops) != 1:
            raise ModelError(f"{archive}: expected one model folder in the zip, found {len(tops) or 'none'}")
        top = tops.pop()
        if expect_name and top != expect_name:
            log.warning("archive folder %s differs from the manifest name %s", top, expect_name)
        _check_unpacked_size(members, archive, models_dir, max_bytes)
        tmp = Path(tempfile.mkdtemp(prefix=".unpack-", dir=models_dir))
        try:
            try:
                bad = zf.testzip()
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise ModelError(f"{archive}: damaged zip ({exc}); download it again") from exc
            if bad is not None:
                raise ModelError(f"{archive}: damaged zip (bad CRC in {bad}); download it again")
            try:
                zf.extractall(tmp, members)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise ModelError(f"{archive}: damaged zip ({exc}); download it again") from exc
            src = tmp / top
            if not src.is_dir():
                raise ModelError(f"{archive}: {top} is not a folder")
            problems = model_problems(src, kind_of(top))
            if problems:
                raise ModelError(f"{archive}: refused, {top} is not a vosk model ({'; '.join(problems)}); "
                                 f"nothing was installed")
            dest = models_dir / top
            if dest.exists():
                old = models_dir / f".old-{top}-{os.getpid()}"
                os.replace(dest, old)
                shutil.rmtree(old, ignore_errors=True)
            os.replace(src, dest)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _limit(e: ModelEntry) -> int | None:
    """The most a manifest model may unpack to (none known: the default cap)."""
    return 3 * e.size_bytes if e.size_bytes else None


@dataclass(frozen=True)
class InstalledModel:
    key: str
    name: str
    path: Path
    size_bytes: int


class ModelManager:
    def __init__(self, models_dir: str | Path | None = None, manifest: dict[str, ModelEntry] | None = None) -> None:
        self.root = data_dir(models_dir) / "models" if models_dir is None else Path(models_dir)
        self.manifest = manifest if manifest is not None else load_manifest()

    def entry(self, key: str) -> ModelEntry:
        if key not in self.manifest:
            raise ConfigError(f"unknown model {key!r}: use one of {', '.join(self.manifest)} or --from FILE.zip")
        return self.manifest[key]

    def installed_path(self, lang_or_key: str) -> Path | None:
        """Folder of the installed model for a language ("fr") or key ("spk"), or None."""
        for key, e in self.manifest.items():
            if key == lang_or_key or (e.lang == lang_or_key and e.kind == "asr"):
                p = self.root / e.name
                if p.is_dir():
                    return p
        # a model installed --from a zip with another name: vosk-model-*-<lang>-* or *-<lang>-*
        if self.root.is_dir():
            for p in sorted(self.root.iterdir()):
                if p.is_dir() and not p.name.startswith(".") and f"-{lang_or_key}-" in f"{p.name}-" \
                        and "spk" not in p.name:
                    return p
        return None

    def list_installed(self) -> list[InstalledModel]:
        out = []
        if not self.root.is_dir():
            return out
        by_name = {e.name: k for k, e in self.manifest.items()}
        for p in sorted(self.root.iterdir()):
            if p.is_dir() and not p.name.startswith("."):
                size = sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
                out.append(InstalledModel(by_name.get(p.name, ""), p.name, p, size))
        return out

    def install(self, key: str, progress: Progress | None = None) -> Path:
        e = self.entry(key)
        self.root.mkdir(parents=True, exist_ok=True)
        part = self.root / f"{e.name}.zip.part"
        download(e.url, part, progress)
        try:
            check_archive(part, e)
        except ModelError:
            part.unlink(missing_ok=True)
            raise
        dest = unpack(part, self.root, e.name, _limit(e))
        part.unlink(missing_ok=True)
        return dest

    def install_from(self, archive: str | Path) -> Path:
        a = Path(archive)
        if not a.is_file():
            raise ModelError(f"{a}: no such file")
        official = [e for e in self.manifest.values() if a.name == f"{e.name}.zip"]
        if official:  # bears an official model's name: it must be that zip
            check_archive(a, official[0], a.name)
            return unpack(a, self.root, official[0].name, _limit(official[0]))
        return unpack(a, self.root)

    def verify(self) -> list[tuple[str, bool, str]]:
        """(name, ok, why) per installed model: loads each ASR model's folder layout."""
        out = []
        for m in self.list_installed():
            problems = model_problems(m.path, kind_of(m.name))
            if problems:
                out.append((m.name, False, f"{'; '.join(problems)}: reinstall it"))
            else:
                out.append((m.name, True, "complete"))
        return out
