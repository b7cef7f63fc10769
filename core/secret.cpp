#include "core/secret.hpp"

#include "core/errors.hpp"

#include <cerrno>
#include <cstring>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>

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

Secret::Secret(std::string&& text)
{
    m_text.reserve(text.size() + 1);
    m_text.assign(text);
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
    if (m_text.size() == m_text.capacity()) {
        // Grow by hand so that the old buffer is wiped rather than freed with a copy inside.
        std::string bigger;
        bigger.reserve(m_text.capacity() * 2 + 32);
        bigger.assign(m_text);
        wipe(m_text);
        m_text.swap(bigger);
    }
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
    wipe(m_text);
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
