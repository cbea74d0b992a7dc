// The fallback sound when no piano samples are served: a small additive synth (two
// detuned partials through a decaying envelope), velocity as gain.
export class Synth {
  constructor(context, destination) {
    this.context = context;
    this.destination = destination;
    this.name = 'synth (no piano samples installed)';
  }
  async load() {}
  // Starts `pitch` at audio time `when`; returns a function that releases it at a time.
  noteOn(pitch, velocity, when) {
    const ctx = this.context;
    const frequency = 440 * Math.pow(2, (pitch - 69) / 12);
    const gain = ctx.createGain();
    const peak = 0.25 * Math.pow(velocity / 127, 1.5);
    gain.gain.setValueAtTime(0, when);
    gain.gain.linearRampToValueAtTime(peak, when + 0.005);
    gain.gain.exponentialRampToValueAtTime(peak * 0.3, when + 1.5);
    gain.connect(this.destination);
    const oscillators = [1, 2.0].map((ratio, i) => {
      const o = ctx.createOscillator();
      o.type = i === 0 ? 'triangle' : 'sine';
      o.frequency.setValueAtTime(frequency * ratio, when);
      const g = ctx.createGain();
      g.gain.value = i === 0 ? 1 : 0.2;
      o.connect(g).connect(gain);
      o.start(when);
      return o;
    });
    return (at) => {
      const t = Math.max(at, when + 0.01);
      gain.gain.cancelScheduledValues(t);
      gain.gain.setTargetAtTime(0, t, 0.08);
      for (const o of oscillators) o.stop(t + 0.6);
    };
  }
}
