#include "usbexfil/load/inputs.hpp"

#include "usbexfil/error.hpp"
#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <sys/stat.h>
#include <unistd.h>

namespace usbexfil {

namespace fs = std::filesystem;

std::string_view placed_by_name(PlacedBy by) {
  switch (by) {
  case PlacedBy::option:
    return "option";
  case PlacedBy::name:
    return "name";
  case PlacedBy::folder:
    return "folder";
  case PlacedBy::none:
    return "records";
  }
  return "records";
}

std::optional<SourceTable> table_for_folder_name(std::string_view folder) {
  for (const std::string_view prefix : {"", "am-", "insights-logs-advancedhunting-"}) {
    if (folder.size() <= prefix.size() || !ascii_istarts_with(folder, prefix)) {
      continue;
    }
    const std::string_view name = folder.substr(prefix.size());
    for (std::size_t t = 0; t < SOURCE_TABLE_COUNT; ++t) {
      if (ascii_iequals(name, table_name(static_cast<SourceTable>(t)))) {
        return static_cast<SourceTable>(t);
      }
    }
  }
  return std::nullopt;
}

namespace {

/// The nearest D21 folder among `folders` (outermost first).
std::optional<SourceTable> nearest_folder_table(const std::vector<std::string> &folders) {
  for (auto it = folders.rbegin(); it != folders.rend(); ++it) {
    if (const auto table = table_for_folder_name(*it)) {
      return table;
    }
  }
  return std::nullopt;
}

/// The folder steps of a path as written (its last step, the file itself, excluded).
std::vector<std::string> folder_steps(const fs::path &path) {
  std::vector<std::string> steps;
  for (const fs::path &step : path.parent_path()) {
    steps.push_back(step.string());
  }
  return steps;
}

class Resolver {
public:
  /// What is wrong with a symbolic link whose target's status failed with `error`.
  static std::string link_trouble(const std::error_code &error) {
    return error == std::errc::too_many_symbolic_link_levels
               ? "symbolic link loop (too many levels of symbolic links)"
               : "broken symbolic link";
  }

  void add(const std::string &path, std::optional<SourceTable> option) {
    if (path == "-") {
      add_stdin(option);
      return;
    }
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status)) {
      const std::string why = link_trouble(error);
      const fs::file_status link = fs::symlink_status(path, error);
      throw Error(fs::is_symlink(link) ? fmt::format("{}: {}", path, why)
                                       : fmt::format("{}: no such file or directory", path));
    }
    if (fs::is_directory(status)) {
      walk(path, folder_steps(fs::path(path) / "x"), option);
    } else {
      add_file(path, fs::path(path).filename().string(), folder_steps(path), option);
    }
  }

