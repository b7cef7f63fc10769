#include "core/errors.hpp"
#include "core/shared_library.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace usersctl;

TEST_CASE("a library loaded on first use that is missing, or lacks a function, is a configuration error (78)",
          "[errors]")
{
    try {
        SharedLibrary missing("libusersctl-no-such-library.so.0");
        FAIL("a missing library loaded");
    } catch (const ConfigError& e) {
        CHECK(exit_code_for(e) == ExitCode::config);
        CHECK(std::string(e.what()).find("cannot load libusersctl-no-such-library.so.0") != std::string::npos);
    }
    const SharedLibrary libm("libm.so.6");
    CHECK(libm.function<double (*)(double)>("cos")(0.0) == 1.0);
    CHECK_THROWS_AS(libm.function<void (*)()>("usersctl_no_such_function"), ConfigError);
}
