#include "core/secret.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <string>
#include <sys/resource.h>

using namespace usersctl;

namespace {

// Locked memory of this process in kB, from /proc/self/status.
long locked_kb()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmLck:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return -1;
}

}  // namespace

TEST_CASE("a secret sits in locked pages while it lives, unlocked once wiped")
{
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer intercepts mlock and munlock and ignores them: nothing to observe there.
    WARN("built with AddressSanitizer, which ignores mlock; checked in the plain build");
    return;
#endif
    rlimit limit{};
    getrlimit(RLIMIT_MEMLOCK, &limit);
    if (limit.rlim_cur < 64 * 1024) {
        WARN("RLIMIT_MEMLOCK is too low here to observe the locking");
        return;
    }
    const long before = locked_kb();
    {
        Secret s(std::string("Tr0ub4dor&3"));
        CHECK(s.view() == "Tr0ub4dor&3");
        CHECK(locked_kb() >= before + 4);
        for (int i = 0; i < 5000; ++i) {
            s.push_back('x');  // growing moves it to new locked pages, the old ones wiped
        }
        CHECK(s.size() == 5011);
        CHECK(locked_kb() >= before + 8);
    }
    CHECK(locked_kb() == before);
}

TEST_CASE("without any lockable memory a secret still works, silently")
{
    rlimit saved{};
    getrlimit(RLIMIT_MEMLOCK, &saved);
    rlimit none = saved;
    none.rlim_cur = 0;
    setrlimit(RLIMIT_MEMLOCK, &none);
    {
        Secret s(std::string("correct horse battery staple"));
        s.push_back('!');
        CHECK(s.view() == "correct horse battery staple!");
    }
    setrlimit(RLIMIT_MEMLOCK, &saved);
}
