// The page's whole state in the URL hash, so a link reproduces it (the demo's fields,
// in its order, then ours): density index | 12 histogram values | preset 1 | preset 2 |
// conditioning | temperature | model | gain. Unreadable parts keep their defaults.
export function encodeState(s) {
  return '#' + [s.densityIndex, s.histogram.join(','), s.preset1.join(','), s.preset2.join(','),
    s.conditioning, s.temperature, encodeURIComponent(s.model), s.gain].join('|');
}

function twelve(text, fallback) {
  const values = (text || '').split(',').map(Number);
  return values.length === 12 && values.every((v) => Number.isFinite(v) && v >= 0) ? values : fallback;
}

export function decodeState(hash, defaults) {
  const s = {...defaults};
  if (!hash || hash.length < 2) return s;
  const p = hash.substring(1).split('|');
  const density = Number(p[0]);
  if (Number.isInteger(density) && density >= 0 && density <= 6) s.densityIndex = density;
  s.histogram = twelve(p[1], s.histogram);
  s.preset1 = twelve(p[2], s.preset1);
  s.preset2 = twelve(p[3], s.preset2);
  if (p[4] === 'true' || p[4] === 'false') s.conditioning = p[4] === 'true';
  const temperature = Number(p[5]);
  if (temperature >= 0.5 && temperature <= 1.5) s.temperature = temperature;
  if (p[6]) {
    try { s.model = decodeURIComponent(p[6]); } catch (e) { /* keep the default */ }
  }
  const gain = Number(p[7]);
  if (gain >= 0 && gain <= 200) s.gain = gain;
  return s;
}
