"""The Python module against the command-line program: the same seed gives the same MIDI
bytes; reading, scoring and rendering give what the commands give; NoteSequences are
wire-compatible with note_seq's schema; errors are Python exceptions naming the argument or
file; the GIL is released while rendering."""
import glob
import json
import os
import subprocess
import threading

import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

import performance_rnn as prnn


@pytest.fixture(scope="module")
def plain(fixtures):
    return os.path.join(fixtures, "generate", "magenta_layout_3x8.mag")


@pytest.fixture(scope="module")
def conditioned(fixtures):
    return os.path.join(fixtures, "generate", "magenta_layout_conditioned_2x8.mag")


@pytest.fixture(scope="module")
def melody(fixtures):
    return os.path.join(fixtures, "midi_written", "melody.mid")


def cli_outputs(cli, out_dir, *flags):
    cli("generate", "--log=WARN", f"--output_dir={out_dir}", *flags)
    paths = sorted(glob.glob(os.path.join(out_dir, "*.mid")))
    assert paths
    return [open(p, "rb").read() for p in paths]


def as_dict(sequence):
    return json_format.MessageToDict(sequence, preserving_proto_field_name=True)


def test_generate_same_seed_same_midi_as_the_command(cli, plain, tmp_path):
    expected = cli_outputs(cli, tmp_path / "cli", f"--bundle_file={plain}", "--num_outputs=2",
                           "--num_steps=300", "--seed=5")
    model = prnn.Model.load(plain)
    assert model.config == "performance_with_dynamics"
    sequences = model.generate(num_steps=300, seed=5, num_outputs=2)
    assert len(sequences) == 2 and all(isinstance(s, prnn.NoteSequence) for s in sequences)
    assert [prnn.midi_bytes(s) for s in sequences] == expected
    prnn.write_midi(sequences[1], tmp_path / "second.mid")
    assert (tmp_path / "second.mid").read_bytes() == expected[1]
    other = model.generate(num_steps=300, seed=6)
    assert prnn.midi_bytes(other[0]) != expected[0]


def test_generate_with_primer_beam_search_and_controls(cli, conditioned, melody, tmp_path):
    flags = [f"--bundle_file={conditioned}", "--num_steps=600", "--seed=3",
             f"--primer_midi={melody}", "--beam_size=2", "--branch_factor=2",
             "--steps_per_iteration=4", "--temperature=0.9", "--notes_per_second=[2, 8]",
             "--pitch_class_histogram=[c_major, [1,0,1,0,1,1,0,1,0,1,0,1]]",
             "--num_outputs=1"]
    expected = cli_outputs(cli, tmp_path / "cli", *flags)
    model = prnn.Model.load(conditioned)
    sequences = model.generate(
        num_steps=600, seed=3, primer=prnn.read_midi(melody), beam_size=2, branch_factor=2,
        steps_per_iteration=4, temperature=0.9, notes_per_second=[2, 8],
        pitch_class_histogram=["c_major", [1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1]])
    assert [prnn.midi_bytes(s) for s in sequences] == expected


def test_read_midi_matches_dump(cli, melody):
    expected = json.loads(cli("dump", melody).splitlines()[0])
    sequence = prnn.read_midi(melody)
    assert as_dict(sequence) == expected
    assert prnn.read_midi(open(melody, "rb").read()) == sequence
    assert len(sequence.notes) > 0


def test_read_note_sequences_matches_dump(cli, fixtures, tmp_path):
    midi_dir = os.path.join(fixtures, "midi_written")
    record = tmp_path / "notes.tfrecord"
    cli("convert", f"--input_dir={midi_dir}", f"--output_file={record}")
    expected = [json.loads(line) for line in cli("dump", str(record)).splitlines()]
    sequences = prnn.read_note_sequences(record)
    assert len(sequences) == len(glob.glob(os.path.join(midi_dir, "*.mid"))) == len(expected)
    assert [as_dict(s) for s in sequences] == expected


def test_log_likelihood_matches_evaluate(cli, plain, melody):
    line = json.loads(cli("evaluate", f"--bundle_file={plain}", f"--input={melody}",
                          "--log_likelihood", "--log=WARN").splitlines()[0])
    value = prnn.Model.load(plain).log_likelihood(prnn.read_midi(melody))
    assert value == pytest.approx(line["log_likelihood"], rel=1e-12)
    assert value < 0


