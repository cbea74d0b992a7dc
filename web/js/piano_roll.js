// A scrolling piano roll: the last `seconds` of notes, time running right to left, the
// current moment at the right edge; velocity as brightness.
export class PianoRoll {
  constructor(canvas, seconds = 10) {
    this.canvas = canvas;
    this.seconds = seconds;
  }
  // notes: [{start, end, pitch, velocity}] (end null while sounding), now: stream time.
  draw(notes, now) {
    const c = this.canvas;
    if (c.width !== c.clientWidth && c.clientWidth > 0) c.width = c.clientWidth;
    const g = c.getContext('2d');
    g.fillStyle = '#111';
    g.fillRect(0, 0, c.width, c.height);
    const x = (t) => c.width * (1 - (now - t) / this.seconds);
    const row = c.height / 88;
    g.strokeStyle = '#222';
    for (let p = 24; p <= 108; p += 12) {  // C lines
      const y = c.height - (p - 21) * row;
      g.beginPath(); g.moveTo(0, y); g.lineTo(c.width, y); g.stroke();
    }
    for (const n of notes) {
      const end = n.end === null ? now : Math.min(n.end, now);
      if (end < now - this.seconds || n.start > now) continue;
      const light = 35 + Math.round(40 * n.velocity / 127);
      g.fillStyle = `hsl(${30 + (n.pitch % 12) * 2}, 90%, ${light}%)`;
      const x0 = Math.max(0, x(n.start));
      g.fillRect(x0, c.height - (n.pitch - 20) * row, Math.max(2, x(end) - x0), Math.max(2, row));
    }
  }
}
