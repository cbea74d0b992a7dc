#include "music/music_file.h"

#include <algorithm>
#include <cctype>

#include "base/error.h"
#include "base/file.h"
#include "music/abc_reader.h"
#include "music/midi_reader.h"
#include "music/musicxml_reader.h"

namespace prnn {
namespace {

std::string lower_extension(std::string_view path) {
  size_t slash = path.find_last_of('/');
  size_t dot = path.find_last_of('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  std::string extension(path.substr(dot + 1));
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

}  // namespace

const char* music_file_type_name(MusicFileType type) {
  switch (type) {
    case MusicFileType::kMidi:
      return "midi";
    case MusicFileType::kMusicXml:
      return "musicxml";
    case MusicFileType::kAbc:
      return "abc";
  }
  return "";
}

std::optional<MusicFileType> music_file_type(std::string_view path) {
  std::string extension = lower_extension(path);
  if (extension == "mid" || extension == "midi") return MusicFileType::kMidi;
  if (extension == "xml" || extension == "musicxml" || extension == "mxl") {
    return MusicFileType::kMusicXml;
  }
  if (extension == "abc") return MusicFileType::kAbc;
  return std::nullopt;
}

MusicFileContents read_music_bytes(std::string_view bytes, MusicFileType type,
                                   const std::string& source_name,
                                   const MusicFileOptions& options) {
  MusicFileContents contents;
  contents.type = type;
  switch (type) {
    case MusicFileType::kMidi:
      contents.sequences.push_back(midi_to_note_sequence(bytes, source_name));
      break;
    case MusicFileType::kMusicXml: {
      MusicXmlOptions musicxml;
      musicxml.unroll_repeats = options.unroll_repeats;
      contents.sequences.push_back(musicxml_bytes_to_note_sequence(bytes, source_name, musicxml));
      break;
    }
    case MusicFileType::kAbc: {
      AbcParseResult parsed = abc_text_to_note_sequences(bytes, source_name);
      for (AbcTune& tune : parsed.tunes) {
        contents.sequences.push_back(std::move(tune.sequence));
        contents.abc_reference_numbers.push_back(std::move(tune.reference_number));
      }
      contents.errors = std::move(parsed.errors);
      if (contents.sequences.empty()) {
        std::string reasons;
        for (const auto& error : contents.errors) reasons += (reasons.empty() ? "" : "; ") + error;
        throw InputError(reasons.empty() ? source_name + ": no ABC tune found" : reasons);
      }
      break;
    }
  }
  return contents;
}

MusicFileContents read_music_file(const std::string& path, const MusicFileOptions& options) {
  std::optional<MusicFileType> type = music_file_type(path);
  if (!type)
    throw InputError(path + ": not a supported music file (.mid .midi .xml .musicxml .mxl .abc)");
  return read_music_bytes(read_file(path), *type, path, options);
}

}  // namespace prnn
