"""Performance RNN from Python: load a model, generate, stream, score, read and write MIDI,
render audio and piano rolls.

NoteSequences are ``performance_rnn.NoteSequence`` protobuf messages (our proto/music.proto,
wire-compatible with note_seq's: ``seq.SerializeToString()`` is what
``note_seq.NoteSequence.FromString`` reads, and the other way round). Errors from files and
sequences raise ``performance_rnn.InputError`` (a ``ValueError``) naming the file and the
reason; bad arguments raise ``TypeError``/``ValueError`` naming the argument. The GIL is
released while the C++ core generates, scores and renders.
"""
import numbers
import os

from . import _core
from .music_pb2 import NoteSequence

__all__ = ["InputError", "Model", "NoteSequence", "Stream", "read_midi", "write_midi",
           "midi_bytes", "read_note_sequences", "render_wav", "render_samples",
           "piano_roll_svg", "piano_roll_png", "default_soundfont", "set_log_level"]

InputError = _core.InputError


def set_log_level(level):
    """The C++ core's messages on stderr: 'DEBUG', 'INFO', 'WARN', 'ERROR' (the module's
    default: the command line's progress and notices stay quiet) or 'FATAL'."""
    if not isinstance(level, str):
        raise TypeError(f"level must be a str, not {type(level).__name__}")
    _core.set_log_level(level)


set_log_level("ERROR")


def _int(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return int(value)


def _float(name, value, minimum=None, above=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    value = float(value)
    if value != value:
        raise ValueError(f"{name} must not be NaN")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, not {value}")
    if above is not None and value <= above:
        raise ValueError(f"{name} must be > {above}, not {value}")
    return value


def _sequence_bytes(name, sequence):
    if not isinstance(sequence, NoteSequence):
        # A message of another NoteSequence class (note_seq's) is accepted by its bytes.
        if type(sequence).__name__ == "NoteSequence" and hasattr(sequence, "SerializeToString"):
            return sequence.SerializeToString()
        raise TypeError(f"{name} must be a NoteSequence, not {type(sequence).__name__}")
    return sequence.SerializeToString()


def _sequence(data):
    return NoteSequence.FromString(data)


def _path(name, value):
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or os.PathLike), not {type(value).__name__}")
    return os.fspath(value)


def _literal(name, value, item):
    """A control argument in the generator's literal syntax: one value or a list (segments)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        if not value:
            raise ValueError(f"{name} must not be empty")
        return "[" + ", ".join(_literal(name, v, item) for v in value) + "]"
    return item(value)


def _density(value):
    return repr(_float("notes_per_second", value, above=0))


def _histogram_item(value):
    if isinstance(value, str):
        return repr(value)
    return repr(_float("pitch_class_histogram", value, minimum=0))


def _bool(value):
    if not isinstance(value, bool):
        raise TypeError(f"disable_conditioning must be a bool or a list of bools, not "
                        f"{type(value).__name__}")
    return repr(value)


class Model:
    """A trained Performance RNN. ``Model.load()`` is the shipped model."""

    def __init__(self, core):
        self._core = core

    @classmethod
    def load(cls, path=None):
        """Loads the shipped model (path None: $PRNN_MODEL, the installed copy, or the source
        tree's models/), a .mag bundle (ours or Magenta's), one of our checkpoints
        (.safetensors[.gz]) or a training run directory (its newest checkpoint)."""
        if path is None and not os.environ.get("PRNN_MODEL"):
            # Installed: <prefix>/lib/python3/dist-packages/performance_rnn/ and
            # <prefix>/share/performance_rnn/.
            installed = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                     "..", "..", "share", "performance_rnn",
                                     "performance_with_dynamics.safetensors.gz")
            if os.path.exists(installed):
                path = installed
        return cls(_core.Model(None if path is None else _path("path", path)))

    @property
    def config(self):
        return self._core.config

    @property
    def source(self):
        return self._core.source

    @property
    def global_step(self):
        return self._core.global_step

    def generate(self, num_steps=3000, primer=None, temperature=1.0, beam_size=1,
                 branch_factor=1, steps_per_iteration=1, notes_per_second=None,
                 pitch_class_histogram=None, disable_conditioning=False, seed=None,
                 num_outputs=1, max_note_duration=5.0, threads=1):
        """Generates ``num_outputs`` performances (a list of NoteSequences), as
        ``performance_rnn_generate`` does with the same options: the same seed gives the
        same performances (output i uses seed + i), byte for byte the same MIDI files.

        num_steps: length in 10 ms steps, primer included. primer: a NoteSequence (e.g. from
        read_midi) to continue. notes_per_second: a number or a list (segments over time).
        pitch_class_histogram: 12 weights C..B, a scale name ('c_major', 'whole_tone', ...)
        or a list of them. disable_conditioning: a bool or a list. seed: None = random."""
        primer_bytes = None if primer is None else _sequence_bytes("primer", primer)
        if seed is not None:
            seed = _int("seed", seed, 0)
        if isinstance(pitch_class_histogram, (list, tuple)) and pitch_class_histogram and all(
                isinstance(v, numbers.Real) and not isinstance(v, bool)
                for v in pitch_class_histogram):
            histogram = "[" + ", ".join(_histogram_item(v) for v in pitch_class_histogram) + "]"
        else:
            histogram = _literal("pitch_class_histogram", pitch_class_histogram, _histogram_item)
        disable = "" if disable_conditioning is False else _literal(
            "disable_conditioning", disable_conditioning, _bool)
        outputs = self._core.generate(
            _int("num_steps", num_steps, 1), primer_bytes,
            _float("temperature", temperature, above=0), _int("beam_size", beam_size, 1),
            _int("branch_factor", branch_factor, 1),
            _int("steps_per_iteration", steps_per_iteration, 1),
            _literal("notes_per_second", notes_per_second, _density), histogram, disable, seed,
            _int("num_outputs", num_outputs, 1),
            _float("max_note_duration", max_note_duration, minimum=0),
            _int("threads", threads, 1))
        return [_sequence(b) for b in outputs]

    def stream(self, seed=None, temperature=1.0, notes_per_second=None,
               pitch_class_histogram=None, disable_conditioning=False):
        """A live Stream of events from the empty primer; its controls may change between
        any two events."""
        if seed is None:
            seed = int.from_bytes(os.urandom(8), "little")
        stream = Stream(_core.Stream(self._core, _int("seed", seed, 0)))
        stream.temperature = temperature
        if notes_per_second is not None:
            stream.notes_per_second = notes_per_second
        if pitch_class_histogram is not None:
            stream.pitch_class_histogram = pitch_class_histogram
        stream.conditioning = not disable_conditioning
        return stream

    def log_likelihood(self, sequence):
        """Magenta's performance_log_likelihood of the whole sequence (nats; as
        ``performance_rnn evaluate --log_likelihood`` reports it)."""
        return self._core.log_likelihood(_sequence_bytes("sequence", sequence))


class Stream:
    """An iterator of events ``(kind, value)``: kind is 'NOTE_ON', 'NOTE_OFF', 'TIME_SHIFT'
    (value in 10 ms steps) or 'VELOCITY' (value a velocity bin). Set ``temperature``,
    ``notes_per_second``, ``pitch_class_histogram`` and ``conditioning`` at any time;
    ``sequence()`` decodes the events so far."""

    def __init__(self, core):
        self._core = core

    def __iter__(self):
        return self

    def __next__(self):
        return self._core.next()

    def take(self, count):
        """The next ``count`` events as a list."""
        return [self._core.next() for _ in range(_int("count", count, 0))]

    @property
    def temperature(self):
        return self._core.temperature

    @temperature.setter
    def temperature(self, value):
        self._core.temperature = _float("temperature", value, above=0)

    @property
    def notes_per_second(self):
        return self._core.notes_per_second

    @notes_per_second.setter
    def notes_per_second(self, value):
        self._core.notes_per_second = _float("notes_per_second", value, above=0)

    @property
    def pitch_class_histogram(self):
        raise AttributeError("pitch_class_histogram is write-only")

    @pitch_class_histogram.setter
    def pitch_class_histogram(self, value):
        if isinstance(value, str):
            self._core.set_pitch_class_histogram(repr(value))
        elif isinstance(value, (list, tuple)):
            self._core.set_pitch_class_histogram(
                "[" + ", ".join(_histogram_item(v) for v in value) + "]")
        else:
            raise TypeError("pitch_class_histogram must be a scale name or 12 weights, not "
                            f"{type(value).__name__}")

    @property
    def conditioning(self):
        return self._core.conditioning

    @conditioning.setter
    def conditioning(self, value):
        if not isinstance(value, bool):
            raise TypeError(f"conditioning must be a bool, not {type(value).__name__}")
        self._core.conditioning = value

    @property
    def elapsed_seconds(self):
        """Seconds covered so far, the second of silence the stream starts from included."""
        return self._core.elapsed_seconds

    def sequence(self, max_note_duration=5.0):
        """The events returned so far decoded into a NoteSequence (starting at 0 s)."""
        return _sequence(self._core.sequence(
            _float("max_note_duration", max_note_duration, minimum=0)))


def read_midi(source):
    """A NoteSequence from a MIDI file's path or its bytes (note_seq's conventions)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _sequence(_core.read_midi_bytes(bytes(source), "<bytes>"))
    path = _path("source", source)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        raise InputError(f"{path}: cannot open: {error.strerror}") from None
    return _sequence(_core.read_midi_bytes(data, path))


