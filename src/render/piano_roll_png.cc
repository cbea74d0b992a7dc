#include "render/piano_roll_png.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "base/error.h"
#include "render/bitmap_font.h"

namespace prnn {
namespace {

class Raster {
 public:
  Raster(int width, int height)
      : width_(width), height_(height), pixels_(static_cast<size_t>(width) * height * 3, 255) {}

  // Blends `rgb` at `alpha` over pixel (x, y).
  void blend(int x, int y, uint32_t rgb, double alpha) {
    if (x < 0 || y < 0 || x >= width_ || y >= height_ || alpha <= 0) return;
    unsigned char* p = &pixels_[(static_cast<size_t>(y) * width_ + x) * 3];
    const int channel[3] = {static_cast<int>(rgb >> 16) & 255, static_cast<int>(rgb >> 8) & 255,
                            static_cast<int>(rgb) & 255};
    for (int i = 0; i < 3; ++i)
      p[i] = static_cast<unsigned char>(std::lround(p[i] + (channel[i] - p[i]) * alpha));
  }

  void fill(const RollRect& r) {
    const double x1 = r.x + r.width, y1 = r.y + r.height;
    for (int y = static_cast<int>(std::floor(r.y)); y < std::ceil(y1); ++y) {
      const double cover_y = std::min<double>(y + 1, y1) - std::max<double>(y, r.y);
      for (int x = static_cast<int>(std::floor(r.x)); x < std::ceil(x1); ++x) {
        const double cover_x = std::min<double>(x + 1, x1) - std::max<double>(x, r.x);
        blend(x, y, r.rgb, r.opacity * std::clamp(cover_x * cover_y, 0.0, 1.0));
      }
    }
  }

  void text(const RollText& t) {
    const int width = static_cast<int>(t.text.size()) * kGlyphAdvance - 1;
    int x = static_cast<int>(std::lround(t.x));
    if (t.anchor == RollText::kMiddle) x -= width / 2;
    if (t.anchor == RollText::kEnd) x -= width;
    const int top = static_cast<int>(std::lround(t.y)) - kGlyphHeight;
    for (char c : t.text) {
      const char* const* rows = glyph_rows(c);
      for (int gy = 0; gy < kGlyphHeight; ++gy)
        for (int gx = 0; gx < kGlyphWidth; ++gx)
          if (rows[gy][gx] == '#') blend(x + gx, top + gy, 0x444444, 1.0);
      x += kGlyphAdvance;
    }
  }

  std::string encode() const {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    PRNN_CHECK(png != nullptr);
    png_infop info = png_create_info_struct(png);
    PRNN_CHECK(info != nullptr);
    std::string out;
    if (setjmp(png_jmpbuf(png))) {
      png_destroy_write_struct(&png, &info);
      throw InputError("libpng failed to encode the piano roll");
    }
    png_set_write_fn(
        png, &out,
        [](png_structp p, png_bytep data, png_size_t length) {
          static_cast<std::string*>(png_get_io_ptr(p))
              ->append(reinterpret_cast<char*>(data), length);
        },
        nullptr);
    png_set_IHDR(png, info, width_, height_, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < height_; ++y)
      png_write_row(png, const_cast<png_bytep>(&pixels_[static_cast<size_t>(y) * width_ * 3]));
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
  }

 private:
  int width_, height_;
  std::vector<unsigned char> pixels_;
};

}  // namespace

std::string piano_roll_png(const PianoRoll& roll) {
  Raster raster(roll.width, roll.height);
  for (const RollRect& r : roll.rects) raster.fill(r);
  for (const RollText& t : roll.texts) raster.text(t);
  return raster.encode();
}

std::string piano_roll_png(const magenta::NoteSequence& sequence, const std::string& source) {
  return piano_roll_png(layout_piano_roll(sequence, source));
}

}  // namespace prnn
