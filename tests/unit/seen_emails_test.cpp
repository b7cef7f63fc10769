#include "core/import/seen_emails.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

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
    // About 1 in 30,000 at this fill (4 bits of a 512-bit block per email, 32,768 blocks): a few
    // dozen in 300,000 at most.
    int wrong = 0;
    for (int i = 0; i < 300000; ++i) {
        wrong += seen.maybe_contains("other" + std::to_string(i) + "@example.com") ? 1 : 0;
    }
    CHECK(wrong < 100);
}

TEST_CASE("adding an email to the import's filter tells whether it may have been there", "[import]")
{
    SeenEmails seen;
    CHECK_FALSE(seen.add(SeenEmails::hash("a@example.com")));
    CHECK(seen.add(SeenEmails::hash("a@example.com")));
    CHECK(seen.maybe_contains("a@example.com"));
    // In one call, a repeat is found as it would be one by one.
    const std::vector<std::uint32_t> maybe = seen.add_all(
        {SeenEmails::hash("b@example.com"), SeenEmails::hash("a@example.com"), SeenEmails::hash("b@example.com")});
    CHECK(maybe == std::vector<std::uint32_t>{1, 2});
    // At the fill of a 3,000,000-row import, "maybe" stays the exception for new emails.
    for (int i = 0; i < 3000000; ++i) {
        seen.add("user" + std::to_string(i) + "@example.com");
    }
    int wrong = 0;
    for (int i = 0; i < 100000; ++i) {
        wrong += seen.add(SeenEmails::hash("other" + std::to_string(i) + "@example.com")) ? 1 : 0;
    }
    CHECK(wrong < 12000);
}
