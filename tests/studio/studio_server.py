"""Starts `performance_rnn serve` on a free loopback port for a test and stops it.

The server prints `studio: http://127.0.0.1:PORT/ ...` once it listens; `Studio` waits for
that line (bounded), and stop() sends SIGTERM and returns the exit status and the output.
"""
import os
import re
import signal
import subprocess
import time


class Studio:
    def __init__(self, binary, *flags, timeout=60):
        self.process = subprocess.Popen(
            [binary, 'serve', '--port=0', *flags], stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        self.lines = []
        deadline = time.time() + timeout
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError('serve exited: ' + ''.join(self.lines))
            self.lines.append(line)
            match = re.search(r'studio: http://127\.0\.0\.1:(\d+)/', line)
            if match:
                self.port = int(match.group(1))
                self.url = f'http://127.0.0.1:{self.port}/'
                return
        self.process.kill()
        raise RuntimeError('serve did not start: ' + ''.join(self.lines))

    def stop(self, timeout=10):
        """SIGTERM; returns (exit status, everything it printed)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            rest, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            rest, _ = self.process.communicate()
            return None, ''.join(self.lines) + rest
        return self.process.returncode, ''.join(self.lines) + (rest or '')


def studio_models_dir(source_dir, work_dir):
    """A models folder: the shipped model(s) of models/ plus the tiny conditioned fixture."""
    models = os.path.join(work_dir, 'models')
    os.makedirs(models, exist_ok=True)
    for name in os.listdir(os.path.join(source_dir, 'models')):
        if name.endswith('.safetensors.gz') or name.endswith('.mag'):
            os.symlink(os.path.join(source_dir, 'models', name), os.path.join(models, name))
    os.symlink(os.path.join(source_dir, 'tests/fixtures/generate/magenta_layout_conditioned_2x8.mag'),
               os.path.join(models, 'conditioned_fixture_2x8.mag'))
    return models
