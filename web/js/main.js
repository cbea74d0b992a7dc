// The studio page: connects to the server's stream, plays it (sampled piano or synth),
// shows it (keyboard, piano roll), steers it (the demo's controls, temperature, model),
// records it (save the last N minutes as MIDI) and keeps its state in the URL hash.
import {StreamClient} from './stream_client.js';
import {Player} from './player.js';
import {Keyboard} from './keyboard.js';
import {PianoRoll} from './piano_roll.js';
import {Sampler} from './sampler.js';
import {Synth} from './synth.js';
import {midiFileBytes} from './midi_file.js';
import {encodeState, decodeState} from './hash_state.js';
import {MidiIo} from './midi_io.js';

const DENSITIES = [1, 2, 4, 8, 16, 32, 64];  // Magenta's density bin edges
const PITCH_NAMES = ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'];
const PRESETS = {
  'c-major': [2, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1],
  'f-major': [1, 0, 1, 0, 1, 2, 0, 1, 0, 1, 1, 0],
  'd-minor': [1, 0, 2, 0, 1, 1, 0, 1, 0, 1, 1, 0],
  'whole-tone': [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0],
  'pentatonic': [0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0],
};
const AUTO_RESET_MS = 30000;

const $ = (id) => document.getElementById(id);
const defaults = {
  densityIndex: 3, histogram: new Array(12).fill(1), preset1: new Array(12).fill(1),
  preset2: new Array(12).fill(1), conditioning: false, temperature: 1, model: 'auto', gain: 100,
};
let state = decodeState(window.location.hash, defaults);

const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
const client = new StreamClient(`${scheme}//${window.location.host}/stream`);
const AudioContextClass = window.AudioContext || window.webkitAudioContext;
const context = AudioContextClass ? new AudioContextClass({latencyHint: 'interactive'}) : null;
const master = context ? context.createGain() : null;
if (master) master.connect(context.destination);
const player = new Player(client, context);
const keyboard = new Keyboard($('keyboard'));
const roll = new PianoRoll($('piano-roll'));

function setStatus(text, error = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', error);
}

// --- Sound: samples when served (hello.samples), else the synth --------------------
async function loadSound(samples) {
  if (!context) {
    $('sound-source').textContent = 'No Web Audio: silent. ';
    return;
  }
  player.sound = new Synth(context, master);
  if (samples) {
    const sampler = new Sampler(context, master);
    try {
      await sampler.load();
      player.sound = sampler;
    } catch (e) {
      console.warn('piano samples did not load; the synth plays: ' + e.message);
    }
  }
  $('sound-source').textContent = `Sound: ${player.sound.name}. `;
}

// --- Controls ---------------------------------------------------------------------
const histogramInputs = [];
for (let k = 0; k < 12; ++k) {
  const cell = document.createElement('div');
  cell.className = 'pitch';
  cell.innerHTML = `<div class="bar-box"><div class="bar"></div></div>` +
    `<input type="number" min="0" max="9" step="1" id="pitch-${k}"><span>${PITCH_NAMES[k]}</span>`;
  $('histogram').appendChild(cell);
  const input = cell.querySelector('input');
  input.addEventListener('input', () => {
    state.histogram[k] = Math.max(0, Number(input.value) || 0);
    changed({histogram: true});
  });
  histogramInputs.push(input);
}

function showState() {
  $('note-density').value = state.densityIndex;
  $('note-density-display').textContent = DENSITIES[state.densityIndex];
  $('conditioning-on').checked = state.conditioning;
  $('conditioning-off').checked = !state.conditioning;
  $('conditioning-controls').classList.toggle('inactive', !state.conditioning);
  $('temperature').value = state.temperature;
  $('temperature-display').textContent = Number(state.temperature).toFixed(2);
  $('gain').value = state.gain;
  $('gain-display').textContent = state.gain;
  if (master) master.gain.value = state.gain / 100;
  const sum = state.histogram.reduce((a, b) => a + b, 0);
  document.querySelectorAll('.pitch').forEach((cell, k) => {
    histogramInputs[k].value = state.histogram[k];
    cell.querySelector('.bar').style.height = `${sum > 0 ? 100 * state.histogram[k] / sum : 0}px`;
  });
  if ([...$('model').options].some((o) => o.value === state.model)) $('model').value = state.model;
}

// Sends the controls to the server and writes the state into the hash.
function changed(what = {}) {
  showState();
  history.replaceState(null, '', encodeState(state));
  sendControls(what);
}

