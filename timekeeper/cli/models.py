"""`timekeeper models list | install fr|en|spk | install --from FILE.zip | verify | path`."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    from timekeeper.cli.main import add_common

    p = subparsers.add_parser(
        "models", help="install and check speech models (vosk)",
        description="Speech models for French (and better English) commands: list them, install one "
                    "(downloaded once, or from a zip you have), verify what is installed, print where "
                    "they are. ACTION defaults to list.")
    add_common(p)
    where = "models folder (default: $TIMEKEEPER_DATA/models or ~/.local/share/timekeeper/models)"
    p.add_argument("--models-dir", help=where)
    sub = p.add_subparsers(dest="models_action", metavar="ACTION")

    def action(name: str, help: str, description: str) -> argparse.ArgumentParser:
        a = sub.add_parser(name, help=help, description=description)
        # accepted after the action too ("install --from X --models-dir Y"), without hiding it before
        a.add_argument("--models-dir", default=argparse.SUPPRESS, help=where)
        return a

    action("list", "models in the manifest and installed ones",
           "The models timekeeper knows (with their size) and where each installed one is.")
    i = action("install", "download a model (fr, en, spk) or unpack a zip you have",
               "Download a model from the manifest (resumable) or unpack a zip you already have; "
               "it is unpacked beside the models folder and renamed into place, never half-installed.")
    i.add_argument("key", nargs="?", help="fr | en | spk")
    i.add_argument("--from", dest="from_zip", metavar="FILE.zip", help="install from a local archive")
    action("verify", "check installed models are complete",
           "Check every installed model is complete; exit 1 if one is not.")
    pa = action("path", "print the models folder (or a model's folder)",
                "Print the models folder, or the folder of the installed model KEY.")
    pa.add_argument("key", nargs="?", help="fr | en | spk")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from timekeeper.errors import ConfigError, ModelNotFound
    from timekeeper.models.manager import ModelManager

    mm = ModelManager(args.models_dir)
    action = args.models_action or "list"
    if action == "list":
        installed = {m.name: m for m in mm.list_installed()}
        for key, e in mm.manifest.items():
            state = f"installed  {installed[e.name].path}" if e.name in installed else "not installed"
            print(f"{key:<4} {e.name:<30} ~{e.size_bytes / 1e6:.0f} MB  {state}")
        for name, m in installed.items():
            if not m.key:
                print(f"-    {name:<30} {m.size_bytes / 1e6:.0f} MB  installed  {m.path}")
        return 0
    if action == "path":
        if args.key:
            p = mm.installed_path(args.key)
            if p is None:
                raise ModelNotFound(f"model {args.key!r} not installed: run `timekeeper models install {args.key}`")
            print(p)
        else:
            print(mm.root)
        return 0
    if action == "verify":
        results = mm.verify()
        if not results:
            print(f"no model installed in {mm.root}")
            return 0
        for name, ok, why in results:
            print(f"{'ok ' if ok else 'BAD'} {name}: {why}")
        return 0 if all(ok for _, ok, _ in results) else 1
    if action == "install":
        if args.from_zip:
            print(f"installed {mm.install_from(args.from_zip)}")
            return 0
        if not args.key:
            raise ConfigError("say which model: `timekeeper models install fr|en|spk` or `--from FILE.zip`")
        e = mm.entry(args.key)
        from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

        with Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(),
                      TransferSpeedColumn(), transient=True) as bar:
            task = bar.add_task(e.name, total=e.size_bytes or None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total or e.size_bytes or None)

            path = mm.install(args.key, progress)
        print(f"installed {path}")
        return 0
    raise ConfigError(f"unknown action {action!r}")
