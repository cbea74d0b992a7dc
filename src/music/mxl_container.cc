#include "music/mxl_container.h"

#include <zip.h>

#include <memory>
#include <pugixml.hpp>
#include <vector>

#include "base/error.h"

namespace prnn {
namespace {

constexpr std::string_view kMusicXmlMediaType = "application/vnd.recordare.musicxml+xml";

[[noreturn]] void fail(const std::string& source_name, const std::string& what) {
  throw InputError(source_name + ": bad .mxl container: " + what);
}

struct ArchiveCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
struct EntryCloser {
  void operator()(zip_file_t* entry) const { zip_fclose(entry); }
};
using Archive = std::unique_ptr<zip_t, ArchiveCloser>;

Archive open_archive(std::string_view bytes, const std::string& source_name) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    fail(source_name, message);
  }
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    zip_source_free(source);
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    fail(source_name, "not a zip archive (" + message + ")");
  }
  zip_error_fini(&error);
  return Archive(archive);
}

// Index of the entry whose raw name equals `name`, or -1.
zip_int64_t find_entry(zip_t* archive, std::string_view name) {
  const zip_int64_t count = zip_get_num_entries(archive, 0);
  for (zip_int64_t index = 0; index < count; ++index) {
    const char* entry_name = zip_get_name(archive, index, ZIP_FL_ENC_RAW);
    if (entry_name != nullptr && name == entry_name) return index;
  }
  return -1;
}

// Inflates one entry chunk by chunk, so a forged size field cannot force a huge allocation.
std::string read_entry(zip_t* archive, zip_int64_t index, std::string_view name,
                       const std::string& source_name) {
  std::unique_ptr<zip_file_t, EntryCloser> entry(zip_fopen_index(archive, index, 0));
  if (!entry) {
    fail(source_name,
         "cannot open entry " + std::string(name) + " (" + zip_strerror(archive) + ")");
  }
  std::string content;
  char chunk[64 * 1024];
  for (;;) {
    const zip_int64_t got = zip_fread(entry.get(), chunk, sizeof chunk);
    if (got < 0) {
      fail(source_name, "cannot inflate entry " + std::string(name) + " (" +
                            zip_file_strerror(entry.get()) + ")");
    }
    if (got == 0) break;
    if (content.size() + static_cast<size_t>(got) > kMaxMxlEntryBytes) {
      fail(source_name, "entry " + std::string(name) + " inflates beyond " +
                            std::to_string(kMaxMxlEntryBytes >> 20) + " MiB");
    }
    content.append(chunk, static_cast<size_t>(got));
  }
  return content;
}

std::string root_file_path(const std::string& container_xml, const std::string& source_name) {
  pugi::xml_document container;
  const pugi::xml_parse_result parsed =
      container.load_buffer(container_xml.data(), container_xml.size());
  if (!parsed) {
    fail(source_name,
         std::string("META-INF/container.xml is not XML (") + parsed.description() + ")");
  }
  std::string chosen;
  bool found = false;
  for (pugi::xml_node rootfile :
       container.document_element().child("rootfiles").children("rootfile")) {
    const pugi::xml_attribute media_type = rootfile.attribute("media-type");
    if (media_type && media_type.value() != kMusicXmlMediaType) continue;
    if (found) fail(source_name, "several MusicXML rootfiles in META-INF/container.xml");
    chosen = rootfile.attribute("full-path").value();
    found = true;
  }
  if (!found || chosen.empty()) {
    fail(source_name, "META-INF/container.xml names no MusicXML rootfile");
  }
  return chosen;
}

}  // namespace

bool looks_like_zip(std::string_view bytes) {
  return bytes.size() >= 4 && bytes.substr(0, 2) == "PK";
}

std::string mxl_root_document(std::string_view zip_bytes, const std::string& source_name) {
  const Archive archive = open_archive(zip_bytes, source_name);
  const zip_int64_t container_index = find_entry(archive.get(), "META-INF/container.xml");
  if (container_index < 0) fail(source_name, "no META-INF/container.xml");
  const std::string container =
      read_entry(archive.get(), container_index, "META-INF/container.xml", source_name);
  const std::string root_path = root_file_path(container, source_name);
  const zip_int64_t root_index = find_entry(archive.get(), root_path);
  if (root_index < 0) fail(source_name, "score file " + root_path + " is not in the archive");
  return read_entry(archive.get(), root_index, root_path, source_name);
}

}  // namespace prnn
