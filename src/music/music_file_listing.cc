#include "music/music_file_listing.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

#include "base/error.h"
#include "music/music_file.h"

namespace prnn {
namespace {

namespace fs = std::filesystem;

std::string lower_extension_of(const fs::path& path) {
  std::string extension = path.extension().string();
  if (!extension.empty()) extension.erase(0, 1);
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

// What a folder without music files holds, for the error message.
std::string describe_empty(const std::string& path, const MusicFileListing& listing) {
  std::string text = path + " holds no music files";
  if (listing.in_subfolders > 0) {
    return text + " (" + std::to_string(listing.in_subfolders) +
           " more in sub-folders: add --recursive)";
  }
  if (listing.skipped_by_extension.empty()) return text + ": it is empty";
  text += " (.mid .midi .xml .musicxml .mxl .abc), only";
  for (const auto& [extension, count] : listing.skipped_by_extension) {
    text +=
        " " + std::to_string(count) + (extension.empty() ? " without extension" : " ." + extension);
  }
  return text;
}

}  // namespace

std::string MusicFileListing::path_of(const std::string& relative) const {
  return (fs::path(root) / relative).string();
}

MusicFileListing list_music_files(const std::string& path, bool recursive) {
  MusicFileListing listing;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) throw InputError(path + ": no such file or folder");
  if (!fs::is_directory(status)) {
    if (!music_file_type(path)) {
      throw InputError(path + ": not a music file (.mid .midi .xml .musicxml .mxl .abc)");
    }
    listing.root = fs::path(path).parent_path().string();
    listing.relative_paths.push_back(fs::path(path).filename().string());
    return listing;
  }
  listing.root = path;
  listing.is_folder = true;
  // Entries are `path / relative`; the prefix is cut off as written (no canonicalisation,
  // so symbolic links inside the folder keep their names).
  const std::string prefix = (fs::path(path) / "").string();
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, error);
  for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    std::error_code status_error;
    if (!it->is_regular_file(status_error)) continue;
    const bool nested = it.depth() > 0;
    const bool music = music_file_type(it->path().filename().string()).has_value();
    if (nested && !recursive) {
      if (music) ++listing.in_subfolders;
    } else if (music) {
      listing.relative_paths.push_back(it->path().string().substr(prefix.size()));
    } else {
      ++listing.skipped_by_extension[lower_extension_of(it->path())];
    }
  }
  if (error) throw InputError(path + ": cannot list the folder: " + error.message());
  if (listing.relative_paths.empty()) throw InputError(describe_empty(path, listing));
  std::sort(listing.relative_paths.begin(), listing.relative_paths.end());
  return listing;
}

}  // namespace prnn
