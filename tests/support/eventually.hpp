#pragma once
// Waiting for a condition in a test: poll it instead of sleeping a fixed time, which is flaky
// on a loaded machine and slow on an idle one.

#include <chrono>
#include <functional>
#include <thread>

namespace usersctl::test {

/// Polls `check` every 50 ms until it is true (then true) or `seconds` pass (then false).
inline bool eventually(const std::function<bool()>& check, double seconds = 20)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (true) {
        if (check()) {
            return true;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace usersctl::test
