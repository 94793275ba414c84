"""An in-tree PEP 517 backend for `pip install ./bindings/python`: builds the UniFFI crate
cccd-uniffi with cargo and packs its library with the committed generated module
(bindings/uniffi/generated/python/cccd.py, kept fresh by bindings/uniffi/tests/generated.rs)
into a wheel. No build dependency from PyPI. Only wheels: install from the repository, where
cargo and the sources are.

Environment: CCCD_CARGO_PROFILE (`release`, the default, or `dev`), CARGO_TARGET_DIR.
"""

import base64
import hashlib
import os
import subprocess
import sys
import sysconfig
import zipfile

NAME = "cccd"
VERSION = "0.1.0"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def _library():
    profile = os.environ.get("CCCD_CARGO_PROFILE", "release")
    subprocess.run(
        ["cargo", "build", "-p", "cccd-uniffi", "--profile", profile, "--locked"],
        cwd=ROOT, check=True, stdout=sys.stderr)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    out = os.path.join(target, "debug" if profile == "dev" else profile)
    if sys.platform == "win32":
        name = "cccd_uniffi.dll"
    elif sys.platform == "darwin":
        name = "libcccd_uniffi.dylib"
    else:
        name = "libcccd_uniffi.so"
    return name, os.path.join(out, name)


def _tag():
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return "py3-none-" + platform


def _metadata():
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {NAME}\nVersion: {VERSION}\n"
        "Summary: Read and verify the chip of the Vietnamese citizen ID card (CCCD) and any "
        "ICAO 9303 eMRTD\n"
        "License: MIT OR Apache-2.0\nRequires-Python: >=3.9\n"
        "Description-Content-Type: text/markdown\n\n" + readme)


def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    libname, library = _library()
    with open(os.path.join(ROOT, "bindings", "uniffi", "generated", "python", "cccd.py"),
              "rb") as f:
        module = f.read()
    with open(library, "rb") as f:
        native = f.read()
    tag = _tag()
    dist_info = f"{NAME}-{VERSION}.dist-info"
    files = {
        f"{NAME}/__init__.py": b"from .cccd import *  # noqa: F401,F403\n"
                               b"from .cccd import __all__  # noqa: F401\n",
        f"{NAME}/cccd.py": module,
        f"{NAME}/{libname}": native,
        f"{dist_info}/METADATA": _metadata().encode("utf-8"),
        f"{dist_info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: cccd_build\nRoot-Is-Purelib: false\n"
            f"Tag: {tag}\n").encode(),
    }
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        record.append(f"{path},sha256={digest.decode()},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = f"{NAME}-{VERSION}-{tag}.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel), "w",
                         zipfile.ZIP_DEFLATED) as z:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if path.endswith(libname) else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return wheel
