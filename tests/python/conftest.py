"""Shared fixtures of the Python module's tests: the program built beside the module, the
source tree, and a command-line runner."""
import os
import subprocess

import pytest


@pytest.fixture(scope="session")
def binary():
    path = os.environ.get("PRNN_BINARY")
    if not path or not os.path.exists(path):
        pytest.fail("PRNN_BINARY must name the built performance_rnn program (run through CTest)")
    return path


@pytest.fixture(scope="session")
def source_dir():
    return os.environ.get("PRNN_SOURCE_DIR",
                          os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


@pytest.fixture(scope="session")
def fixtures(source_dir):
    return os.path.join(source_dir, "tests", "fixtures")


@pytest.fixture(scope="session")
def cli(binary):
    def run(*args):
        result = subprocess.run([binary, *args], capture_output=True, text=True)
        assert result.returncode == 0, f"{args}: {result.stderr}"
        return result.stdout
    return run
