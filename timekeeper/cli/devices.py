"""`timekeeper devices`: list input devices with their native rates."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    from timekeeper.cli.main import add_common

    p = subparsers.add_parser(
        "devices", help="list microphones (input devices) and their rates",
        description="List the input devices this machine has, with their channels and native rates; "
                    "the default one is marked *. Use one with `timekeeper run --input mic:N`.")
    add_common(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Exit 0 with the list; exit 2 with one line when there is no input device."""
    from timekeeper.audio.sources import list_devices
    from timekeeper.errors import AudioDeviceError

    devices = list_devices()
    if not devices:
        raise AudioDeviceError("no input device found; plug in a microphone, or replay a recording with --input FILE.wav")
    for d in devices:
        mark = "*" if d.is_default else " "
        print(f"{mark} mic:{d.index:<3} {d.name}  ({d.channels} ch, {d.default_rate_hz} Hz)")
    return 0