def midi_bytes(sequence):
    """The MIDI file of a NoteSequence, as bytes."""
    return _core.midi_bytes(_sequence_bytes("sequence", sequence))


def write_midi(sequence, path):
    """Writes the NoteSequence as a MIDI file (atomically)."""
    _core.write_midi(_sequence_bytes("sequence", sequence), _path("path", path))


def read_note_sequences(path):
    """Every NoteSequence of a TFRecord file (e.g. from convert_dir_to_note_sequences)."""
    return [_sequence(b) for b in _core.read_note_sequences(_path("path", path))]


def render_wav(sequence, soundfont=None, sample_rate=44100, release_seconds=2.0, gain=1.0):
    """A WAV file (bytes: 16-bit stereo) of the sequence, synthesised by FluidSynth with
    ``soundfont`` (default: Debian's TimGM6mb, see default_soundfont())."""
    return _core.render_wav(
        _sequence_bytes("sequence", sequence),
        None if soundfont is None else _path("soundfont", soundfont),
        _int("sample_rate", sample_rate, 1), _float("release_seconds", release_seconds, 0),
        _float("gain", gain, above=0))


def render_samples(sequence, **options):
    """The samples of render_wav as a numpy int16 array of shape (frames, 2)."""
    import numpy
    wav = render_wav(sequence, **options)
    return numpy.frombuffer(wav, dtype="<i2", offset=44).reshape(-1, 2)


def piano_roll_svg(sequence):
    """The piano roll of the sequence as an SVG document (str)."""
    return _core.piano_roll_svg(_sequence_bytes("sequence", sequence))


def piano_roll_png(sequence):
    """The piano roll of the sequence as PNG bytes."""
    return _core.piano_roll_png(_sequence_bytes("sequence", sequence))


def default_soundfont():
    return _core.default_soundfont()
