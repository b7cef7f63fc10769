# cmake -DINPUT=man/PAGE.1 -DOUTPUT=build/man/PAGE.1 -DVERSION=X.Y.Z -P cmake/man_page.cmake
# A man page as installed: the source's bare .Os line names usersctl and its version, which man
# shows in the footer, so the pages always agree with --version and the package.
file(READ ${INPUT} text)
string(REGEX REPLACE "(^|\n)\\.Os[^\n]*\n" "\\1.Os usersctl ${VERSION}\n" text "${text}")
file(WRITE ${OUTPUT} "${text}")
