#pragma once
// The file an import reads: a path or "-" for stdin, read in blocks that stop at Ctrl-C.

#include <cstddef>
#include <cstdint>
#include <string>

namespace usersctl {

class Interruption;

class InputFile {
public:
    /// Opens `path` ("-" is stdin); throws NoInput (66) when it cannot.
    explicit InputFile(const std::string& path);
    ~InputFile();
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    /// Reads up to `size` bytes; 0 at the end, or once `interruption` (if not null) is requested:
    /// a read waiting on a terminal or a pipe returns at Ctrl-C. Throws NoInput on errors.
    std::size_t read(char* buffer, std::size_t size, const Interruption* interruption = nullptr);
    /// The size of a regular file, 0 for a pipe or terminal.
    std::uint64_t size() const { return m_size; }

private:
    /// Waits until the file has input or Ctrl-C came; false for the latter.
    bool wait_for_input(const Interruption* interruption) const;

    std::string m_path;
    int m_fd = -1;
    bool m_owned = false;
    std::uint64_t m_size = 0;
};

}  // namespace usersctl
