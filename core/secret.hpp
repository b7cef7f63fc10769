#pragma once
// Memory that holds a password: wiped when released, never copied implicitly.

#include <cstddef>
#include <string>
#include <string_view>

namespace usersctl {

namespace detail {

/// Allocates whole pages of its own for each buffer, locks them in memory (mlock: never
/// written to swap; best effort, silent when RLIMIT_MEMLOCK is reached), and wipes, unlocks
/// and frees them on release. Pages are never shared, so unlocking one buffer cannot unlock
/// another's.
template <typename T>
struct LockedAllocator {
    using value_type = T;
    LockedAllocator() = default;
    template <typename U>
    LockedAllocator(const LockedAllocator<U>&) noexcept
    {
    }
    T* allocate(std::size_t n);
    void deallocate(T* p, std::size_t n) noexcept;
    template <typename U>
    bool operator==(const LockedAllocator<U>&) const noexcept { return true; }
    template <typename U>
    bool operator!=(const LockedAllocator<U>&) const noexcept { return false; }
};

void* allocate_locked(std::size_t bytes);
void release_locked(void* p, std::size_t bytes) noexcept;

template <typename T>
T* LockedAllocator<T>::allocate(std::size_t n)
{
    return static_cast<T*>(allocate_locked(n * sizeof(T)));
}

template <typename T>
void LockedAllocator<T>::deallocate(T* p, std::size_t n) noexcept
{
    release_locked(p, n * sizeof(T));
}

}  // namespace detail

/// A password (or other secret) whose bytes are wiped when it is destroyed or cleared.
class Secret {
public:
    Secret();
    /// Takes the bytes of `text`, then wipes `text`.
    explicit Secret(std::string&& text);
    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;
    Secret(Secret&& other) noexcept;
    Secret& operator=(Secret&& other) noexcept;
    ~Secret();

    /// Appends one byte, wiping the old buffer if it has to grow.
    void push_back(char c);
    /// Removes the last byte (wiping it).
    void pop_back();
    /// Wipes and empties.
    void clear();

    std::string_view view() const { return m_text; }
    const char* c_str() const { return m_text.c_str(); }
    std::size_t size() const { return m_text.size(); }
    bool empty() const { return m_text.empty(); }

private:
    // Always on the heap (never in the string's inline buffer, which would be on the stack),
    // in locked pages of its own.
    std::basic_string<char, std::char_traits<char>, detail::LockedAllocator<char>> m_text;
};

/// Overwrites `size` bytes at `data` with zeros in a way the compiler cannot elide.
void wipe(void* data, std::size_t size) noexcept;

/// Wipes a std::string's whole buffer (including spare capacity) and empties it.
void wipe(std::string& text) noexcept;

/// Fills `out` with `size` bytes from the kernel CSPRNG; throws InternalError on failure.
void random_bytes(void* out, std::size_t size);

/// `length` characters drawn uniformly from `alphabet` with the kernel CSPRNG.
std::string random_string(std::size_t length, std::string_view alphabet);

/// Compares two byte strings in time that depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// Turns off core dumps for this process (a crash must not write a password to disk).
void disable_core_dumps() noexcept;

}  // namespace usersctl
