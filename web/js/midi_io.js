// Web MIDI: the output the player sends notes to, and an input for call and response:
// the notes played there form a phrase (it ends after 1 s with no key held), which primes
// the model to answer it; the played pitch classes set the histogram and turn
// conditioning on, and 30 s without playing turns it off again (the demo's behaviour).
const PHRASE_GAP_MS = 1000, SILENCE_OFF_MS = 30000;

export class MidiIo {
  // hooks: {setOutput(output|null), onPhrase(notes), onHistogram(counts), onSilence(), status(text)}
  constructor(outSelect, inSelect, hooks) {
    this.outSelect = outSelect;
    this.inSelect = inSelect;
    this.hooks = hooks;
    this.access = null;
    this.input = null;
    this.held = new Map();  // pitch → {start, velocity}
    this.phrase = [];
    this.phraseStart = 0;
    this.phraseTimer = null;
    this.silenceTimer = null;
  }

  async init() {
    if (!navigator.requestMIDIAccess) {
      this.hooks.status('Web MIDI is not available in this browser');
      return;
    }
    try {
      this.access = await navigator.requestMIDIAccess();
    } catch (e) {
      this.hooks.status('MIDI access refused');
      return;
    }
    this.access.onstatechange = () => this.listDevices();
    this.outSelect.onchange = () => this.hooks.setOutput(this.access.outputs.get(this.outSelect.value) || null);
    this.inSelect.onchange = () => this.selectInput(this.inSelect.value);
    this.listDevices();
  }

  listDevices() {
    const fill = (select, ports) => {
      const chosen = select.value;
      select.replaceChildren(new Option('none', ''));
      for (const port of ports.values()) select.add(new Option(port.name, port.id));
      select.value = [...ports.keys()].includes(chosen) ? chosen : '';
    };
    fill(this.outSelect, this.access.outputs);
    fill(this.inSelect, this.access.inputs);
    const count = this.access.outputs.size + this.access.inputs.size;
    this.hooks.status(count ? '' : 'no MIDI devices found');
  }

  selectInput(id) {
    if (this.input) this.input.onmidimessage = null;
    this.input = id ? this.access.inputs.get(id) : null;
    if (this.input) this.input.onmidimessage = (m) => this.onMessage(m.data, m.timeStamp);
  }

  // Note on/off bytes at a performance.now() time (exported for tests without devices).
  onMessage(data, timeMs) {
    const kind = data[0] & 0xf0;
    const pitch = data[1], velocity = data[2];
    clearTimeout(this.phraseTimer);
    clearTimeout(this.silenceTimer);
    if (kind === 0x90 && velocity > 0) {
      if (this.phrase.length === 0 && this.held.size === 0) this.phraseStart = timeMs;
      this.held.set(pitch, {start: (timeMs - this.phraseStart) / 1000, velocity});
    } else if (kind === 0x80 || (kind === 0x90 && velocity === 0)) {
      const on = this.held.get(pitch);
      if (on) {
        this.held.delete(pitch);
        const end = Math.max(on.start, (timeMs - this.phraseStart) / 1000);
        if (this.phrase.length < 128 && end <= 60) this.phrase.push([on.start, end, pitch, on.velocity]);
      }
    } else {
      return;
    }
    if (this.held.size === 0 && this.phrase.length > 0) {
      this.phraseTimer = setTimeout(() => this.endPhrase(), PHRASE_GAP_MS);
    }
    this.silenceTimer = setTimeout(() => this.hooks.onSilence(), SILENCE_OFF_MS);
  }

  endPhrase() {
    const counts = new Array(12).fill(0);
    for (const [, , pitch] of this.phrase) counts[pitch % 12] += 1;
    this.hooks.onHistogram(counts);
    this.hooks.onPhrase(this.phrase);
    this.phrase = [];
  }
}