function sendControls() {
  const sum = state.histogram.reduce((a, b) => a + b, 0);
  return client.controls({
    conditioning: state.conditioning,
    density: DENSITIES[state.densityIndex],
    histogram: sum > 0 ? state.histogram : [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    temperature: Number(state.temperature),
    model: state.model,
  });
}

function setHistogram(values) {
  state.histogram = values.every((v) => v === 0) ? [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] : [...values];
  changed();
}

$('note-density').addEventListener('input', (e) => {
  state.densityIndex = Number(e.target.value);
  changed();
});
$('conditioning-on').addEventListener('change', () => { state.conditioning = true; changed(); });
$('conditioning-off').addEventListener('change', () => { state.conditioning = false; changed(); });
$('temperature').addEventListener('input', (e) => { state.temperature = Number(e.target.value); changed(); });
$('gain').addEventListener('input', (e) => { state.gain = Number(e.target.value); changed(); });
$('model').addEventListener('change', (e) => { state.model = e.target.value; changed(); });
for (const button of document.querySelectorAll('[data-preset]')) {
  button.addEventListener('click', () => setHistogram(PRESETS[button.dataset.preset]));
}
$('preset-1').addEventListener('click', () => setHistogram(state.preset1));
$('preset-2').addEventListener('click', () => setHistogram(state.preset2));
$('save-1').addEventListener('click', () => { state.preset1 = [...state.histogram]; changed(); });
$('save-2').addEventListener('click', () => { state.preset2 = [...state.histogram]; changed(); });
$('reset-rnn').addEventListener('click', () => resetRnn());

let lastReset = performance.now();
function resetRnn() {
  lastReset = performance.now();
  player.releaseAll(player.streamNow());
  client.reset();
}
setInterval(() => {
  if (player.playing && performance.now() - lastReset >= AUTO_RESET_MS) resetRnn();
}, 1000);

$('play').addEventListener('click', async () => {
  if (player.playing) {
    player.stop();
    $('play').textContent = 'Play';
    return;
  }
  if (context && context.state !== 'running') await context.resume();
  player.start();
  $('play').textContent = 'Stop';
});

$('save-midi').addEventListener('click', () => {
  const minutes = Math.min(60, Math.max(1, Number($('save-minutes').value) || 5));
  const notes = player.recent(minutes * 60);
  const first = notes.length ? notes[0].start : 0;
  const bytes = midiFileBytes(notes.map((n) => ({...n, start: n.start - first, end: n.end - first})));
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([bytes], {type: 'audio/midi'}));
  const stamp = new Date().toISOString().replace(/[:T]/g, '-').slice(0, 19);
  link.download = `studio_${stamp}.mid`;
  document.body.appendChild(link);
  link.click();
  link.remove();
});

// --- MIDI in and out ----------------------------------------------------------------
let silenceOff = false;
const midi = new MidiIo($('midi-out'), $('midi-in'), {
  setOutput: (output) => { player.midiOut = output; },
  onPhrase: (notes) => { player.releaseAll(player.streamNow()); client.prime(notes); },
  onHistogram: (counts) => {
    state.conditioning = true;
    silenceOff = true;
    $('conditioning-controls').classList.add('midicondition');
    setHistogram(counts);
  },
  onSilence: () => {
    if (!silenceOff) return;
    silenceOff = false;
    $('conditioning-controls').classList.remove('midicondition');
    state.conditioning = false;
    changed();
  },
  status: (text) => { $('midi-status').textContent = text; },
});

// --- The stream -------------------------------------------------------------------
client.addEventListener('hello', (e) => {
  const hello = e.detail;
  for (const m of hello.models) {
    $('model').add(new Option(m.name + (m.conditioned ? ' (conditioned)' : ''), m.name));
  }
  // Files of the models folder the studio cannot play: shown, disabled, with the reason.
  for (const m of hello.unplayable || []) {
    const option = new Option(`${m.name} (not playable: ${m.reason})`, m.name);
    option.disabled = true;
    option.title = m.reason;
    $('model').add(option);
  }
  const conditioned = hello.models.some((m) => m.conditioned);
  $('conditioning-note').textContent = conditioned ? '' :
    'no conditioned model is served: the controls below change nothing until one is';
  showState();
  sendControls();
  loadSound(hello.samples === true);
  $('play').disabled = false;
  setStatus(`connected · ${hello.models.length} model(s) · lookahead ${hello.lookahead} s`);
});
client.addEventListener('error', (e) => setStatus('server: ' + e.detail.message, true));
client.addEventListener('close', () => {
  player.stop();
  $('play').disabled = true;
  setStatus('disconnected from the server', true);
});

function frame() {
  const now = player.streamNow();
  keyboard.show(player.soundingAt(now));
  roll.draw(player.notes.slice(-2000), now);
  $('model-playing').textContent = player.model ? `playing ${player.model}` : '';
  requestAnimationFrame(frame);
}

// For the browser test and the curious: the live state.
window.studio = {
  player, client, state, midi,
  stats: () => ({
    playing: player.playing, notesPlayed: player.notesPlayed, dropped: player.dropped,
    streamTime: player.streamNow(), until: player.until, seq: player.seq, model: player.model,
    lit: document.querySelectorAll('.key.lit').length, sound: player.sound ? player.sound.name : '',
    audioClock: player.useAudioClock,
  }),
};

showState();
requestAnimationFrame(frame);
midi.init();
client.connect().catch((e) => setStatus(e.message, true));
