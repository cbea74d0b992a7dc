#include "music/musicxml_repeats.h"

#include <algorithm>
#include <string_view>

#include "base/error.h"
#include "music/xml_text.h"

namespace prnn {
namespace {

// What a measure's barlines say about repeats.
struct RepeatMarks {
  bool forward_repeat = false;
  int backward_repeat_times = 0;  // 0: no backward repeat; else how often the section plays
  bool ending_starts = false;
  std::vector<int64_t> ending_numbers;  // passes that play the ending starting here
  bool ending_ends = false;
  bool da_capo = false;    // <sound dacapo="yes">: back to the start
  bool dal_segno = false;  // <sound dalsegno=...>: back to the segno
  bool segno = false;
  bool fine = false;     // <sound fine=...>: the end after a D.C./D.S. jump
  bool to_coda = false;  // <sound tocoda=...>: after a D.C./D.S. jump, on to the coda
  bool coda = false;
};

// "1", "1, 2", "1-3" (also "1.", "2." as some exporters write).
std::vector<int64_t> parse_ending_numbers(std::string_view text) {
  std::vector<int64_t> numbers;
  size_t position = 0;
  while (position < text.size()) {
    size_t end = text.find(',', position);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = trim_xml_space(text.substr(position, end - position));
    while (!item.empty() && item.back() == '.') item.remove_suffix(1);
    const size_t dash = item.find('-');
    if (dash == std::string_view::npos) {
      if (const auto number = parse_xml_int(item)) numbers.push_back(*number);
    } else {
      const auto first = parse_xml_int(item.substr(0, dash));
      const auto last = parse_xml_int(item.substr(dash + 1));
      if (first && last && *first <= *last && *last - *first < 64) {
        for (int64_t number = *first; number <= *last; ++number) numbers.push_back(number);
      }
    }
    position = end + 1;
  }
  return numbers;
}

void read_sound(const pugi::xml_node& sound, RepeatMarks& marks) {
  if (std::string_view(sound.attribute("dacapo").value()) == "yes") marks.da_capo = true;
  if (sound.attribute("dalsegno")) marks.dal_segno = true;
  if (sound.attribute("segno")) marks.segno = true;
  if (sound.attribute("fine")) marks.fine = true;
  if (sound.attribute("tocoda")) marks.to_coda = true;
  if (sound.attribute("coda")) marks.coda = true;
}

RepeatMarks read_marks(const pugi::xml_node& measure) {
  RepeatMarks marks;
  for (const pugi::xml_node sound : measure.children("sound")) read_sound(sound, marks);
  for (const pugi::xml_node direction : measure.children("direction")) {
    for (const pugi::xml_node sound : direction.children("sound")) read_sound(sound, marks);
  }
  for (const pugi::xml_node barline : measure.children("barline")) {
    if (const pugi::xml_node repeat = barline.child("repeat")) {
      const std::string_view direction = repeat.attribute("direction").value();
      if (direction == "forward") {
        marks.forward_repeat = true;
      } else if (direction == "backward") {
        const auto times = parse_xml_int(repeat.attribute("times").value());
        marks.backward_repeat_times =
            static_cast<int>(std::clamp<int64_t>(times.value_or(2), 1, 64));
      }
    }
    if (const pugi::xml_node ending = barline.child("ending")) {
      const std::string_view type = ending.attribute("type").value();
      if (type == "start") {
        marks.ending_starts = true;
        marks.ending_numbers = parse_ending_numbers(ending.attribute("number").value());
      } else if (type == "stop" || type == "discontinue") {
        marks.ending_ends = true;
      }
    }
  }
  return marks;
}

// True when the volta ending starting at `start` closes with a backward repeat (it exists to
// lead back into the repeated section).
bool ending_leads_back(const std::vector<RepeatMarks>& marks, size_t start) {
  for (size_t index = start; index < marks.size(); ++index) {
    if (marks[index].backward_repeat_times > 0) return true;
    if (marks[index].ending_ends) return false;
  }
  return false;
}

}  // namespace

std::vector<size_t> unrolled_measure_order(const std::vector<pugi::xml_node>& measures,
                                           const std::string& where) {
  const size_t count = measures.size();
  std::vector<RepeatMarks> marks;
  marks.reserve(count);
  for (const pugi::xml_node& measure : measures) marks.push_back(read_marks(measure));

  std::vector<size_t> order;
  std::vector<int> jumps_taken(count, 0);
  size_t section_start = 0;
  int64_t pass = 1;
  bool arrived_by_jump = false;
  bool after_da_capo = false;  // on the way back after D.C. or D.S.: repeats are not taken
  size_t index = 0;
  while (index < count) {
    const RepeatMarks& mark = marks[index];
    if (mark.forward_repeat && !arrived_by_jump) {
      section_start = index;
      pass = 1;
    }
    arrived_by_jump = false;
    const bool skip_ending =
        mark.ending_starts &&
        (after_da_capo ? ending_leads_back(marks, index)
                       : std::find(mark.ending_numbers.begin(), mark.ending_numbers.end(), pass) ==
                             mark.ending_numbers.end());
    if (skip_ending) {
      size_t ending_end = index;
      while (ending_end < count && !marks[ending_end].ending_ends) ++ending_end;
      if (ending_end < count) {
        index = ending_end + 1;
        continue;
      }
    }
    if (order.size() >= kMaxUnrolledMeasures(count)) {
      throw InputError(where + ": repeats unroll to more than " +
                       std::to_string(kMaxUnrolledMeasures(count)) + " measures");
    }
    order.push_back(index);
    if (!after_da_capo && mark.backward_repeat_times > 0 &&
        jumps_taken[index] + 1 < mark.backward_repeat_times) {
      ++jumps_taken[index];
      ++pass;
      index = section_start;
      arrived_by_jump = true;
      continue;
    }
    if (mark.backward_repeat_times > 0 || mark.ending_ends) {
      jumps_taken[index] = 0;
      section_start = index + 1;
      pass = 1;
    }
    if (after_da_capo && mark.fine) break;
    if (after_da_capo && mark.to_coda) {
      size_t coda = index + 1;
      while (coda < count && !marks[coda].coda) ++coda;
      index = coda;
      continue;
    }
    if (!after_da_capo && (mark.da_capo || mark.dal_segno)) {
      after_da_capo = true;
      size_t target = 0;
      if (mark.dal_segno) {
        for (size_t segno = 0; segno <= index; ++segno) {
          if (marks[segno].segno) target = segno;
        }
      }
      index = target;
      continue;
    }
    ++index;
  }
  return order;
}

}  // namespace prnn
