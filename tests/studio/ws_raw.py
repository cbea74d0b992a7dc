"""A minimal WebSocket client on a raw socket (RFC 6455), for tests that must send what a
well-behaved client never would: any frame bytes, no reading, half-finished handshakes.
Loopback only."""
import base64
import json
import os
import socket
import struct

LOOPBACK = ('127.0.0.1', '::1', 'localhost')


def connect(port, host='127.0.0.1', timeout=5.0, rcvbuf=None):
    assert host in LOOPBACK
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(timeout)
    s.connect((host, port))
    return s


def upgrade_request(port, origin=None, host_header=None, path='/stream'):
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [f'GET {path} HTTP/1.1', f'Host: {host_header or f"127.0.0.1:{port}"}',
             'Upgrade: websocket', 'Connection: Upgrade', f'Sec-WebSocket-Key: {key}',
             'Sec-WebSocket-Version: 13']
    if origin:
        lines.append(f'Origin: {origin}')
    return ('\r\n'.join(lines) + '\r\n\r\n').encode()


def read_http_head(s):
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b'\r\n\r\n')
    return head.decode('latin-1'), rest


def status_of(head):
    parts = head.split(' ', 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def frame(payload, opcode=0x1, fin=True, mask=True, rsv=0):
    header = bytes([(0x80 if fin else 0) | rsv << 4 | opcode])
    n = len(payload)
    m = 0x80 if mask else 0
    if n < 126:
        header += bytes([m | n])
    elif n < 65536:
        header += bytes([m | 126]) + struct.pack('>H', n)
    else:
        header += bytes([m | 127]) + struct.pack('>Q', n)
    if not mask:
        return header + payload
    key = os.urandom(4)
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


class Client:
    """An upgraded connection that reads server frames (text, close) on demand."""

    def __init__(self, port, **kw):
        self.sock = connect(port, **kw)
        self.sock.sendall(upgrade_request(port))
        head, self.buffer = read_http_head(self.sock)
        self.status = status_of(head)

    def send_text(self, text):
        self.sock.sendall(frame(text.encode() if isinstance(text, str) else text))

    def send_json(self, obj):
        self.send_text(json.dumps(obj))

    def _need(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError('closed')
            self.buffer += chunk

    def read_frame(self):
        """(opcode, payload); ConnectionError when the connection ends."""
        self._need(2)
        opcode, n = self.buffer[0] & 0x0f, self.buffer[1] & 0x7f
        at = 2
        if n == 126:
            self._need(4)
            n, at = struct.unpack('>H', self.buffer[2:4])[0], 4
        elif n == 127:
            self._need(10)
            n, at = struct.unpack('>Q', self.buffer[2:10])[0], 10
        self._need(at + n)
        payload, self.buffer = self.buffer[at:at + n], self.buffer[at + n:]
        return opcode, payload

    def read_json(self, type_=None):
        """The next text message (of `type_` if given); answers pings."""
        while True:
            opcode, payload = self.read_frame()
            if opcode == 0x9:
                self.sock.sendall(frame(payload, opcode=0xA))
            elif opcode == 0x8:
                raise ConnectionError('close frame %r' % payload[:2])
            elif opcode == 0x1:
                message = json.loads(payload)
                if type_ is None or message.get('type') == type_:
                    return message

    def closed_within(self, seconds):
        """True when the server ends the connection within `seconds` (frames are discarded)."""
        self.sock.settimeout(seconds)
        try:
            while True:
                if not self.sock.recv(65536):
                    return True
        except (ConnectionError, OSError) as e:
            return not isinstance(e, socket.timeout)

    def close(self):
        self.sock.close()
