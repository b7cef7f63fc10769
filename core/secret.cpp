#include "core/secret.hpp"

#include "core/errors.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>

namespace usersctl {

void wipe(void* data, std::size_t size) noexcept
{
    if (data != nullptr && size > 0) {
        explicit_bzero(data, size);
    }
}

void wipe(std::string& text) noexcept
{
    // Wipe the whole capacity: an earlier, longer value may still sit past size().
    text.resize(text.capacity());
    wipe(text.data(), text.size());
    text.clear();
}

namespace detail {

namespace {

std::size_t page_size() noexcept
{
    static const std::size_t size = [] {
        const long value = ::sysconf(_SC_PAGESIZE);
        return value > 0 ? static_cast<std::size_t>(value) : std::size_t{4096};
    }();
    return size;
}

std::size_t whole_pages(std::size_t bytes) noexcept
{
    return (bytes + page_size() - 1) / page_size() * page_size();
}

}  // namespace

void* allocate_locked(std::size_t bytes)
{
    const std::size_t size = whole_pages(std::max<std::size_t>(bytes, 1));
    void* p = std::aligned_alloc(page_size(), size);
    if (p == nullptr) {
        throw std::bad_alloc();
    }
    // Best effort: past RLIMIT_MEMLOCK (or without the privilege) the secret still works,
    // it may just reach swap. Nothing is logged: this runs for every password buffer.
    ::mlock(p, size);
    ::madvise(p, size, MADV_DONTDUMP);
    return p;
}

void release_locked(void* p, std::size_t bytes) noexcept
{
    if (p == nullptr) {
        return;
    }
    const std::size_t size = whole_pages(std::max<std::size_t>(bytes, 1));
    explicit_bzero(p, size);
    ::munlock(p, size);
    std::free(p);
}

}  // namespace detail

namespace {

// Larger than any std::string inline buffer, so that a secret is always in locked heap pages.
constexpr std::size_t k_min_capacity = 64;

}  // namespace

Secret::Secret()
{
    m_text.reserve(k_min_capacity);
}

Secret::Secret(std::string&& text)
{
    m_text.reserve(std::max(text.size() + 1, k_min_capacity));
    m_text.assign(text.data(), text.size());
    wipe(text);
}

Secret::Secret(Secret&& other) noexcept
{
    m_text.swap(other.m_text);
}

Secret& Secret::operator=(Secret&& other) noexcept
{
    if (this != &other) {
        clear();
        m_text.swap(other.m_text);
    }
    return *this;
}

Secret::~Secret()
{
    clear();
}

void Secret::push_back(char c)
{
    // Growing frees the old buffer through LockedAllocator, which wipes it first.
    m_text.push_back(c);
}

void Secret::pop_back()
{
    if (!m_text.empty()) {
        m_text.back() = '\0';
        m_text.pop_back();
    }
}

void Secret::clear()
{
    // Wipe the whole capacity: an earlier, longer value may still sit past size().
    m_text.resize(m_text.capacity());
    wipe(m_text.data(), m_text.size());
    m_text.clear();
}

void random_bytes(void* out, std::size_t size)
{
    auto* p = static_cast<unsigned char*>(out);
    while (size > 0) {
        const ssize_t n = getrandom(p, size, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw InternalError(std::string("cannot read random bytes: ") + std::strerror(errno));
        }
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

std::string random_string(std::size_t length, std::string_view alphabet)
{
    // Rejection sampling keeps every character equally likely.
    const unsigned limit = 256U - (256U % alphabet.size());
    std::string out;
    out.reserve(length);
    unsigned char buffer[64];
    while (out.size() < length) {
        random_bytes(buffer, sizeof buffer);
        for (unsigned char b : buffer) {
            if (b < limit && out.size() < length) {
                out.push_back(alphabet[b % alphabet.size()]);
            }
        }
    }
    wipe(buffer, sizeof buffer);
    return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept
{
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    if (a.empty() || b.empty()) {
        return a.empty() && b.empty();
    }
    for (std::size_t i = 0; i < b.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i % a.size()] ^ b[i]);
    }
    return diff == 0;
}

void disable_core_dumps() noexcept
{
    const rlimit none{0, 0};
    setrlimit(RLIMIT_CORE, &none);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

}  // namespace usersctl
