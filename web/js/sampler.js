// The Salamander grand piano (CC BY 3.0, Alexander Holm) from the npm packages
// @audio-samples/piano-mp3-velocity*, as installed by scripts/install_piano_samples.sh
// under /samples/ (manifest.json: the velocity layers and notes there). Each note plays
// the nearest sampled pitch of the layer nearest its velocity, re-pitched, with a gain
// from the velocity. load() rejects when the samples are not served; the page then falls
// back to the synth.
const NAMES = ['C', 'Cs', 'D', 'Ds', 'E', 'F', 'Fs', 'G', 'Gs', 'A', 'As', 'B'];

function pitchOf(name) {
  const match = /^([A-G]s?)(-?\d)$/.exec(name);
  return match ? NAMES.indexOf(match[1]) + 12 * (Number(match[2]) + 1) : null;
}

export class Sampler {
  constructor(context, destination, base = 'samples/') {
    this.context = context;
    this.destination = destination;
    this.base = base;
    this.layers = [];  // [{velocity, buffers: Map pitch → AudioBuffer}]
    this.name = 'Salamander grand piano samples';
  }

  async load() {
    const response = await fetch(this.base + 'manifest.json');
    if (!response.ok) throw new Error('no piano samples');
    const manifest = await response.json();
    for (const layer of manifest.layers) {
      const buffers = new Map();
      await Promise.all(layer.notes.map(async (note) => {
        const data = await (await fetch(`${this.base}${layer.dir}/${note}.mp3`)).arrayBuffer();
        buffers.set(pitchOf(note), await this.context.decodeAudioData(data));
      }));
      this.layers.push({velocity: layer.velocity, buffers});
    }
    if (this.layers.length === 0) throw new Error('no piano samples');
  }

  noteOn(pitch, velocity, when) {
    const layer = this.layers.reduce((best, l) =>
      Math.abs(l.velocity - velocity) < Math.abs(best.velocity - velocity) ? l : best);
    let nearest = null;
    for (const p of layer.buffers.keys()) {
      if (nearest === null || Math.abs(p - pitch) < Math.abs(nearest - pitch)) nearest = p;
    }
    const source = this.context.createBufferSource();
    source.buffer = layer.buffers.get(nearest);
    source.playbackRate.value = Math.pow(2, (pitch - nearest) / 12);
    const gain = this.context.createGain();
    gain.gain.value = 0.3 + 0.7 * (velocity / 127);
    source.connect(gain).connect(this.destination);
    source.start(when);
    return (at) => {
      const t = Math.max(at, when + 0.01);
      gain.gain.setTargetAtTime(0, t, 0.12);
      source.stop(t + 1.0);
    };
  }
}
