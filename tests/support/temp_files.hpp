#pragma once
// Files and folders under /tmp that a test writes and that are removed when it ends.

#include "tests/support/process.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace usersctl::test {

/// A file under /tmp with the given content and name ending (usersctl picks formats by it).
class TempFile {
public:
    TempFile(const std::string& content, const std::string& suffix)
    {
        std::string pattern = "/tmp/usersctl-test-XXXXXX" + suffix;
        const int fd = mkstemps(pattern.data(), static_cast<int>(suffix.size()));
        if (fd < 0) {
            throw std::runtime_error("mkstemps failed");
        }
        ::close(fd);
        m_path = pattern;
        std::ofstream(m_path, std::ios::binary) << content;
    }
    ~TempFile() { std::remove(m_path.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

/// A fresh folder under /tmp, removed with what is in it.
class TempDir {
public:
    TempDir()
    {
        std::string pattern = "/tmp/usersctl-dir-XXXXXX";
        if (mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = pattern;
    }
    ~TempDir() { run_program({"rm", "-rf", m_path}); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

}  // namespace usersctl::test
