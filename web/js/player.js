// Plays the notes a StreamClient receives, on time: stream time is mapped onto a clock
// (the AudioContext's when it runs, else performance.now()), the played time is reported
// every 50 ms (the server's credit), and notes are scheduled on the sound 0.1 s ahead.
// A note more than 1 s late is dropped (the demo's clock jump); a note held over 3 s is
// released (as in the demo). Every note is kept (an hour) for the piano roll and for
// saving as MIDI; MIDI out gets each note with the timestamp of its sound.
const SCHEDULE_AHEAD = 0.1, REPORT_EVERY = 0.05, MAX_LATE = 1.0, MAX_NOTE = 3.0, KEEP = 3600;

export class Player {
  constructor(client, context) {
    this.client = client;
    this.context = context;  // AudioContext or null
    this.sound = null;
    this.midiOut = null;  // MIDIOutput or null
    this.playing = false;
    this.pausedStream = 0;  // stream time at the last start/stop
    this.resumeClock = 0;   // clock time at the last start
    this.useAudioClock = false;
    this.pending = [];      // received, not yet scheduled: [t, pitch, velocity]
    this.notes = [];        // {start, end, pitch, velocity, release}
    this.sounding = new Map();  // pitch → note
    this.until = 0;
    this.seq = 0;
    this.model = '';
    this.lastReport = -1;
    this.notesPlayed = 0;
    this.dropped = 0;
    client.addEventListener('events', (e) => this.receive(e.detail));
    this.timer = setInterval(() => this.tick(), 25);
  }

  clock() {
    return this.useAudioClock ? this.context.currentTime : performance.now() / 1000;
  }
  streamNow() {
    return this.playing ? this.pausedStream + (this.clock() - this.resumeClock) : this.pausedStream;
  }
  // The clock time at which stream time t sounds.
  clockAt(t) {
    return this.resumeClock + (t - this.pausedStream);
  }

  start() {
    if (this.playing) return;
    this.useAudioClock = this.context !== null && this.context.state === 'running';
    this.resumeClock = this.clock();
    this.playing = true;
    this.report(true);
  }
  stop() {
    if (!this.playing) return;
    const now = this.streamNow();
    this.releaseAll(now);
    this.pausedStream = now;
    this.playing = false;
  }

  receive(message) {
    for (const note of message.notes) this.pending.push(note);
    this.until = message.until;
    this.seq = message.seq;
    this.model = message.model;
  }

  report(force) {
    const now = this.streamNow();
    if (force || now - this.lastReport >= REPORT_EVERY) {
      this.client.played(now);
      this.lastReport = now;
    }
  }

  tick() {
    if (!this.playing) return;
    // The audio clock may stall (no output device): then performance.now() takes over.
    if (this.useAudioClock && this.context.state !== 'running') {
      const now = this.streamNow();
      this.useAudioClock = false;
      this.pausedStream = now;
      this.resumeClock = this.clock();
    }
    this.report(false);
    const now = this.streamNow();
    let i = 0;
    for (; i < this.pending.length && this.pending[i][0] < now + SCHEDULE_AHEAD; ++i) {
      const [t, pitch, velocity] = this.pending[i];
      if (t < now - MAX_LATE) {
        ++this.dropped;
        continue;
      }
      if (velocity > 0) this.noteOn(t, pitch, velocity); else this.noteOff(t, pitch);
    }
    this.pending.splice(0, i);
    for (const [pitch, note] of this.sounding) {
      if (now - note.start > MAX_NOTE) this.noteOff(note.start + MAX_NOTE, pitch);
    }
    while (this.notes.length > 0 && this.notes[0].end !== null && this.notes[0].end < now - KEEP) {
      this.notes.shift();
    }
  }

  // The audio time of stream time t (never in the past).
  audioTime(t) {
    const when = this.useAudioClock ? this.clockAt(t) : this.context.currentTime + (t - this.streamNow());
    return Math.max(when, this.context.currentTime);
  }

  noteOn(t, pitch, velocity) {
    if (this.sounding.has(pitch)) this.noteOff(t, pitch);
    const note = {start: t, end: null, pitch, velocity, release: null};
    if (this.sound && this.context) note.release = this.sound.noteOn(pitch, velocity, this.audioTime(t));
    this.sendMidi(t, [0x90, pitch, velocity]);
    this.sounding.set(pitch, note);
    this.notes.push(note);
    ++this.notesPlayed;
  }

  noteOff(t, pitch) {
    const note = this.sounding.get(pitch);
    if (!note) return;
    note.end = Math.max(t, note.start);
    if (note.release) note.release(this.audioTime(note.end));
    this.sendMidi(note.end, [0x80, pitch, 0]);
    this.sounding.delete(pitch);
  }

  releaseAll(t) {
    for (const pitch of [...this.sounding.keys()]) this.noteOff(t, pitch);
  }

  // MIDI out at the moment the note sounds: stream time → audio time → performance.now()
  // time through the context's output timestamp (the demo's were off by a varying offset).
  sendMidi(t, bytes) {
    if (!this.midiOut) return;
    let at;
    if (this.useAudioClock && this.context.getOutputTimestamp) {
      const stamp = this.context.getOutputTimestamp();
      at = stamp.performanceTime + (this.clockAt(t) - stamp.contextTime) * 1000;
    } else {
      at = performance.now() + (t - this.streamNow()) * 1000;
    }
    this.midiOut.send(bytes, Math.max(at, performance.now()));
  }

  // Pitches sounding at stream time `now`.
  soundingAt(now) {
    const set = new Set();
    for (const n of this.sounding.values()) if (n.start <= now) set.add(n.pitch);
    return set;
  }

  // Notes that started in the last `seconds` before `now`, as played (ends clipped to now).
  recent(seconds, now = this.streamNow()) {
    return this.notes
      .filter((n) => n.start >= now - seconds && n.start <= now)
      .map((n) => ({start: n.start, end: n.end === null ? now : Math.min(n.end, now),
                    pitch: n.pitch, velocity: n.velocity}));
  }
}
