// Plays a NoteSequence's section_groups out (note_seq's expand_section_groups), e.g. the
// repeats of an ABC tune: section i spans [section_annotations[i].time, next section's time
// or total_time); each group lists sections (or nested groups) played num_times times.
//
// The result holds the notes of the played sections, each section shifted to where it is
// played and its notes clipped to the section's end, total_time = the summed section
// lengths, and the input's header fields (tempos, signatures and other events are kept as
// they are, not repeated). A sequence without groups comes back unchanged. A group naming
// an unknown section, repeated more than 100 times or nesting deeper than 64, or an
// expansion beyond 16 times the notes (+65536) throws InputError. Pure; thread-safe.
#pragma once

#include "proto/music.pb.h"

namespace prnn {

magenta::NoteSequence expand_section_groups(const magenta::NoteSequence& sequence);

}  // namespace prnn
