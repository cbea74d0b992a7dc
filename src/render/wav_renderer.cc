#include "render/wav_renderer.h"

#include <fluidsynth.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <vector>

#include "base/error.h"
#include "base/file.h"
#include "render/render_input.h"

namespace prnn {
namespace {

constexpr int kChannels = 2;
constexpr int kBlockFrames = 4096;
constexpr int kDrumChannel = 9;
constexpr int kSustainPedal = 64;

// FluidSynth reports errors through a process-wide log hook; the messages of this thread's
// current call are collected here so that an InputError can quote them.
thread_local std::string fluid_messages;

void collect_message(int, const char* message, void*) {
  if (!fluid_messages.empty()) fluid_messages += "; ";
  fluid_messages += message;
}

void ignore_message(int, const char*, void*) {}

void install_log_hooks() {
  static std::once_flag once;
  std::call_once(once, [] {
    fluid_set_log_function(FLUID_PANIC, collect_message, nullptr);
    fluid_set_log_function(FLUID_ERR, collect_message, nullptr);
    fluid_set_log_function(FLUID_WARN, ignore_message, nullptr);
    fluid_set_log_function(FLUID_INFO, ignore_message, nullptr);
    fluid_set_log_function(FLUID_DBG, ignore_message, nullptr);
  });
}

struct SettingsDeleter {
  void operator()(fluid_settings_t* s) const { delete_fluid_settings(s); }
};
struct SynthDeleter {
  void operator()(fluid_synth_t* s) const { delete_fluid_synth(s); }
};

// One MIDI event at a sample; `order` sorts events of the same sample: programs, controls,
// note-offs, note-ons.
struct SynthEvent {
  int64_t sample;
  int order;
  int channel;
  int a, b;
  enum Order { kProgram = 0, kControl = 1, kNoteOff = 2, kNoteOn = 3 };
};

struct ChannelPlan {
  std::vector<SynthEvent> events;
  std::vector<int> channels;  // every channel used
};

int64_t to_sample(double seconds, int rate) { return std::llround(seconds * rate); }

ChannelPlan plan_events(const magenta::NoteSequence& sequence, int rate) {
  ChannelPlan plan;
  // (instrument, program, is_drum) → channel, in order of first appearance.
  std::map<std::tuple<int, int, bool>, int> groups;
  std::multimap<int, int> instrument_channels;
  int melodic = 0;
  auto channel_of = [&](const magenta::NoteSequence::Note& note) {
    auto key = std::make_tuple(note.instrument(), note.program(), note.is_drum());
    auto found = groups.find(key);
    if (found != groups.end()) return found->second;
    int channel = kDrumChannel;
    if (!note.is_drum()) {
      channel = melodic % 15;
      if (channel >= kDrumChannel) ++channel;
      ++melodic;
      plan.events.push_back({0, SynthEvent::kProgram, channel, note.program(), 0});
    }
    groups.emplace(key, channel);
    instrument_channels.emplace(note.instrument(), channel);
    if (std::find(plan.channels.begin(), plan.channels.end(), channel) == plan.channels.end())
      plan.channels.push_back(channel);
    return channel;
  };
  for (const auto& note : sequence.notes()) {
    const int channel = channel_of(note);
    const int64_t start = to_sample(note.start_time(), rate);
    const int64_t end = std::max(start + 1, to_sample(note.end_time(), rate));
    if (note.velocity() == 0) continue;  // a velocity-0 note-on would be a note-off
    plan.events.push_back({start, SynthEvent::kNoteOn, channel, note.pitch(), note.velocity()});
    plan.events.push_back({end, SynthEvent::kNoteOff, channel, note.pitch(), 0});
  }
  for (const auto& change : sequence.control_changes()) {
    auto [first, last] = instrument_channels.equal_range(change.instrument());
    for (auto it = first; it != last; ++it) {
      plan.events.push_back({to_sample(change.time(), rate), SynthEvent::kControl, it->second,
                             change.control_number(), change.control_value()});
    }
  }
  std::stable_sort(plan.events.begin(), plan.events.end(), [](const auto& x, const auto& y) {
    return std::tie(x.sample, x.order) < std::tie(y.sample, y.order);
  });
  return plan;
}

void check_options(const WavOptions& options) {
  if (options.sample_rate < 8000 || options.sample_rate > 96000)
    throw InputError("sample rate " + std::to_string(options.sample_rate) +
                     " is outside 8000..96000 Hz");
  if (!(options.release_seconds >= 0) || options.release_seconds > 60)
    throw InputError("release tail " + std::to_string(options.release_seconds) +
                     " s is outside 0..60 s");
  if (!(options.gain > 0) || options.gain > 10)
    throw InputError("gain " + std::to_string(options.gain) + " is outside (0, 10]");
}

std::unique_ptr<fluid_synth_t, SynthDeleter> make_synth(fluid_settings_t* settings,
                                                        const std::string& soundfont) {
  std::FILE* probe = std::fopen(soundfont.c_str(), "rb");
  if (!probe) throw InputError("soundfont " + soundfont + ": cannot open: " + std::strerror(errno));
  std::fclose(probe);
  fluid_messages.clear();
  std::unique_ptr<fluid_synth_t, SynthDeleter> synth(new_fluid_synth(settings));
  if (!synth) throw InputError("FluidSynth: cannot create a synthesizer: " + fluid_messages);
  fluid_messages.clear();
  if (fluid_synth_sfload(synth.get(), soundfont.c_str(), 1) == FLUID_FAILED) {
    throw InputError("soundfont " + soundfont + ": FluidSynth cannot load it (" +
                     (fluid_messages.empty() ? "not a SoundFont 2/3 file" : fluid_messages) + ")");
  }
  return synth;
}

void apply(fluid_synth_t* synth, const SynthEvent& event) {
  switch (event.order) {
    case SynthEvent::kProgram:
      fluid_synth_program_change(synth, event.channel, event.a);
      break;
    case SynthEvent::kControl:
      fluid_synth_cc(synth, event.channel, event.a, event.b);
      break;
    case SynthEvent::kNoteOff:
      fluid_synth_noteoff(synth, event.channel, event.a);
      break;
    case SynthEvent::kNoteOn:
      fluid_synth_noteon(synth, event.channel, event.a, event.b);
      break;
  }
}

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_u16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v & 0xff));
  out.push_back(static_cast<char>(v >> 8));
}

