"""Throws abuse at `performance_rnn serve` on 127.0.0.1, bounded in count and time, while
one well-behaved client (`performance_rnn benchmark studio_load --clients=1`) plays
throughout; that client must see no underrun and the server must stay up and stop
cleanly on SIGTERM. Each item checks the documented answer (doc/formats/studio_protocol.md):
1,000 connects; 503 past --max_clients; refused Origin and Host (403); static paths
outside the web folder (404); oversized, malformed, binary and invalid-UTF-8 frames close
the connection; invalid JSON and values get an "error" reply and the connection stays;
a client that does not read is dropped; a half-sent request header and a silent
WebSocket are closed by the timeouts.
Usage: studio_abuse_test.py PERFORMANCE_RNN_BINARY SOURCE_DIR
"""
import concurrent.futures
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ws_raw  # noqa: E402
from studio_server import Studio, studio_models_dir  # noqa: E402

MAX_CLIENTS = 12
failures = []


T0 = time.time()


def check(condition, what):
    print(f'{time.time() - T0:5.1f} s ' + ('ok   ' if condition else 'FAIL ') + what, flush=True)
    if not condition:
        failures.append(what)


def http_get(port, target, host_header=None):
    s = ws_raw.connect(port)
    s.sendall(f'GET {target} HTTP/1.1\r\nHost: {host_header or f"127.0.0.1:{port}"}\r\n'
              'Connection: close\r\n\r\n'.encode())
    head, _ = ws_raw.read_http_head(s)
    s.close()
    return ws_raw.status_of(head)


def one_connect(port, i):
    """Connect and leave in one of four ways; returns the HTTP status or 0."""
    s = ws_raw.connect(port)
    try:
        if i % 4 == 0:
            return 0  # connect and close at once
        if i % 4 == 1:
            s.sendall(f'GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n'.encode())
        else:
            s.sendall(ws_raw.upgrade_request(port))
        head, _ = ws_raw.read_http_head(s)
        return ws_raw.status_of(head) or 0
    finally:
        s.close()


