#include "music/musicxml_chord_symbol.h"

#include <string_view>
#include <unordered_map>

#include "base/error.h"
#include "music/xml_text.h"

namespace prnn {
namespace {

// MusicXML <kind> values (and the short spellings some exporters write) to figure suffixes.
const std::unordered_map<std::string_view, std::string_view>& kind_suffixes() {
  static const std::unordered_map<std::string_view, std::string_view> table = {
      {"major", ""},
      {"minor", "m"},
      {"augmented", "aug"},
      {"diminished", "dim"},
      {"dominant", "7"},
      {"major-seventh", "maj7"},
      {"minor-seventh", "m7"},
      {"diminished-seventh", "dim7"},
      {"augmented-seventh", "aug7"},
      {"half-diminished", "m7b5"},
      {"major-minor", "m(maj7)"},
      {"major-sixth", "6"},
      {"minor-sixth", "m6"},
      {"dominant-ninth", "9"},
      {"major-ninth", "maj9"},
      {"minor-ninth", "m9"},
      {"dominant-11th", "11"},
      {"major-11th", "maj11"},
      {"minor-11th", "m11"},
      {"dominant-13th", "13"},
      {"major-13th", "maj13"},
      {"minor-13th", "m13"},
      {"suspended-second", "sus2"},
      {"suspended-fourth", "sus"},
      {"pedal", "ped"},
      {"power", "5"},
      {"none", "N.C."},
      {"dominant-seventh", "7"},
      {"augmented-ninth", "aug9"},
      {"minor-major", "m(maj7)"},
      {"", ""},
      {"min", "m"},
      {"aug", "aug"},
      {"dim", "dim"},
      {"7", "7"},
      {"maj7", "maj7"},
      {"min7", "m7"},
      {"dim7", "dim7"},
      {"m7b5", "m7b5"},
      {"minMaj7", "m(maj7)"},
      {"6", "6"},
      {"min6", "m6"},
      {"maj69", "6(add9)"},
      {"9", "9"},
      {"maj9", "maj9"},
      {"min9", "m9"},
      {"sus47", "sus7"},
  };
  return table;
}

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw InputError(where + ": bad chord symbol: " + what);
}

std::string alter_string(const pugi::xml_node& alter, const std::string& where) {
  const std::optional<int64_t> semitones = parse_xml_int(alter.child_value());
  if (!semitones) fail(where, "non-integer alter '" + std::string(alter.child_value()) + "'");
  switch (*semitones) {
    case -2:
      return "bb";
    case -1:
      return "b";
    case 0:
      return "";
    case 1:
      return "#";
    case 2:
      return "##";
    default:
      fail(where, "alter " + std::to_string(*semitones) + " out of -2..2");
  }
}

std::string pitch_string(const pugi::xml_node& pitch, const char* step_tag, const char* alter_tag,
                         bool part_is_transposed, const std::string& where) {
  const pugi::xml_node step = pitch.child(step_tag);
  if (!step) fail(where, std::string("missing <") + step_tag + ">");
  std::string text = step.child_value();
  if (const pugi::xml_node alter = pitch.child(alter_tag)) text += alter_string(alter, where);
  if (part_is_transposed) fail(where, "chord symbols in a transposed part are not supported");
  return text;
}

std::string degree_string(const pugi::xml_node& degree, const std::string& where) {
  const pugi::xml_node value_node = degree.child("degree-value");
  if (!value_node) fail(where, "missing <degree-value>");
  const std::optional<int64_t> value = parse_xml_int(value_node.child_value());
  if (!value) fail(where, "non-integer degree '" + std::string(value_node.child_value()) + "'");
  std::string alter;
  if (const pugi::xml_node alter_node = degree.child("degree-alter")) {
    alter = alter_string(alter_node, where);
  }
  const pugi::xml_node type_node = degree.child("degree-type");
  if (!type_node) fail(where, "missing <degree-type>");
  const std::string_view type = type_node.child_value();
  std::string prefix;
  if (type == "add") {
    if (alter.empty()) prefix = "add";
  } else if (type == "subtract") {
    prefix = "no";
    alter.clear();
  } else if (type == "alter") {
    if (alter.empty()) fail(where, "degree altered by zero semitones");
  } else {
    fail(where, "degree type '" + std::string(type) + "'");
  }
  return prefix + alter + std::to_string(*value);
}

}  // namespace

std::string musicxml_chord_figure(const pugi::xml_node& harmony, bool part_is_transposed,
                                  const std::string& where) {
  std::string root;
  bool has_root = false;
  std::string kind;
  std::string degrees;
  std::string bass;
  for (const pugi::xml_node child : harmony.children()) {
    const std::string_view tag = child.name();
    if (tag == "root") {
      root = pitch_string(child, "root-step", "root-alter", part_is_transposed, where);
      has_root = true;
    } else if (tag == "kind") {
      const pugi::xml_node text_node = child.first_child();
      if (text_node.type() != pugi::node_pcdata && text_node.type() != pugi::node_cdata) continue;
      const std::string_view text = trim_xml_space(child.child_value());
      const auto found = kind_suffixes().find(text);
      if (found == kind_suffixes().end()) fail(where, "unknown kind '" + std::string(text) + "'");
      kind = found->second;
    } else if (tag == "degree") {
      degrees += "(" + degree_string(child, where) + ")";
    } else if (tag == "bass") {
      bass = pitch_string(child, "bass-step", "bass-alter", part_is_transposed, where);
    }
  }
  if (kind == "N.C.") return kind;
  if (!has_root) fail(where, "no root");
  std::string figure = root + kind + degrees;
  if (!bass.empty()) figure += "/" + bass;
  return figure;
}

}  // namespace prnn
