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

RepeatMarks read_marks(const pugi::xml_node& measure) {
  RepeatMarks marks;
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
  size_t index = 0;
  while (index < count) {
    const RepeatMarks& mark = marks[index];
    if (mark.forward_repeat && !arrived_by_jump) {
      section_start = index;
      pass = 1;
    }
    arrived_by_jump = false;
    if (mark.ending_starts && std::find(mark.ending_numbers.begin(), mark.ending_numbers.end(),
                                        pass) == mark.ending_numbers.end()) {
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
    if (mark.backward_repeat_times > 0 && jumps_taken[index] + 1 < mark.backward_repeat_times) {
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
    ++index;
  }
  return order;
}

}  // namespace prnn