def test_render_matches_the_command(cli, melody, tmp_path):
    cli("render", "--wav", "--svg", "--png", f"--output_dir={tmp_path}", melody)
    sequence = prnn.read_midi(melody)
    wav = prnn.render_wav(sequence)
    assert wav == (tmp_path / "melody.wav").read_bytes()
    assert prnn.piano_roll_svg(sequence) == (tmp_path / "melody.svg").read_text()
    assert prnn.piano_roll_png(sequence) == (tmp_path / "melody.png").read_bytes()
    samples = prnn.render_samples(sequence)
    assert samples.shape == ((len(wav) - 44) // 4, 2)
    assert abs(samples).max() > 1000


def test_wire_compatible_with_note_seq_schema(fixtures, melody, tmp_path):
    """Our bytes parse as the original music.proto's NoteSequence (compiled by protoc into a
    separate pool) and come back unchanged."""
    descriptors = tmp_path / "upstream.pb"
    subprocess.run(["protoc", f"--descriptor_set_out={descriptors}",
                    f"-I{os.path.join(fixtures, 'upstream_proto')}", "music.proto"], check=True)
    files = descriptor_pb2.FileDescriptorSet.FromString(descriptors.read_bytes())
    pool = descriptor_pool.DescriptorPool()
    for f in files.file:
        pool.Add(f)
    upstream_type = message_factory.MessageFactory(pool).GetPrototype(
        pool.FindMessageTypeByName("magenta.NoteSequence"))
    ours = prnn.read_midi(melody)
    theirs = upstream_type.FromString(ours.SerializeToString())
    assert len(theirs.notes) == len(ours.notes)
    assert [(n.pitch, n.velocity, n.start_time, n.end_time) for n in theirs.notes] == \
        [(n.pitch, n.velocity, n.start_time, n.end_time) for n in ours.notes]
    assert theirs.tempos[0].qpm == ours.tempos[0].qpm
    assert prnn.NoteSequence.FromString(theirs.SerializeToString()) == ours
    # A message of the other class is accepted where a NoteSequence is expected.
    assert prnn.midi_bytes(theirs) == prnn.midi_bytes(ours)


def test_stream(plain):
    model = prnn.Model.load(plain)
    first = model.stream(seed=9).take(200)
    again = model.stream(seed=9)
    assert [next(again) for _ in range(200)] == first
    kinds = {kind for kind, _ in first}
    assert kinds <= {"NOTE_ON", "NOTE_OFF", "TIME_SHIFT", "VELOCITY"}
    assert "TIME_SHIFT" in kinds and "NOTE_ON" in kinds
    stream = model.stream(seed=9)
    stream.take(100)
    stream.temperature = 0.5
    assert stream.temperature == 0.5
    rest = stream.take(100)
    assert rest != first[100:]  # the temperature changed the sampling
    sequence = model.stream(seed=9)
    events = sequence.take(300)
    notes = sequence.sequence().notes
    ons = [v for k, v in events if k == "NOTE_ON"]
    assert 0 < len(notes) <= len(ons)
    assert {n.pitch for n in notes} <= set(ons)
    shifts = sum(v for k, v in events if k == "TIME_SHIFT")
    # The stream starts from the primer-less second of silence (one TIME_SHIFT 100).
    assert sequence.elapsed_seconds == pytest.approx(1 + shifts / 100)
    with pytest.raises(ValueError, match="temperature"):
        stream.temperature = 0


def test_stream_controls_on_a_conditioned_model(conditioned):
    stream = prnn.Model.load(conditioned).stream(seed=1, notes_per_second=4,
                                                 pitch_class_histogram="c_major")
    stream.take(50)
    stream.notes_per_second = 12
    assert stream.notes_per_second == 12
    stream.pitch_class_histogram = [1] * 12
    stream.conditioning = False
    assert stream.conditioning is False
    assert len(stream.take(50)) == 50
    with pytest.raises(ValueError, match="12 weights"):
        stream.pitch_class_histogram = [1, 2, 3]


def test_errors_name_the_argument_or_file(plain, tmp_path):
    model = prnn.Model.load(plain)
    with pytest.raises(TypeError, match="num_steps"):
        model.generate(num_steps="many")
    with pytest.raises(ValueError, match="temperature"):
        model.generate(num_steps=100, temperature=0)
    with pytest.raises(ValueError, match="beam_size"):
        model.generate(num_steps=100, beam_size=0)
    with pytest.raises(TypeError, match="primer"):
        model.generate(num_steps=100, primer=[60, 64])
    with pytest.raises(ValueError, match="num_steps"):  # the primer is longer than asked for
        model.generate(num_steps=10, primer=prnn.read_midi(
            os.path.join(os.path.dirname(plain), "..", "midi_written", "melody.mid")))
    with pytest.raises(TypeError, match="disable_conditioning"):
        model.generate(num_steps=100, disable_conditioning="yes")
    bad = tmp_path / "bad.mid"
    bad.write_bytes(b"not a MIDI file")
    with pytest.raises(prnn.InputError, match=str(bad)):
        prnn.read_midi(bad)
    with pytest.raises(prnn.InputError, match="missing.mid"):
        prnn.read_midi(tmp_path / "missing.mid")
    with pytest.raises(prnn.InputError, match="missing.mag"):
        prnn.Model.load(tmp_path / "missing.mag")
    with pytest.raises(prnn.InputError, match="missing.tfrecord"):
        prnn.read_note_sequences(tmp_path / "missing.tfrecord")
    with pytest.raises(prnn.InputError, match="not a TFRecord"):
        prnn.read_note_sequences(bad)
    sequence = prnn.NoteSequence()
    sequence.notes.add(pitch=200, velocity=80, start_time=0, end_time=1)
    with pytest.raises(prnn.InputError, match="pitch 200"):
        prnn.render_wav(sequence)
    with pytest.raises(prnn.InputError, match="pitch 200"):
        prnn.piano_roll_svg(sequence)
    sequence.notes[0].pitch = 60
    with pytest.raises(prnn.InputError, match="none.sf2"):
        prnn.render_wav(sequence, soundfont=tmp_path / "none.sf2")
    with pytest.raises(TypeError, match="sequence"):
        prnn.render_wav(b"bytes")
    assert isinstance(prnn.InputError("x"), ValueError)
    with pytest.raises(ValueError, match="LOUD"):
        prnn.set_log_level("LOUD")


def test_rendering_releases_the_gil():
    sequence = prnn.NoteSequence()
    for i in range(240):
        sequence.notes.add(pitch=48 + i % 24, velocity=90, start_time=i * 0.25,
                           end_time=i * 0.25 + 0.5)
    counter = [0]
    done = threading.Event()

    def count():
        while not done.is_set():
            counter[0] += 1

    worker = threading.Thread(target=count)
    worker.start()
    try:
        before = counter[0]
        prnn.render_wav(sequence)  # a minute of audio
        during = counter[0] - before
    finally:
        done.set()
        worker.join()
    assert during > 10000, f"the other thread ran only {during} loops during the render"