std::string wav_header(int64_t frames, int rate) {
  const uint32_t data_bytes = static_cast<uint32_t>(frames * kChannels * 2);
  std::string h = "RIFF";
  put_u32(h, 36 + data_bytes);
  h += "WAVEfmt ";
  put_u32(h, 16);
  put_u16(h, 1);  // PCM
  put_u16(h, kChannels);
  put_u32(h, static_cast<uint32_t>(rate));
  put_u32(h, static_cast<uint32_t>(rate * kChannels * 2));
  put_u16(h, kChannels * 2);
  put_u16(h, 16);
  h += "data";
  put_u32(h, data_bytes);
  return h;
}

}  // namespace

std::string default_soundfont() {
  if (const char* env = std::getenv("PRNN_SOUNDFONT"); env && *env) return env;
  return "/usr/share/sounds/sf2/TimGM6mb.sf2";
}

void check_soundfont(const std::string& soundfont) {
  install_log_hooks();
  std::unique_ptr<fluid_settings_t, SettingsDeleter> settings(new_fluid_settings());
  make_synth(settings.get(), soundfont);
}

int64_t render_wav(const magenta::NoteSequence& sequence, const std::string& source,
                   const WavOptions& options, const std::function<void(std::string_view)>& sink) {
  check_options(options);
  check_renderable(sequence, source);
  install_log_hooks();
  const int rate = options.sample_rate;
  const std::string soundfont = options.soundfont.empty() ? default_soundfont() : options.soundfont;

  std::unique_ptr<fluid_settings_t, SettingsDeleter> settings(new_fluid_settings());
  fluid_settings_setnum(settings.get(), "synth.sample-rate", rate);
  fluid_settings_setnum(settings.get(), "synth.gain", options.gain);
  fluid_settings_setint(settings.get(), "synth.cpu-cores", 1);
  fluid_settings_setint(settings.get(), "synth.polyphony", 512);
  auto synth = make_synth(settings.get(), soundfont);

  const ChannelPlan plan = plan_events(sequence, rate);
  const double end_seconds = music_end_time(sequence);
  const int64_t end = to_sample(end_seconds, rate);
  const int64_t frames = to_sample(end_seconds + options.release_seconds, rate);
  sink(wav_header(frames, rate));

  std::vector<float> left(kBlockFrames), right(kBlockFrames);
  std::string pcm;
  int64_t position = 0;
  int64_t last_report = 0;
  auto render_until = [&](int64_t target) {
    while (position < target) {
      const int n = static_cast<int>(std::min<int64_t>(kBlockFrames, target - position));
      fluid_synth_write_float(synth.get(), n, left.data(), 0, 1, right.data(), 0, 1);
      pcm.resize(static_cast<size_t>(n) * kChannels * 2);
      char* out = pcm.data();
      for (int i = 0; i < n; ++i) {
        for (float x : {left[i], right[i]}) {
          const auto v = static_cast<int16_t>(std::lround(std::clamp(x, -1.0f, 1.0f) * 32767.0f));
          *out++ = static_cast<char>(v & 0xff);
          *out++ = static_cast<char>((v >> 8) & 0xff);
        }
      }
      sink(pcm);
      position += n;
      if (options.progress && position - last_report >= rate * 10) {
        last_report = position;
        options.progress(static_cast<double>(position) / rate, static_cast<double>(frames) / rate);
      }
    }
  };
  bool released = false;
  auto release_all = [&] {
    for (int channel : plan.channels) {
      fluid_synth_cc(synth.get(), channel, kSustainPedal, 0);
      fluid_synth_all_notes_off(synth.get(), channel);
    }
    released = true;
  };
  for (const SynthEvent& event : plan.events) {
    if (event.sample >= end && !released) {
      render_until(end);
      release_all();
    }
    render_until(std::min(event.sample, frames));
    if (!released) apply(synth.get(), event);
  }
  render_until(end);
  if (!released) release_all();
  render_until(frames);
  if (options.progress)
    options.progress(static_cast<double>(frames) / rate, static_cast<double>(frames) / rate);
  return frames;
}

std::string render_wav_bytes(const magenta::NoteSequence& sequence, const std::string& source,
                             const WavOptions& options) {
  std::string out;
  render_wav(sequence, source, options, [&](std::string_view bytes) { out.append(bytes); });
  return out;
}

void render_wav_file(const magenta::NoteSequence& sequence, const std::string& source,
                     const std::string& path, const WavOptions& options) {
  AtomicFileWriter writer(path);
  render_wav(sequence, source, options, [&](std::string_view bytes) { writer.write(bytes); });
  writer.commit();
}

}  // namespace prnn
