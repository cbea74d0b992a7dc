// A standard MIDI file (format 0, 480 ticks per quarter at 120 qpm: 960 ticks per
// second) of notes [{start, end, pitch, velocity}] in seconds, as bytes.
const TICKS_PER_SECOND = 960;

function variableLength(value) {
  const bytes = [value & 0x7f];
  while ((value >>= 7) > 0) bytes.unshift((value & 0x7f) | 0x80);
  return bytes;
}

export function midiFileBytes(notes) {
  const events = [];
  for (const n of notes) {
    events.push({tick: Math.round(n.start * TICKS_PER_SECOND), bytes: [0x90, n.pitch, n.velocity]});
    events.push({tick: Math.round(n.end * TICKS_PER_SECOND), bytes: [0x80, n.pitch, 0]});
  }
  // Offs before ons at the same tick, so a repeated pitch is not cut short.
  events.sort((a, b) => a.tick - b.tick || (a.bytes[0] === 0x80 ? -1 : 1) + (b.bytes[0] === 0x80 ? 1 : -1));
  const track = [0x00, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20];  // tempo: 500,000 µs per quarter
  let tick = 0;
  for (const e of events) {
    track.push(...variableLength(e.tick - tick), ...e.bytes);
    tick = e.tick;
  }
  track.push(0x00, 0xff, 0x2f, 0x00);
  const u32 = (v) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  return new Uint8Array([
    0x4d, 0x54, 0x68, 0x64, ...u32(6), 0, 0, 0, 1, 0x01, 0xe0,  // MThd, format 0, 1 track, 480
    0x4d, 0x54, 0x72, 0x6b, ...u32(track.length), ...track,
  ]);
}
