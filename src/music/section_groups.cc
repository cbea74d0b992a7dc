#include "music/section_groups.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <vector>

#include "base/error.h"

namespace prnn {
namespace {

// Expansion may repeat the notes at most this many times over (plus a fixed allowance).
constexpr size_t kMaxExpansion = 16;

struct SectionSpan {
  double start = 0;
  double end = 0;
};

void append_played_sections(const magenta::NoteSequence::SectionGroup& group, int depth,
                            std::vector<int64_t>& played) {
  if (depth > 64) throw InputError("section groups nested deeper than 64");
  if (group.num_times() < 0 || group.num_times() > 100) {
    throw InputError("section group repeated " + std::to_string(group.num_times()) + " times");
  }
  std::vector<int64_t> once;
  for (const auto& section : group.sections()) {
    if (section.has_section_group()) {
      append_played_sections(section.section_group(), depth + 1, once);
    } else {
      once.push_back(section.section_id());
    }
  }
  for (int64_t time = 0; time < group.num_times(); ++time) {
    played.insert(played.end(), once.begin(), once.end());
  }
}

}  // namespace

magenta::NoteSequence expand_section_groups(const magenta::NoteSequence& sequence) {
  if (sequence.section_groups().empty()) return sequence;
  std::map<int64_t, SectionSpan> spans;
  const auto& annotations = sequence.section_annotations();
  for (int i = 0; i < annotations.size(); ++i) {
    const double end =
        i + 1 < annotations.size() ? annotations[i + 1].time() : sequence.total_time();
    spans[annotations[i].section_id()] = {annotations[i].time(), end};
  }
  std::vector<int64_t> played;
  for (const auto& group : sequence.section_groups()) append_played_sections(group, 0, played);

  // Notes by start time, so each played section finds its notes by binary search.
  std::vector<int> by_start(static_cast<size_t>(sequence.notes_size()));
  std::iota(by_start.begin(), by_start.end(), 0);
  std::stable_sort(by_start.begin(), by_start.end(), [&](int a, int b) {
    return sequence.notes(a).start_time() < sequence.notes(b).start_time();
  });
  const auto first_starting_at = [&](double time) {
    return std::lower_bound(by_start.begin(), by_start.end(), time, [&](int index, double t) {
      return sequence.notes(index).start_time() < t;
    });
  };
  const size_t max_notes = kMaxExpansion * static_cast<size_t>(sequence.notes_size()) + 65536;

  magenta::NoteSequence expanded = sequence;
  expanded.clear_notes();
  expanded.clear_section_annotations();
  expanded.clear_section_groups();
  double offset = 0;
  for (const int64_t id : played) {
    const auto found = spans.find(id);
    if (found == spans.end()) {
      throw InputError("section group names unknown section " + std::to_string(id));
    }
    const SectionSpan& span = found->second;
    for (auto it = first_starting_at(span.start); it != first_starting_at(span.end); ++it) {
      if (static_cast<size_t>(expanded.notes_size()) >= max_notes) {
        throw InputError("section groups expand to more than " + std::to_string(max_notes) +
                         " notes");
      }
      const auto& note = sequence.notes(*it);
      auto* copy = expanded.add_notes();
      *copy = note;
      copy->set_start_time(note.start_time() - span.start + offset);
      copy->set_end_time(std::min(note.end_time(), span.end) - span.start + offset);
    }
    offset += span.end - span.start;
  }
  expanded.set_total_time(offset);
  return expanded;
}

}  // namespace prnn