  Inputs finish() {
    Inputs inputs;
    for (auto &[canonical, file] : files_) {
      inputs.files.push_back(std::move(file));
    }
    std::sort(inputs.files.begin(), inputs.files.end(),
              [](const InputFile &a, const InputFile &b) { return a.label < b.label; });
    inputs.stdin_holder = stdin_holder_;
    return inputs;
  }

private:
  void walk(const std::string &dir, const std::vector<std::string> &folders,
            std::optional<SourceTable> option) {
    std::error_code error;
    fs::directory_iterator it(dir, error);
    if (error) {
      throw Error(fmt::format("{}: cannot list directory: {}", dir, error.message()));
    }
    // increment(error_code), not ++: an error while listing (an entry that vanished, an I/O
    // error) is an Error naming the folder, not a filesystem_error escaping the run.
    std::vector<fs::directory_entry> entries;
    for (const fs::directory_iterator end; it != end; it.increment(error)) {
      entries.push_back(*it);
    }
    if (error) {
      throw Error(fmt::format("{}: cannot list directory: {}", dir, error.message()));
    }
    for (const fs::directory_entry &entry : entries) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with('.')) {
        continue; // D2: hidden files and folders are passed over
      }
      std::error_code link_error;
      const fs::file_status link = entry.symlink_status(link_error);
      const fs::file_status status = entry.status(error);
      if (fs::is_symlink(link) && !fs::exists(status)) {
        throw Error(fmt::format("{}: {}", entry.path().string(), link_trouble(error)));
      }
      if (link_error || (error && error != std::errc::no_such_file_or_directory)) {
        throw Error(fmt::format("{}: cannot read: {}", entry.path().string(),
                                (link_error ? link_error : error).message()));
      }
      if (fs::is_directory(status)) {
        if (!fs::is_symlink(link)) { // links to folders are not entered (D2)
          std::vector<std::string> inner = folders;
          inner.push_back(name);
          walk(entry.path().string(), inner, option);
        }
      } else if (fs::is_regular_file(status)) {
        add_file(entry.path().string(), name, folders, option);
      }
    }
  }

  void add_file(const std::string &path, const std::string &name,
                const std::vector<std::string> &folders, std::optional<SourceTable> option) {
    if (::access(path.c_str(), R_OK) != 0) {
      throw Error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    }
    InputFile file;
    file.path = path;
    file.label = path;
    file.folder_table = nearest_folder_table(folders);
    if (option) {
      file.table = option;
      file.placed_by = PlacedBy::option;
    } else if (const auto by_name = table_for_file_name(name)) {
      file.table = by_name;
      file.placed_by = PlacedBy::name;
    } else if (file.folder_table) {
      file.table = file.folder_table;
      file.placed_by = PlacedBy::folder;
    }
    std::error_code error;
    file.size = fs::file_size(path, error);
    std::string canonical = fs::weakly_canonical(path, error).string();
    if (error) {
      canonical = path;
    }
    insert(canonical, std::move(file));
  }

  void insert(const std::string &canonical, InputFile file) {
    const auto [it, fresh] = files_.try_emplace(canonical, file);
    if (!fresh && file.placed_by == PlacedBy::option && it->second.placed_by != PlacedBy::option) {
      it->second = std::move(file); // D3: the option's table applies
    }
  }

  void add_stdin(std::optional<SourceTable> option) {
    if (stdin_holder_) {
      throw Error("-: standard input can be given once");
    }
    const char *tmp = std::getenv("TMPDIR");
    const int fd =
        ::open(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
      throw Error(fmt::format("<stdin>: cannot make a temporary file: {}", std::strerror(errno)));
    }
    stdin_holder_ = std::shared_ptr<void>(nullptr, [fd](void *) { ::close(fd); });
    std::vector<char> buffer(std::size_t{1} << 20);
    std::uint64_t size = 0;
    for (;;) {
      const ssize_t got = ::read(STDIN_FILENO, buffer.data(), buffer.size());
      if (got < 0 && errno == EINTR) {
        continue;
      }
      if (got < 0) {
        throw Error(fmt::format("<stdin>: cannot read: {}", std::strerror(errno)));
      }
      if (got == 0) {
        break;
      }
      for (ssize_t done = 0; done < got;) {
        const ssize_t put = ::write(fd, buffer.data() + done, static_cast<std::size_t>(got - done));
        if (put < 0 && errno != EINTR) {
          throw Error(
              fmt::format("<stdin>: cannot keep it in a temporary file: {}", std::strerror(errno)));
        }
        done += std::max<ssize_t>(put, 0);
      }
      size += static_cast<std::uint64_t>(got);
    }
    InputFile file;
    file.path = fmt::format("/proc/self/fd/{}", fd);
    file.label = "<stdin>";
    file.size = size;
    if (option) {
      file.table = option;
      file.placed_by = PlacedBy::option;
    }
    files_.try_emplace("\x01stdin", std::move(file));
  }

  std::map<std::string, InputFile> files_;
  std::shared_ptr<void> stdin_holder_;
};

} // namespace

Inputs resolve_inputs(const InputSpec &spec) {
  Resolver resolver;
  // Options first, so that a file reached both ways takes the option's table whatever the order.
  for (std::size_t t = 0; t < SOURCE_TABLE_COUNT; ++t) {
    for (const std::string &path : spec.tables[t]) {
      resolver.add(path, static_cast<SourceTable>(t));
    }
  }
  for (const std::string &path : spec.paths) {
    resolver.add(path, std::nullopt);
  }
  return resolver.finish();
}

Inputs resolve_directory(const std::string &dir) {
  InputSpec spec;
  spec.paths.push_back(dir);
  return resolve_inputs(spec);
}

} // namespace usbexfil

namespace usbexfil {

std::vector<ScanSource> sources_for_table(const Inputs &inputs, SourceTable table,
                                          bool report_unplaced) {
  std::vector<ScanSource> sources;
  for (const InputFile &file : inputs.files) {
    if (file.table == table) {
      sources.push_back(ScanSource{&file, true, true});
    } else if (file.placed_by == PlacedBy::folder || file.placed_by == PlacedBy::none) {
      sources.push_back(ScanSource{&file, false, report_unplaced});
    }
  }
  return sources;
}

} // namespace usbexfil
