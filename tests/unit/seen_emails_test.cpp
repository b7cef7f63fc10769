#include "core/import/seen_emails.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace usersctl;

TEST_CASE("the import's email filter never forgets an email and rarely claims a new one", "[import]")
{
    SeenEmails seen;
    CHECK_FALSE(seen.maybe_contains("a@example.com"));
    for (int i = 0; i < 300000; ++i) {
        seen.add("user" + std::to_string(i) + "@example.com");
    }
    for (int i = 0; i < 300000; ++i) {
        REQUIRE(seen.maybe_contains("user" + std::to_string(i) + "@example.com"));
    }
    // About 1 in 30,000 at this fill (4 of 16,777,216 bits per email): a few in 300,000 at most.
    int wrong = 0;
    for (int i = 0; i < 300000; ++i) {
        wrong += seen.maybe_contains("other" + std::to_string(i) + "@example.com") ? 1 : 0;
    }
    CHECK(wrong < 100);
}