def listens_on(port):
    """The IPv4 and IPv6 addresses with a listening socket on `port` (/proc/net/tcp*)."""
    found = []
    for table, size in (('/proc/net/tcp', 8), ('/proc/net/tcp6', 32)):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, local_port = local.split(':')
            if int(local_port, 16) != port or state != '0A':
                continue
            if size == 8:
                found.append(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
            else:
                words = [bytes.fromhex(address[i:i + 8])[::-1] for i in range(0, 32, 8)]
                found.append(socket.inet_ntop(socket.AF_INET6, b''.join(words)))
    return found


def wide_open_warns(binary, models_dir):
    """`serve --host=0.0.0.0` starts, says it listens on every address and warns."""
    process = subprocess.Popen([binary, 'serve', '--host=0.0.0.0', '--port=0',
                                '--models_dir=' + models_dir], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith('studio: http://0.0.0.0:'):
                break
    finally:
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=20)
    text = ''.join(lines) + rest
    print('  --host=0.0.0.0:', [line for line in text.splitlines() if 'WARN' in line][:1])
    return 'studio: http://0.0.0.0:' in text and 'not only this machine' in text


def main(binary, source_dir):
    work = tempfile.mkdtemp(prefix='prnn_studio_abuse_')
    studio = Studio(binary, '--models_dir=' + studio_models_dir(source_dir, work),
                    '--web_dir=' + os.path.join(source_dir, 'web'),
                    f'--max_clients={MAX_CLIENTS}', '--header_timeout=2', '--idle_timeout=4')
    port = studio.port
    good = subprocess.Popen([binary, 'benchmark', 'studio_load', f'--port={port}', '--clients=1',
                             '--seconds=18', '--density=8'],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    global T0
    T0 = time.time()
    try:
        time.sleep(1.0)
        # 1,000 connects, 16 at a time: each answered (200/101) or simply closed.
        start = time.time()
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            statuses = list(pool.map(lambda i: one_connect(port, i), range(1000)))
        counts = {s: statuses.count(s) for s in set(statuses)}
        print(f'1,000 connects in {time.time() - start:.1f} s: {counts}')
        check(counts.get(200, 0) == 250 and counts.get(101, 0) + counts.get(503, 0) == 500,
              '1,000 connects: every page request served, every upgrade accepted or 503')

        # Past --max_clients: 503 (the good client holds one place).
        held = [ws_raw.Client(port) for _ in range(MAX_CLIENTS - 1)]
        check(all(c.status == 101 for c in held), f'{MAX_CLIENTS - 1} more clients accepted')
        extra = ws_raw.Client(port)
        check(extra.status == 503, f'client {MAX_CLIENTS + 1} answered 503 (got {extra.status})')
        extra.close()
        for c in held:
            c.close()
        time.sleep(0.3)

        # Bound to loopback by default; another --host is served with a warning.
        check(listens_on(port) == ['127.0.0.1'], f'listens on 127.0.0.1 only ({listens_on(port)})')
        check(wide_open_warns(binary, studio_models_dir(source_dir, tempfile.mkdtemp(dir=work))),
              '--host=0.0.0.0 warns that anyone who can reach it can use the studio')

        # Origin and Host checks, static paths.
        s = ws_raw.connect(port)
        s.sendall(ws_raw.upgrade_request(port, origin='http://evil.example'))
        check(ws_raw.status_of(ws_raw.read_http_head(s)[0]) == 403, 'foreign Origin refused (403)')
        s.close()
        s = ws_raw.connect(port)
        s.sendall(ws_raw.upgrade_request(port, origin=f'http://127.0.0.1:{port}'))
        check(ws_raw.status_of(ws_raw.read_http_head(s)[0]) == 101, 'own Origin accepted')
        s.close()
        check(http_get(port, '/', host_header=f'rebound.example:{port}') == 403,
              'foreign Host refused (403, DNS rebinding)')
        for target in ['/../README.md', '/js/', '/js', '/%2e%2e/README.md', '/.gitignore',
                       '/index.html/../../README.md', '/samples/../../README.md']:
            check(http_get(port, target) == 404, f'GET {target} is 404')
        check(http_get(port, '/') == 200 and http_get(port, '/js/main.js') == 200,
              'the page and its modules are served')

        # Frames that close the connection.
        def closes(payload_frames, what):
            c = ws_raw.Client(port)
            c.read_json('hello')
            for f in payload_frames:
                try:
                    c.sock.sendall(f)
                except OSError:
                    break
            check(c.closed_within(5), what)
            c.close()

        closes([ws_raw.frame(b'{"type":"played","t":1,"x":"' + b'x' * 100000 + b'"}')],
               'oversized message (100 kB) closes the connection')
        closes([ws_raw.frame(b'{"type":"played"}', mask=False)], 'unmasked client frame closes it')
        closes([ws_raw.frame(b'x', rsv=0b100)], 'reserved bits close it')
        closes([ws_raw.frame(b'x', opcode=0x3)], 'unknown opcode closes it')
        closes([ws_raw.frame(b'\x00\x01', opcode=0x2)], 'binary message closes it')
        closes([ws_raw.frame(b'{"type":"pl\xc3\x28"}')], 'invalid UTF-8 closes it')
        closes([ws_raw.frame(b'\x81', mask=True)[:1]], 'truncated frame then silence: closed')

        # Bad messages: an error reply each, and the connection and stream go on.
        c = ws_raw.Client(port)
        c.read_json('hello')
        bad = ['not json', '[]', '{"type":"played","t":-5}', '{"type":"controls","seq":1,"density":"x"}',
               '{"type":"controls","seq":1,"temperature":1e309}', '{"type":"controls","seq":1,"model":"nope"}',
               '{"type":"prime","seq":1,"notes":[[0,1,200,100]]}', '{"type":"controls","seq":1,"extra":1}',
               '{"a":' * 500 + '1' + '}' * 500]
        replies = []
        for text in bad:
            c.send_text(text)
            replies.append(c.read_json('error')['message'])
        check(len(replies) == len(bad), f'{len(bad)} bad messages, {len(replies)} error replies')
        print('  e.g.', replies[:3])
        c.send_json({'type': 'played', 't': 0})
        check(c.read_json('events')['type'] == 'events', 'the stream goes on after bad messages')
        c.close()

        # A client that does not read (tiny receive buffer), flooding bad messages whose
        # replies fill its queue: dropped.
        slow = ws_raw.Client(port, rcvbuf=4096)
        flood = ws_raw.frame(b'{"type":"dance"}') * 200
        dropped = False
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                slow.sock.sendall(flood)
            except OSError:
                dropped = True
                break
            time.sleep(0.01)
        check(dropped, 'a client that does not read is dropped')
        slow.close()

        # Half-open: a header that never ends (closed after --header_timeout=2), and an
        # upgraded client that never answers pings (closed after --idle_timeout=4).
        s = ws_raw.connect(port, timeout=8)
        s.sendall(b'GET / HTTP/1.1\r\nHost: 127.0.0.1:' + str(port).encode() + b'\r\nX-Slow: ')
        t0 = time.time()
        try:
            ended = s.recv(100) == b''
        except OSError as e:
            ended = not isinstance(e, socket.timeout)
        check(ended and time.time() - t0 < 6, f'slow header closed after {time.time() - t0:.1f} s')
        s.close()
        silent = ws_raw.Client(port)
        t0 = time.time()
        check(silent.closed_within(12) and time.time() - t0 < 12,
              f'silent WebSocket closed after {time.time() - t0:.1f} s')
        silent.close()
    finally:
        out, _ = good.communicate(timeout=90)
        status, log = studio.stop()
        shutil.rmtree(work, ignore_errors=True)
    print('well-behaved client:', out.strip())
    result = json.loads(out.strip().splitlines()[-1])
    check(result['clients_with_underrun'] == 0 and result['clients_never_served'] == 0,
          f"the well-behaved client never underran (lowest lookahead {result['min_lookahead_s']:.3f} s)")
    check(status == 0 and 'studio: stopped' in log, 'SIGTERM: clean stop, exit 0')
    print('\n'.join(log.splitlines()[-5:]))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))
