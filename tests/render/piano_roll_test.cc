// The piano roll: the SVG parses as XML with one bar (and one <title>) per note at its time and
// pitch, a pedal lane, sizes for short and long performances; the PNG decodes (libpng) to the
// layout's size with the notes' colours where the notes are; bad sequences are InputErrors.
#include "render/piano_roll.h"

#include <gtest/gtest.h>
#include <png.h>

#include <pugixml.hpp>
#include <string>
#include <vector>

#include "base/error.h"
#include "render/piano_roll_png.h"
#include "render/piano_roll_svg.h"

namespace prnn {
namespace {

magenta::NoteSequence scale_run(int notes, double step) {
  magenta::NoteSequence sequence;
  for (int i = 0; i < notes; ++i) {
    auto* note = sequence.add_notes();
    note->set_pitch(48 + i % 25);
    note->set_velocity(20 + (i * 7) % 100);
    note->set_start_time(i * step);
    note->set_end_time(i * step + 2 * step);
    note->set_instrument(i % 2);
  }
  auto* down = sequence.add_control_changes();
  down->set_time(1.0), down->set_control_number(64), down->set_control_value(100);
  auto* up = sequence.add_control_changes();
  up->set_time(3.0), up->set_control_number(64), up->set_control_value(0);
  return sequence;
}

TEST(PianoRollTest, SvgHasOneBarPerNoteWithItsTitle) {
  const magenta::NoteSequence sequence = scale_run(60, 0.5);  // 30.5 s
  pugi::xml_document doc;
  const std::string svg = piano_roll_svg(sequence, "run");
  ASSERT_TRUE(doc.load_string(svg.c_str())) << "not XML";
  pugi::xml_node root = doc.child("svg");
  ASSERT_TRUE(root);
  std::vector<pugi::xml_node> bars;
  for (pugi::xml_node rect : root.children("rect"))
    if (std::string(rect.attribute("class").value()) == "note") bars.push_back(rect);
  ASSERT_EQ(bars.size(), 60u);
  for (size_t i = 0; i < bars.size(); ++i) {
    const std::string title = bars[i].child_value("title");
    EXPECT_EQ(title.rfind("pitch " + std::to_string(48 + i % 25) + " (", 0), 0u) << title;
  }
  EXPECT_STREQ(bars[0].child_value("title"), "pitch 48 (C3), velocity 20, 0.000\u20131.000 s");
  // Bars advance in x with time at 40 px/s and are one row lower per semitone up.
  const double x0 = bars[0].attribute("x").as_double(), x2 = bars[2].attribute("x").as_double();
  EXPECT_NEAR(x2 - x0, 40.0, 1e-6);
  EXPECT_NEAR(bars[0].attribute("width").as_double(), 40.0, 1e-6);
  const double row = bars[0].attribute("height").as_double();
  EXPECT_NEAR(bars[0].attribute("y").as_double() - bars[1].attribute("y").as_double(), row, 1e-6);
  // Opacity from velocity; colour per instrument.
  EXPECT_LT(bars[0].attribute("fill-opacity").as_double(),
            bars[1].attribute("fill-opacity").as_double());
  EXPECT_STRNE(bars[0].attribute("fill").value(), bars[1].attribute("fill").value());
  EXPECT_STREQ(bars[0].attribute("fill").value(), bars[2].attribute("fill").value());
  int pedals = 0;
  for (pugi::xml_node rect : root.children("rect"))
    pedals += std::string(rect.attribute("class").value()) == "pedal";
  EXPECT_EQ(pedals, 1);
  EXPECT_EQ(root.attribute("width").as_int(), 44 + 1220 + 16);
}

TEST(PianoRollTest, LongPerformancesStayOnAScreen) {
  const PianoRoll roll = layout_piano_roll(scale_run(1200, 0.5), "long");  // 10 minutes
  EXPECT_LE(roll.width, 2500);
  bool minutes = false;
  for (const RollText& t : roll.texts) minutes |= t.text == "10:00";
  EXPECT_TRUE(minutes) << "long performances are labelled in minutes";
}

TEST(PianoRollTest, PngDecodesWithTheNotesWhereTheyAre) {
  const magenta::NoteSequence sequence = scale_run(10, 0.5);
  const PianoRoll roll = layout_piano_roll(sequence, "run");
  const std::string png = piano_roll_png(roll);
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  ASSERT_TRUE(png_image_begin_read_from_memory(&image, png.data(), png.size()));
  image.format = PNG_FORMAT_RGB;
  std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
  ASSERT_TRUE(png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr));
  ASSERT_EQ(int(image.width), roll.width);
  ASSERT_EQ(int(image.height), roll.height);
  auto at = [&](double x, double y) {
    const unsigned char* p = &pixels[(size_t(y) * image.width + size_t(x)) * 3];
    return (uint32_t(p[0]) << 16) | (uint32_t(p[1]) << 8) | p[2];
  };
  for (const RollRect& r : roll.rects) {
    if (!r.is_note) continue;
    const uint32_t pixel = at(r.x + 3, r.y + r.height / 2);
    // Blue (instrument 0) or orange (instrument 1) dominates the blend over the frame.
    const int red = pixel >> 16, blue = pixel & 255;
    if (r.rgb == 0x1f77b4) EXPECT_GT(blue, red) << r.title;
    if (r.rgb == 0xff7f0e) EXPECT_GT(red, blue) << r.title;
  }
  EXPECT_EQ(at(roll.width - 2, 2), 0xffffffu);
}

TEST(PianoRollTest, BadSequencesAreErrors) {
  magenta::NoteSequence sequence = scale_run(3, 0.5);
  sequence.mutable_notes(2)->set_velocity(-1);
  EXPECT_THROW(piano_roll_svg(sequence, "x.mid"), InputError);
  sequence = scale_run(3, 0.5);
  sequence.mutable_control_changes(0)->set_time(-2);
  try {
    piano_roll_png(sequence, "x.mid");
    ADD_FAILURE() << "no error";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(), "x.mid: control change 0: time -2 is not a time >= 0");
  }
}

TEST(PianoRollTest, PitchNames) {
  EXPECT_EQ(pitch_name(60), "C4");
  EXPECT_EQ(pitch_name(0), "C-1");
  EXPECT_EQ(pitch_name(127), "G9");
  EXPECT_EQ(pitch_name(70), "A#4");
}

}  // namespace
}  // namespace prnn
