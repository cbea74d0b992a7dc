// Test helper: assembles Standard MIDI Files byte by byte, so reader tests state their
// input exactly (independently of our writer).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace prnn::testing {

// The bytes of a variable-length quantity.
inline std::string vlq(uint64_t value) {
  std::string out(1, static_cast<char>(value & 0x7F));
  while (value >>= 7) out.insert(out.begin(), static_cast<char>(0x80 | (value & 0x7F)));
  return out;
}

inline std::string be(uint64_t value, int bytes) {
  std::string out;
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  return out;
}

// One track's event bytes: delta time then raw message bytes.
class TrackBytes {
 public:
  TrackBytes& event(uint64_t delta, std::initializer_list<int> message) {
    data_ += vlq(delta);
    for (int b : message) data_.push_back(static_cast<char>(b));
    return *this;
  }
  TrackBytes& on(uint64_t delta, int channel, int pitch, int velocity) {
    return event(delta, {0x90 | channel, pitch, velocity});
  }
  TrackBytes& off(uint64_t delta, int channel, int pitch) {
    return event(delta, {0x80 | channel, pitch, 0});
  }
  TrackBytes& tempo(uint64_t delta, uint32_t micros_per_quarter) {
    return event(delta, {0xFF, 0x51, 3, int(micros_per_quarter >> 16),
                         int((micros_per_quarter >> 8) & 0xFF), int(micros_per_quarter & 0xFF)});
  }
  TrackBytes& raw(const std::string& bytes) {
    data_ += bytes;
    return *this;
  }
  std::string chunk() const { return "MTrk" + be(data_.size(), 4) + data_; }

 private:
  std::string data_;
};

inline std::string header(int format, int tracks, int division) {
  return "MThd" + be(6, 4) + be(format, 2) + be(tracks, 2) + be(division, 2);
}

inline std::string midi_file(int division, const std::vector<TrackBytes>& tracks, int format = 1) {
  std::string out = header(format, static_cast<int>(tracks.size()), division);
  for (const auto& track : tracks) out += track.chunk();
  return out;
}

}  // namespace prnn::testing
