// The page's side of the studio protocol (doc/formats/studio_protocol.md): one WebSocket
// to /stream; dispatches "hello", "events", "error" and "close" as DOM events whose
// `detail` is the message; sends controls with increasing seq numbers.
export class StreamClient extends EventTarget {
  constructor(url) {
    super();
    this.url = url;
    this.seq = 0;
    this.socket = null;
    this.hello = null;
  }

  connect() {
    this.socket = new WebSocket(this.url);
    this.socket.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        this.dispatchEvent(new CustomEvent('error', {detail: {message: 'unreadable message'}}));
        return;
      }
      if (message.type === 'hello') this.hello = message;
      this.dispatchEvent(new CustomEvent(message.type, {detail: message}));
    };
    this.socket.onclose = (event) => {
      this.dispatchEvent(new CustomEvent('close', {detail: {code: event.code}}));
    };
    return new Promise((resolve, reject) => {
      this.socket.onopen = () => resolve();
      this.socket.onerror = () => reject(new Error('cannot connect to ' + this.url));
    });
  }

  get open() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  send(message) {
    if (this.open) this.socket.send(JSON.stringify(message));
  }

  // Returns the seq number the server will echo once the change is in effect.
  controls(fields) {
    this.send({type: 'controls', seq: ++this.seq, ...fields});
    return this.seq;
  }
  reset() {
    this.send({type: 'reset', seq: ++this.seq});
    return this.seq;
  }
  prime(notes) {
    this.send({type: 'prime', seq: ++this.seq, notes});
    return this.seq;
  }
  played(t) {
    this.send({type: 'played', t: Math.max(0, t)});
  }
}
